import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import { notFound } from '../platform/errors.js';
import { literalUnion } from '../platform/validation.js';
import { treatmentStatuses, type TreatmentStatus } from '../risks/risk.js';
import { findDraftRow, findLatestApprovedRow } from '../statement-of-applicability/soa.repository.js';
import { readEntries } from '../statement-of-applicability/soa.service.js';
import { implementationStatuses, soaDecisions, soaStatuses, type SoaStatus } from '../statement-of-applicability/soa.js';
import { findAiSystemRow } from './ai-systems.repository.js';

/**
 * The controls that apply to one AI system. A control belongs to a system when a treatment of one
 * of the system's risks carries it out (cancelled treatments aside); its decision, status and owner
 * come from the current Statement of Applicability, the latest approved version or else the draft.
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const TreatmentLink = Type.Object(
  {
    riskId: Type.String(),
    riskTitle: Type.String(),
    treatmentId: Type.String(),
    description: Type.String(),
    status: literalUnion(treatmentStatuses),
  },
  { additionalProperties: false },
);

export const AiSystemControl = Type.Object(
  {
    controlRef: Type.String({ description: 'Catalogue ref, such as iso42001:A.6.2.4' }),
    controlId: Type.String(),
    title: Type.String(),
    groupRef: nullable(Type.String({ description: 'The Annex A group, or null for the organization\'s own controls' })),
    groupTitle: nullable(Type.String()),
    inSoa: Type.Boolean({ description: 'False when the current Statement of Applicability does not list the control' }),
    decision: nullable(literalUnion(soaDecisions)),
    implementationStatus: nullable(literalUnion(implementationStatuses)),
    ownerName: nullable(Type.String()),
    evidenceCount: Type.Integer({ minimum: 0, description: 'Evidence linked to the control in the Statement of Applicability' }),
    treatments: Type.Array(TreatmentLink, { description: 'The treatments of the system\'s risks that carry out the control' }),
  },
  { additionalProperties: false },
);
export type AiSystemControl = Static<typeof AiSystemControl>;

export const AiSystemControls = Type.Object(
  {
    aiSystemId: Type.String(),
    soaVersion: nullable(Type.Object({ id: Type.String(), number: Type.Integer(), status: literalUnion(soaStatuses) }, { additionalProperties: false })),
    controls: Type.Array(AiSystemControl, { description: 'In the order of the Statement of Applicability, then by ref' }),
  },
  { $id: 'AiSystemControls', additionalProperties: false },
);
export type AiSystemControls = Static<typeof AiSystemControls>;

export async function listAiSystemControls(ctx: ServiceContext, caller: Caller, aiSystemId: string): Promise<AiSystemControls> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  if (!(await findAiSystemRow(db, aiSystemId))) throw notFound('AI system', aiSystemId);

  const links = await db
    .selectFrom('risks as r')
    .innerJoin('risk_treatments as t', 't.risk_id', 'r.id')
    .innerJoin('risk_treatment_controls as tc', 'tc.treatment_id', 't.id')
    .select(['r.id as riskId', 'r.title as riskTitle', 't.id as treatmentId', 't.description', 't.status', 'tc.catalogue_ref as controlRef'])
    .where('r.ai_system_id', '=', aiSystemId)
    .where('t.status', '!=', 'cancelled')
    .orderBy('r.title')
    .orderBy('t.id')
    .execute();

  const versionRow = (await findLatestApprovedRow(db)) ?? (await findDraftRow(db));
  const soaVersion = versionRow ? { id: versionRow.id, number: versionRow.number, status: versionRow.status as SoaStatus } : null;
  if (links.length === 0) return { aiSystemId, soaVersion, controls: [] };

  const refs = [...new Set(links.map((link) => link.controlRef))];
  const entries = versionRow ? await readEntries(db, versionRow.id) : [];
  const entryByRef = new Map(entries.filter((entry) => refs.includes(entry.controlRef)).map((entry) => [entry.controlRef, entry]));
  const catalogueRows = await db.selectFrom('catalogue_items').select(['ref', 'item_id', 'title']).where('ref', 'in', refs).execute();
  const catalogueByRef = new Map(catalogueRows.map((row) => [row.ref, row]));
  const soaOrder = new Map(entries.map((entry, index) => [entry.controlRef, index]));

  const controls = refs.map((ref): AiSystemControl => {
    const entry = entryByRef.get(ref);
    const item = catalogueByRef.get(ref);
    return {
      controlRef: ref,
      controlId: entry?.controlId ?? item?.item_id ?? ref,
      title: entry?.controlTitle ?? item?.title ?? ref,
      groupRef: entry?.groupRef ?? null,
      groupTitle: entry?.groupTitle ?? null,
      inSoa: entry !== undefined,
      decision: entry?.decision ?? null,
      implementationStatus: entry?.implementationStatus ?? null,
      ownerName: entry?.ownerName ?? null,
      evidenceCount: entry?.evidence.length ?? 0,
      treatments: links
        .filter((link) => link.controlRef === ref)
        .map((link) => ({
          riskId: link.riskId,
          riskTitle: link.riskTitle,
          treatmentId: link.treatmentId,
          description: link.description,
          status: link.status as TreatmentStatus,
        })),
    };
  });
  controls.sort((a, b) => (soaOrder.get(a.controlRef) ?? Infinity) - (soaOrder.get(b.controlRef) ?? Infinity) || a.controlRef.localeCompare(b.controlRef));
  return { aiSystemId, soaVersion, controls };
}
