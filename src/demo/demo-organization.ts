import { findOrganizationRow } from '../organization/organization.repository.js';
import { putOrganization } from '../organization/organization.service.js';
import type { PutOrganization } from '../organization/organization.schemas.js';
import { systemCaller } from '../platform/auth/caller.js';
import type { ServiceContext } from '../platform/context.js';

/** The profile of the fictitious organization whose register contains the demo's public records. */
export const demoOrganization: PutOrganization = {
  name: 'custos demo organization',
  description:
    'A fictitious organization for trying custos. Its AI system register contains public records: 300 from the Dutch algorithm register, 90 from the UK Algorithmic Transparency Recording Standard, and the COMPAS recidivism risk assessment that ProPublica analysed. Each record belongs to the public body that published it.',
  scopeStatement: 'The AIMS covers every AI system in the register, as its public body describes it, unless the system record says it is out of scope.',
  scopeBoundaries: [
    'AI systems and algorithms from a sample of 300 records of the Dutch algorithm register',
    'AI systems from a sample of 90 UK Algorithmic Transparency Recording Standard records',
    'The COMPAS recidivism risk assessment as used in Broward County, Florida',
  ],
};

/**
 * Records the demo organization's profile unless a profile exists. The organization service runs
 * its own write transaction, so this follows the demo's transaction instead of joining it.
 */
export async function recordDemoOrganization(ctx: ServiceContext, reason: string): Promise<void> {
  if (await findOrganizationRow(ctx.database.db)) return;
  await putOrganization(ctx, systemCaller, demoOrganization, { reason });
}
