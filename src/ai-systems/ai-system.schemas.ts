import { Type, type Static } from '@sinclair/typebox';
import { LinkedClassification } from '../classification/classification.schemas.js';
import { euAiActTiers } from '../classification/eu-ai-act.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern, SortQuery } from '../platform/schema-building.js';
import {
  autonomyLevels,
  deploymentEnvironments,
  impactAssessmentStatuses,
  lifecycleStages,
  organizationRoles,
} from './ai-system.js';

/** Schemas of the AI system register as the API, the CLI and the importer see it. */

const oneOf = <T extends readonly string[]>(values: T, description: string) =>
  literalUnion(values, { description: `${description}: one of ${values.join(', ')}` });

const text = (max: number, description: string) => Type.String({ maxLength: max, description });
/** A string with at least one character that is not white space. */
const nonBlank = (max: number, description: string) => Type.String({ maxLength: max, pattern: notBlankPattern, description });

export const LifecycleStage = oneOf(lifecycleStages, 'Lifecycle stage');
export const OrganizationRole = oneOf(organizationRoles, "The organization's role for the system under the EU AI Act");
export const DeploymentEnvironment = oneOf(deploymentEnvironments, 'Deployment environment');
export const AutonomyLevel = oneOf(autonomyLevels, 'Degree of human oversight');
export const ImpactAssessmentStatus = oneOf(impactAssessmentStatuses, 'Whether an impact assessment was carried out');

const editableFields = {
  name: nonBlank(200, 'Name, unique within its business unit'),
  purpose: nonBlank(10_000, 'What the system is for'),
  intendedUse: text(10_000, 'The use the system is designed and approved for'),
  foreseeableMisuse: text(10_000, 'Reasonably foreseeable misuse'),
  businessUnit: nonBlank(200, 'Business unit or organization that operates the system'),
  ownerId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { description: 'Person id of the AI system owner' }),
  organizationRole: OrganizationRole,
  deploymentEnvironments: Type.Array(DeploymentEnvironment, { uniqueItems: true, maxItems: 3 }),
  autonomy: AutonomyLevel,
  affectedGroups: Type.Array(nonBlank(200, 'A person or group the system affects'), { maxItems: 100 }),
  decisionDomain: text(200, 'Domain of the decisions the system supports, for example credit or employment'),
  inScope: Type.Boolean({ description: 'Whether the system is inside the AIMS scope (clause 4.3)' }),
  scopeJustification: text(2_000, 'Why the system is inside or outside the AIMS scope'),
  legalBasis: text(10_000, 'Legal basis for the processing the system performs'),
  impactAssessmentStatus: ImpactAssessmentStatus,
  publishedAt: Type.Union([Type.String({ format: 'date-time', maxLength: 32 }), Type.String({ format: 'date' }), Type.Null()], {
    description: 'When the system was published in a public register, if it was',
  }),
  sourceUrl: Type.Union([Type.String({ format: 'uri', maxLength: 2_000 }), Type.Null()], { description: 'Where the record came from' }),
  externalId: Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { description: 'Identifier in the source register' }),
};

export const AiSystem = Type.Object(
  {
    id: Type.String(),
    ...editableFields,
    lifecycleStage: LifecycleStage,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AiSystem', additionalProperties: false },
);
export type AiSystem = Static<typeof AiSystem>;

/**
 * An AI system as the API returns it: the register record with its current classification. The
 * classification is derived, so it is neither audited with the record nor exported with it.
 */
export const AiSystemWithClassification = Type.Object(
  {
    ...AiSystem.properties,
    classification: Type.Union([LinkedClassification, Type.Null()], {
      description: 'The approved classification in force, or null when the system has none. Its stale flag turns true once an input it used changes.',
    }),
  },
  { $id: 'AiSystemWithClassification', additionalProperties: false },
);
export type AiSystemWithClassification = Static<typeof AiSystemWithClassification>;

export const CreateAiSystem = Type.Object(
  {
    name: editableFields.name,
    purpose: editableFields.purpose,
    businessUnit: editableFields.businessUnit,
    intendedUse: Type.Optional(editableFields.intendedUse),
    foreseeableMisuse: Type.Optional(editableFields.foreseeableMisuse),
    ownerId: Type.Optional(editableFields.ownerId),
    lifecycleStage: Type.Optional(LifecycleStage),
    organizationRole: Type.Optional(editableFields.organizationRole),
    deploymentEnvironments: Type.Optional(editableFields.deploymentEnvironments),
    autonomy: Type.Optional(editableFields.autonomy),
    affectedGroups: Type.Optional(editableFields.affectedGroups),
    decisionDomain: Type.Optional(editableFields.decisionDomain),
    inScope: Type.Optional(editableFields.inScope),
    scopeJustification: Type.Optional(editableFields.scopeJustification),
    legalBasis: Type.Optional(editableFields.legalBasis),
    impactAssessmentStatus: Type.Optional(editableFields.impactAssessmentStatus),
    publishedAt: Type.Optional(editableFields.publishedAt),
    sourceUrl: Type.Optional(editableFields.sourceUrl),
    externalId: Type.Optional(editableFields.externalId),
  },
  { $id: 'CreateAiSystem', additionalProperties: false },
);
export type CreateAiSystem = Static<typeof CreateAiSystem>;

/** Fields a PATCH may change. The lifecycle stage changes only through a recorded transition. */
export const UpdateAiSystem = Type.Partial(Type.Object(editableFields), {
  $id: 'UpdateAiSystem',
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateAiSystem = Static<typeof UpdateAiSystem>;

export const LifecycleTransitionRequest = Type.Object(
  {
    toStage: LifecycleStage,
    reason: nonBlank(2_000, 'Why the system moves to this stage'),
  },
  { $id: 'LifecycleTransitionRequest', additionalProperties: false },
);
export type LifecycleTransitionRequest = Static<typeof LifecycleTransitionRequest>;

export const LifecycleTransition = Type.Object(
  {
    id: Type.String(),
    aiSystemId: Type.String(),
    fromStage: LifecycleStage,
    toStage: LifecycleStage,
    actorId: Type.String(),
    reason: Type.String(),
    occurredAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'LifecycleTransition', additionalProperties: false },
);
export type LifecycleTransition = Static<typeof LifecycleTransition>;

/** Sort keys of the register. The description of the sort parameter below states how each one orders. */
export const aiSystemSortKeys = ['name', 'businessUnit', 'lifecycleStage', 'classificationTier', 'ownerName', 'createdAt', 'updatedAt'] as const;
export type AiSystemSortKey = (typeof aiSystemSortKeys)[number];

export const AiSystemListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in name, purpose and business unit, ignoring case' })),
    lifecycleStage: Type.Optional(LifecycleStage),
    organizationRole: Type.Optional(OrganizationRole),
    businessUnit: Type.Optional(Type.String({ maxLength: 200, description: 'Exact business unit' })),
    ownerId: Type.Optional(Type.String({ maxLength: 64 })),
    inScope: Type.Optional(Type.Boolean()),
    classificationStale: Type.Optional(
      Type.Boolean({
        description: 'true lists the systems whose current classification is stale, and false those whose current classification is up to date. Systems without an approved classification match neither.',
      }),
    ),
    classificationTier: Type.Optional(literalUnion(euAiActTiers, { description: `EU AI Act tier of the current classification: one of ${euAiActTiers.join(', ')}` })),
    sort: Type.Optional({
      ...SortQuery(aiSystemSortKeys, 'name'),
      description: `Sort key, prefixed with - for descending: ${aiSystemSortKeys.join(', ')}. classificationTier orders by the severity of the current EU AI Act tier, most severe first (${euAiActTiers.join(', ')}), and ownerName by the owner's name. Systems without a tier or owner come last in both directions, and ties go by system name.`,
    }),
  },
  { additionalProperties: false },
);
export type AiSystemListQuery = Static<typeof AiSystemListQuery>;
