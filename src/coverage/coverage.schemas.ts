import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../platform/validation.js';
import { coverageStates } from './coverage.js';

/** Schemas of the coverage reports: obligations against controls, and controls against obligations. */

export const CoverageQuery = Type.Object(
  {
    framework: Type.String({ minLength: 1, maxLength: 64, description: 'The framework whose obligations to check, such as eu-ai-act, gdpr or nist-ai-rmf' }),
    soaVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Statement of Applicability version to judge by (default: the latest approved, else the draft)' })),
    state: Type.Optional(literalUnion(coverageStates)),
  },
  { additionalProperties: false },
);
export type CoverageQuery = Static<typeof CoverageQuery>;

const ControlStatus = Type.Object(
  {
    ref: Type.String(),
    title: Type.String(),
    decision: Type.Union([literalUnion(['undecided', 'applicable', 'excluded'] as const), Type.Null()], { description: 'Null when the Statement of Applicability has no entry' }),
    implementationStatus: Type.Union([literalUnion(['not_started', 'planned', 'partially_implemented', 'implemented'] as const), Type.Null()]),
  },
  { additionalProperties: false },
);

export const ObligationCoverage = Type.Object(
  {
    ref: Type.String(),
    itemId: Type.String(),
    title: Type.String(),
    state: literalUnion(coverageStates),
    controls: Type.Array(ControlStatus),
    clauses: Type.Array(Type.Object({ ref: Type.String(), title: Type.String() }, { additionalProperties: false })),
    gaps: Type.Array(Type.String(), { description: 'Refs of mapped controls that are excluded, undecided or not implemented' }),
  },
  { additionalProperties: false },
);

export const CoverageReport = Type.Object(
  {
    framework: Type.Object({ id: Type.String(), name: Type.String(), edition: Type.String() }, { additionalProperties: false }),
    crosswalks: Type.Array(Type.String(), { description: 'The crosswalks the report used' }),
    soaVersion: Type.Union([Type.Object({ id: Type.String(), number: Type.Integer(), status: Type.String() }, { additionalProperties: false }), Type.Null()]),
    counts: Type.Record(Type.String(), Type.Integer(), { description: 'Obligations per state' }),
    obligations: Type.Array(ObligationCoverage),
  },
  { $id: 'CoverageReport', additionalProperties: false },
);
export type CoverageReport = Static<typeof CoverageReport>;

export const OverlapQuery = Type.Object(
  { soaVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);
export type OverlapQuery = Static<typeof OverlapQuery>;

export const ControlOverlap = Type.Object(
  {
    ref: Type.String(),
    title: Type.String(),
    decision: ControlStatus.properties.decision,
    implementationStatus: ControlStatus.properties.implementationStatus,
    obligations: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Per framework, the refs of the obligations this control helps to meet' }),
    obligationCount: Type.Integer(),
  },
  { additionalProperties: false },
);

export const OverlapReport = Type.Object(
  {
    soaVersion: CoverageReport.properties.soaVersion,
    controls: Type.Array(ControlOverlap, { description: 'Annex A and organization controls, the most widely useful first' }),
  },
  { $id: 'OverlapReport', additionalProperties: false },
);
export type OverlapReport = Static<typeof OverlapReport>;
