import type { ServiceContext } from '../../src/platform/context.js';
import type { Caller } from '../../src/platform/auth/caller.js';
import { readEntries, updateSoaEntry } from '../../src/statement-of-applicability/soa.service.js';

/**
 * Decides every undecided control of a draft through the service: A.x.2 controls excluded with a
 * reason, all others applicable on a risk treatment, so that a test can reach approval quickly.
 */
export async function decideEverything(ctx: ServiceContext, caller: Caller, versionId: string, excluded: readonly string[] = []): Promise<void> {
  for (const entry of await readEntries(ctx.database.db, versionId)) {
    if (entry.decision !== 'undecided') continue;
    const patch = excluded.includes(entry.controlRef)
      ? { decision: 'excluded' as const, justification: 'No AI system of ours is in this situation.' }
      : { decision: 'applicable' as const, justification: 'Treats risk R-1 in the risk treatment plan.', basis: ['risk_treatment' as const], implementationStatus: 'planned' as const };
    await updateSoaEntry(ctx, caller, versionId, entry.controlRef, patch);
  }
}
