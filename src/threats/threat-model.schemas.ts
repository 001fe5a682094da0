import { Type, type Static } from '@sinclair/typebox';
import { CatalogueRef } from '../catalogue/catalogue.schemas.js';
import { Risk } from '../risks/risk.schemas.js';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { assetKeyPattern, assetKinds, maxAssets, maxLinkedRisks, maxScenarios, threatModelStatuses } from './threat-model.js';

/** Schemas of threat models, their assets and their threat scenarios. */

const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const nonBlank = (maxLength: number, description: string) => Type.String({ maxLength, pattern: notBlankPattern, description });
const note = (description: string) => Type.String({ maxLength: 10_000, description });

export const ThreatModelStatus = literalUnion(threatModelStatuses, { description: 'draft or reviewed' });
export const AssetKind = literalUnion(assetKinds, { description: `Kind of asset: one of ${assetKinds.join(', ')}` });
const AssetKey = Type.String({ pattern: assetKeyPattern, description: 'Short name of the asset within the threat model, such as model or training-data; scenarios name assets by it' });

export const ThreatAsset = Type.Object(
  {
    key: AssetKey,
    name: nonBlank(300, 'Name of the asset, such as the model version or dataset it stands for'),
    kind: AssetKind,
    description: Type.String({ maxLength: 4_000, description: 'What the asset is and why it matters; may be empty' }),
  },
  { additionalProperties: false },
);
export type ThreatAsset = Static<typeof ThreatAsset>;

const AssetInput = Type.Object(
  {
    key: AssetKey,
    name: ThreatAsset.properties.name,
    kind: AssetKind,
    description: Type.Optional(ThreatAsset.properties.description),
  },
  { additionalProperties: false },
);
export type AssetInput = Static<typeof AssetInput>;

const Assets = Type.Array(AssetInput, { maxItems: maxAssets, description: 'Every asset of the system that scenarios may target, in the order to show them' });

const scenarioFields = {
  title: nonBlank(300, 'Short name of the scenario; defaults to the title of the threat'),
  threatRef: CatalogueRef,
  assetKeys: Type.Array(AssetKey, { minItems: 1, maxItems: maxAssets, uniqueItems: true, description: 'Keys of the assets the threat is aimed at' }),
  description: note('How the threat could play out against this system'),
  likelihoodNote: note('What makes the scenario more or less likely'),
  impactNote: note('What would happen, and to whom, if it occurred'),
  riskIds: Type.Array(recordId('Risk id'), { maxItems: maxLinkedRisks, uniqueItems: true, description: 'Risks of the register that the scenario produces or feeds' }),
};

export const ThreatScenario = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    threatRef: Type.String({ description: 'Catalogue ref of the threat library item, for example mitre-atlas:AML.T0020' }),
    threatTitle: Type.String({ description: 'Title of the threat library item' }),
    families: Type.Array(Type.String(), { description: 'Scenario families of the threat library item' }),
    assetKeys: Type.Array(Type.String()),
    description: Type.String(),
    likelihoodNote: Type.String(),
    impactNote: Type.String(),
    riskIds: Type.Array(Type.String()),
    createdBy: Type.String({ description: 'User id of the user who added the scenario' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type ThreatScenario = Static<typeof ThreatScenario>;

export const ThreatModelReview = Type.Object(
  {
    reviewedBy: Type.String({ description: 'User id of the reviewer' }),
    reviewedAt: Type.String({ format: 'date-time' }),
    reviewedVersion: Type.Integer({ minimum: 1, description: 'Version of the threat model the review produced' }),
    comment: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ThreatModelReview = Static<typeof ThreatModelReview>;

export const ThreatModel = Type.Object(
  {
    id: Type.String(),
    aiSystemId: Type.String(),
    title: Type.String(),
    scope: Type.String({ description: 'Boundaries and assumptions of the threat model' }),
    status: ThreatModelStatus,
    assets: Type.Array(ThreatAsset),
    scenarios: Type.Array(ThreatScenario),
    editedBy: Type.Array(Type.String(), { description: 'User ids of everyone who changed the model since its last review; none of them may review it' }),
    lastReview: Type.Union([ThreatModelReview, Type.Null()], { description: 'The latest review, kept after later changes return the model to draft' }),
    createdBy: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ThreatModel', additionalProperties: false },
);
export type ThreatModel = Static<typeof ThreatModel>;

export const CreateScenario = Type.Object(
  {
    title: Type.Optional(scenarioFields.title),
    threatRef: scenarioFields.threatRef,
    assetKeys: scenarioFields.assetKeys,
    description: Type.Optional(scenarioFields.description),
    likelihoodNote: Type.Optional(scenarioFields.likelihoodNote),
    impactNote: Type.Optional(scenarioFields.impactNote),
    riskIds: Type.Optional(scenarioFields.riskIds),
  },
  { additionalProperties: false },
);
export type CreateScenario = Static<typeof CreateScenario>;

export const UpdateScenario = Type.Partial(Type.Object(scenarioFields), { $id: 'UpdateScenario', additionalProperties: false, minProperties: 1 });
export type UpdateScenario = Static<typeof UpdateScenario>;

export const CreateThreatModel = Type.Object(
  {
    aiSystemId: recordId('The AI system the threat model is for; each system has at most one'),
    title: Type.Optional(nonBlank(300, 'Title; defaults to "Threat model of <system name>"')),
    scope: Type.Optional(note('Boundaries and assumptions of the threat model')),
    assets: Type.Optional(Assets),
    scenarios: Type.Optional(Type.Array(CreateScenario, { maxItems: maxScenarios, description: 'Scenarios to start with; more can be added later' })),
  },
  { $id: 'CreateThreatModel', additionalProperties: false },
);
export type CreateThreatModel = Static<typeof CreateThreatModel>;

export const UpdateThreatModel = Type.Object(
  {
    title: Type.Optional(nonBlank(300, 'Title of the threat model')),
    scope: Type.Optional(note('Boundaries and assumptions of the threat model')),
    assets: Type.Optional(Assets),
  },
  { $id: 'UpdateThreatModel', additionalProperties: false, minProperties: 1 },
);
export type UpdateThreatModel = Static<typeof UpdateThreatModel>;

export const ReviewThreatModel = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 4_000, description: 'What the review covered and concluded' })) },
  { $id: 'ReviewThreatModel', additionalProperties: false },
);
export type ReviewThreatModel = Static<typeof ReviewThreatModel>;

export const threatModelSortKeys = ['title', 'createdAt', 'updatedAt'] as const;
export type ThreatModelSortKey = (typeof threatModelSortKeys)[number];

export const ThreatModelListQuery = Type.Object(
  {
    ...PageQuery,
    aiSystemId: Type.Optional(Type.String({ maxLength: 64, description: 'Only the threat model of this AI system' })),
    status: Type.Optional(ThreatModelStatus),
    threatRef: Type.Optional(Type.String({ maxLength: 200, description: 'Only threat models with a scenario for this threat library item' })),
    riskId: Type.Optional(Type.String({ maxLength: 64, description: 'Only threat models with a scenario linked to this risk' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in title and scope, ignoring case' })),
    sort: Type.Optional(SortQuery(threatModelSortKeys, 'title')),
  },
  { additionalProperties: false },
);
export type ThreatModelListQuery = Static<typeof ThreatModelListQuery>;

export const ScenarioParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), scenarioId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type ScenarioParams = Static<typeof ScenarioParams>;

export const ScenarioChange = Type.Object(
  { threatModel: ThreatModel, scenario: ThreatScenario },
  { $id: 'ScenarioChange', additionalProperties: false, description: 'The changed threat model, whose ETag the response carries, and the scenario concerned' },
);
export type ScenarioChange = Static<typeof ScenarioChange>;

export const ScenarioRiskCreated = Type.Object(
  { threatModel: ThreatModel, scenario: ThreatScenario, risk: Risk },
  { $id: 'ScenarioRiskCreated', additionalProperties: false, description: 'The new risk, and the threat model whose scenario now links it' },
);
export type ScenarioRiskCreated = Static<typeof ScenarioRiskCreated>;
