import { Type, type Static } from '@sinclair/typebox';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { notBlankPattern } from '../platform/validation.js';

/** Schemas of datasets and their fingerprinted versions as the API, the CLI and the services see them. */

const nonBlank = (max: number, description: string) => Type.String({ maxLength: max, pattern: notBlankPattern, description });
const text = (max: number, description: string) => Type.String({ maxLength: max, description });

const editableFields = {
  name: nonBlank(200, 'Name of the dataset, unique in the inventory'),
  description: text(10_000, 'What the dataset contains and how it was collected'),
  source: text(2_000, 'Where the data comes from: a system, a supplier or a publication'),
  containsPersonalData: Type.Boolean({ description: 'Whether any version contains personal data' }),
  thirdPartyComponentId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], {
    description: 'The third-party component of kind dataset that this dataset comes from, if any',
  }),
};

export const Dataset = Type.Object(
  {
    id: Type.String(),
    ...editableFields,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Dataset', additionalProperties: false },
);
export type Dataset = Static<typeof Dataset>;

export const CreateDataset = Type.Object(
  {
    name: editableFields.name,
    containsPersonalData: editableFields.containsPersonalData,
    description: Type.Optional(editableFields.description),
    source: Type.Optional(editableFields.source),
    thirdPartyComponentId: Type.Optional(editableFields.thirdPartyComponentId),
  },
  { $id: 'CreateDataset', additionalProperties: false },
);
export type CreateDataset = Static<typeof CreateDataset>;

export const UpdateDataset = Type.Partial(Type.Object(editableFields), { $id: 'UpdateDataset', additionalProperties: false, minProperties: 1 });
export type UpdateDataset = Static<typeof UpdateDataset>;

export const datasetSortKeys = ['name', 'createdAt', 'updatedAt'] as const;
export type DatasetSortKey = (typeof datasetSortKeys)[number];

export const DatasetListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in name, description and source, ignoring case' })),
    containsPersonalData: Type.Optional(Type.Boolean()),
    thirdPartyComponentId: Type.Optional(Type.String({ maxLength: 64 })),
    sort: Type.Optional(SortQuery(datasetSortKeys, 'name')),
  },
  { additionalProperties: false },
);
export type DatasetListQuery = Static<typeof DatasetListQuery>;

export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Lower-case hex SHA-256' });

/** A version of a dataset: one file, identified by the SHA-256 custos computed from its bytes. */
export const DatasetVersion = Type.Object(
  {
    id: Type.String(),
    datasetId: Type.String(),
    versionLabel: Type.String(),
    sha256: Type.String({ description: 'Lower-case hex SHA-256 of the file, computed by custos from the bytes' }),
    sizeBytes: Type.Integer({ minimum: 1, description: 'Size of the file in bytes' }),
    location: Type.String({ description: 'Where the file is kept; custos stores only its fingerprint' }),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'DatasetVersion', additionalProperties: false },
);
export type DatasetVersion = Static<typeof DatasetVersion>;

export const VersionLabel = nonBlank(200, 'Label of the version, unique within its dataset, for example 2016-04 or v2');
export const FileLocation = nonBlank(2_000, 'Where the file is kept: a path, a URL or a storage key');

/** Query of an upload, whose body is the file itself. */
export const DatasetVersionUploadQuery = Type.Object(
  {
    versionLabel: VersionLabel,
    location: FileLocation,
    reason: Type.Optional(Type.String({ maxLength: 2_000, description: 'Why the change is made; stored in the audit trail' })),
  },
  { additionalProperties: false },
);
export type DatasetVersionUploadQuery = Static<typeof DatasetVersionUploadQuery>;

export const datasetVersionSortKeys = ['versionLabel', 'createdAt'] as const;
export type DatasetVersionSortKey = (typeof datasetVersionSortKeys)[number];

export const DatasetVersionListQuery = Type.Object(
  {
    ...PageQuery,
    sha256: Type.Optional(Sha256Hex),
    sort: Type.Optional(SortQuery(datasetVersionSortKeys, 'createdAt')),
  },
  { additionalProperties: false },
);
export type DatasetVersionListQuery = Static<typeof DatasetVersionListQuery>;
