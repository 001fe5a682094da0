import { Type, type Static } from '@sinclair/typebox';
import { DeploymentEnvironment } from '../ai-systems/ai-system.schemas.js';
import { Dataset, DatasetVersion } from '../datasets/dataset.schemas.js';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { trainingDataPurposes } from './model.js';

/** Schemas of models, their versions and the links to datasets and AI systems. */

const nonBlank = (max: number, description: string) => Type.String({ maxLength: max, pattern: notBlankPattern, description });
const text = (max: number, description: string) => Type.String({ maxLength: max, description });
const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });

const modelFields = {
  name: nonBlank(200, 'Name of the model, unique in the inventory'),
  description: text(10_000, 'What the model does and how it works'),
  thirdPartyComponentId: Type.Union([recordId('Component id'), Type.Null()], {
    description: 'The third-party component of kind model that this model comes from, if any',
  }),
};

export const Model = Type.Object(
  {
    id: Type.String(),
    ...modelFields,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Model', additionalProperties: false },
);
export type Model = Static<typeof Model>;

export const CreateModel = Type.Object(
  {
    name: modelFields.name,
    description: Type.Optional(modelFields.description),
    thirdPartyComponentId: Type.Optional(modelFields.thirdPartyComponentId),
  },
  { $id: 'CreateModel', additionalProperties: false },
);
export type CreateModel = Static<typeof CreateModel>;

export const UpdateModel = Type.Partial(Type.Object(modelFields), { $id: 'UpdateModel', additionalProperties: false, minProperties: 1 });
export type UpdateModel = Static<typeof UpdateModel>;

export const modelSortKeys = ['name', 'createdAt', 'updatedAt'] as const;
export type ModelSortKey = (typeof modelSortKeys)[number];

export const ModelListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in name and description, ignoring case' })),
    thirdPartyComponentId: Type.Optional(Type.String({ maxLength: 64 })),
    sort: Type.Optional(SortQuery(modelSortKeys, 'name')),
  },
  { additionalProperties: false },
);
export type ModelListQuery = Static<typeof ModelListQuery>;

const modelVersionFields = {
  versionLabel: nonBlank(200, 'Label of the version, unique within its model, for example 1.4.0'),
  description: text(10_000, 'What changed in this version, how it was trained and validated'),
};

export const ModelVersion = Type.Object(
  {
    id: Type.String(),
    modelId: Type.String(),
    ...modelVersionFields,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ModelVersion', additionalProperties: false },
);
export type ModelVersion = Static<typeof ModelVersion>;

export const CreateModelVersion = Type.Object(
  { versionLabel: modelVersionFields.versionLabel, description: Type.Optional(modelVersionFields.description) },
  { $id: 'CreateModelVersion', additionalProperties: false },
);
export type CreateModelVersion = Static<typeof CreateModelVersion>;

export const UpdateModelVersion = Type.Partial(Type.Object(modelVersionFields), {
  $id: 'UpdateModelVersion',
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateModelVersion = Static<typeof UpdateModelVersion>;

export const modelVersionSortKeys = ['versionLabel', 'createdAt'] as const;
export type ModelVersionSortKey = (typeof modelVersionSortKeys)[number];

export const ModelVersionListQuery = Type.Object(
  { ...PageQuery, sort: Type.Optional(SortQuery(modelVersionSortKeys, 'createdAt')) },
  { additionalProperties: false },
);
export type ModelVersionListQuery = Static<typeof ModelVersionListQuery>;

export const TrainingDataPurpose = literalUnion(trainingDataPurposes, {
  description: `What the dataset version was used for: one of ${trainingDataPurposes.join(', ')}`,
});

/** Records that a model version was trained, validated or tested on a dataset version. */
export const TrainingDataLink = Type.Object(
  { modelVersionId: Type.String(), datasetVersionId: Type.String(), purpose: TrainingDataPurpose },
  { $id: 'TrainingDataLink', additionalProperties: false },
);
export type TrainingDataLink = Static<typeof TrainingDataLink>;

export const LinkTrainingData = Type.Object(
  { datasetVersionId: recordId('Id of the dataset version'), purpose: TrainingDataPurpose },
  { $id: 'LinkTrainingData', additionalProperties: false },
);
export type LinkTrainingData = Static<typeof LinkTrainingData>;

export const UnlinkTrainingDataQuery = Type.Object(
  {
    purpose: TrainingDataPurpose,
    reason: Type.Optional(Type.String({ maxLength: 2_000, description: 'Why the change is made; stored in the audit trail' })),
  },
  { additionalProperties: false },
);
export type UnlinkTrainingDataQuery = Static<typeof UnlinkTrainingDataQuery>;

/** A dataset version a model version used, with the dataset it belongs to and the fingerprint. */
export const TrainingDataEntry = Type.Object(
  { purpose: TrainingDataPurpose, dataset: Dataset, datasetVersion: DatasetVersion },
  { $id: 'TrainingDataEntry', additionalProperties: false },
);
export type TrainingDataEntry = Static<typeof TrainingDataEntry>;

/** Records that a model version runs in an environment of an AI system. */
export const Deployment = Type.Object(
  { aiSystemId: Type.String(), modelVersionId: Type.String(), environment: DeploymentEnvironment },
  { $id: 'Deployment', additionalProperties: false },
);
export type Deployment = Static<typeof Deployment>;

export const LinkModelVersion = Type.Object(
  { modelVersionId: recordId('Id of the model version'), environment: DeploymentEnvironment },
  { $id: 'LinkModelVersion', additionalProperties: false },
);
export type LinkModelVersion = Static<typeof LinkModelVersion>;

export const UnlinkModelVersionQuery = Type.Object(
  {
    environment: DeploymentEnvironment,
    reason: Type.Optional(Type.String({ maxLength: 2_000, description: 'Why the change is made; stored in the audit trail' })),
  },
  { additionalProperties: false },
);
export type UnlinkModelVersionQuery = Static<typeof UnlinkModelVersionQuery>;
