import { Type, type Static } from '@sinclair/typebox';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion } from '../platform/validation.js';
import { scenarioFamilyIds, threatFrameworkIds } from './threat-library.js';

/** Schemas of the threat library API. */

export const ScenarioFamilyId = literalUnion(scenarioFamilyIds, { description: `Scenario family: one of ${scenarioFamilyIds.join(', ')}` });
export const ThreatFrameworkId = literalUnion(threatFrameworkIds, { description: `Threat library framework: one of ${threatFrameworkIds.join(', ')}` });

export const ThreatLibraryItem = Type.Object(
  {
    ref: Type.String({ description: 'Catalogue ref to use in threat scenarios and findings, for example mitre-atlas:AML.T0051' }),
    frameworkId: Type.String(),
    itemId: Type.String({ description: 'Identifier as the source publishes it, for example AML.T0051 or LLM01' }),
    parentRef: Type.Union([Type.String(), Type.Null()], { description: 'The ATLAS tactic or parent technique, or null' }),
    kind: Type.String({ description: 'technique, sub-technique or risk' }),
    title: Type.String(),
    summary: Type.String({ description: "custos's own one-line description" }),
    evidenceGuidance: Type.String({ description: 'What shows that the threat is addressed' }),
    families: Type.Array(Type.String(), { description: 'Scenario families the threat belongs to' }),
    tactics: Type.Array(Type.String(), { description: 'ATLAS tactic ids the technique serves; empty for OWASP items' }),
    version: Type.Integer({ minimum: 1, description: 'Version of the catalogue item, raised when its file changes it' }),
  },
  { $id: 'ThreatLibraryItem', additionalProperties: false },
);
export type ThreatLibraryItem = Static<typeof ThreatLibraryItem>;

export const ThreatLibraryFramework = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    edition: Type.String({ description: 'Edition or release of the source' }),
    publisher: Type.String(),
    notice: Type.String({ description: 'Copyright and licence note of the source' }),
    contentHash: Type.Union([Type.String(), Type.Null()], { description: 'SHA-256 of the catalogue file loaded, which changes with every edit of the library data' }),
    loadedAt: Type.String({ format: 'date-time' }),
    threatCount: Type.Integer({ minimum: 0, description: 'Threat items of the framework, not counting ATLAS tactic headings' }),
  },
  { $id: 'ThreatLibraryFramework', additionalProperties: false },
);
export type ThreatLibraryFramework = Static<typeof ThreatLibraryFramework>;

export const ThreatLibraryQuery = Type.Object(
  {
    ...PageQuery,
    family: Type.Optional(ScenarioFamilyId),
    framework: Type.Optional(ThreatFrameworkId),
    kind: Type.Optional(Type.String({ maxLength: 40, description: 'Only items of this kind: technique, sub-technique or risk' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text to find in the id, title or summary, ignoring case' })),
  },
  { additionalProperties: false },
);
export type ThreatLibraryQuery = Static<typeof ThreatLibraryQuery>;

export const ThreatLibraryPage = Type.Object(
  {
    frameworks: Type.Array(ThreatLibraryFramework, { description: 'The frameworks of the library with the edition and file hash in use' }),
    items: Type.Array(ThreatLibraryItem),
    total: Type.Integer({ minimum: 0 }),
    limit: Type.Integer({ minimum: 1 }),
    offset: Type.Integer({ minimum: 0 }),
  },
  { $id: 'ThreatLibraryPage', additionalProperties: false },
);
export type ThreatLibraryPage = Static<typeof ThreatLibraryPage>;

export const ScenarioFamily = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    threatCount: Type.Integer({ minimum: 0, description: 'Threat items tagged with the family' }),
  },
  { $id: 'ScenarioFamily', additionalProperties: false },
);
export type ScenarioFamily = Static<typeof ScenarioFamily>;
