import { Type, type Static } from '@sinclair/typebox';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { componentKinds } from './third-party-component.js';

/** Schemas of third-party components as the API and the services see them. */

const nonBlank = (max: number, description: string) => Type.String({ maxLength: max, pattern: notBlankPattern, description });

export const ComponentKind = literalUnion(componentKinds, { description: `What the component supplies: one of ${componentKinds.join(', ')}` });

const editableFields = {
  name: nonBlank(200, 'Name of the model or dataset as its vendor publishes it'),
  vendor: nonBlank(200, 'Organization or project that publishes the component'),
  licence: nonBlank(200, 'Licence it is used under, for example Apache-2.0, or "unstated" when the vendor names none'),
  componentVersion: nonBlank(200, "The vendor's version, tag or release date of the component"),
  sourceUrl: Type.Union([Type.String({ format: 'uri', maxLength: 2_000 }), Type.Null()], { description: 'Where the component was obtained' }),
};

export const ThirdPartyComponent = Type.Object(
  {
    id: Type.String(),
    ...editableFields,
    kind: ComponentKind,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ThirdPartyComponent', additionalProperties: false },
);
export type ThirdPartyComponent = Static<typeof ThirdPartyComponent>;

export const CreateThirdPartyComponent = Type.Object(
  {
    name: editableFields.name,
    vendor: editableFields.vendor,
    kind: ComponentKind,
    licence: editableFields.licence,
    componentVersion: editableFields.componentVersion,
    sourceUrl: Type.Optional(editableFields.sourceUrl),
  },
  { $id: 'CreateThirdPartyComponent', additionalProperties: false },
);
export type CreateThirdPartyComponent = Static<typeof CreateThirdPartyComponent>;

/** Fields a PATCH may change. The kind is fixed, because models and datasets point to components of their own kind. */
export const UpdateThirdPartyComponent = Type.Partial(Type.Object(editableFields), {
  $id: 'UpdateThirdPartyComponent',
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateThirdPartyComponent = Static<typeof UpdateThirdPartyComponent>;

export const componentSortKeys = ['name', 'vendor', 'createdAt', 'updatedAt'] as const;
export type ComponentSortKey = (typeof componentSortKeys)[number];

export const ThirdPartyComponentListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in name, vendor and licence, ignoring case' })),
    kind: Type.Optional(ComponentKind),
    vendor: Type.Optional(Type.String({ maxLength: 200, description: 'Exact vendor' })),
    sort: Type.Optional(SortQuery(componentSortKeys, 'name')),
  },
  { additionalProperties: false },
);
export type ThirdPartyComponentListQuery = Static<typeof ThirdPartyComponentListQuery>;
