import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../platform/validation.js';
import { inventoryFormats } from './inventory-source.js';

/** Schemas of inventory import and export as the API and the CLI see them. */

export const InventoryFormatSchema = literalUnion(inventoryFormats, { description: `File format: one of ${inventoryFormats.join(', ')}` });

export const ImportInventoryRequest = Type.Object(
  {
    format: InventoryFormatSchema,
    content: Type.String({ minLength: 1, description: 'The text of the inventory file' }),
    mapping: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: 'A mapping as data (the content of a mapping file); without it, fields must be named like the AI system fields' }),
    ),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1, description: 'CSV delimiter; detected from the header row when absent' })),
    sourceName: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'File name shown in messages and recorded in the audit trail' })),
    dryRun: Type.Optional(Type.Boolean({ description: 'Validate only; write nothing', default: false })),
  },
  { $id: 'ImportInventoryRequest', additionalProperties: false },
);
export type ImportInventoryRequest = Static<typeof ImportInventoryRequest>;

export const ImportReport = Type.Object(
  {
    importId: Type.Union([Type.String(), Type.Null()], { description: 'Record id of the inventory.imported audit event; null for a dry run' }),
    sourceName: Type.String(),
    format: InventoryFormatSchema,
    sha256: Type.String({ description: 'SHA-256 of the file content, hexadecimal' }),
    dryRun: Type.Boolean(),
    aiSystems: Type.Integer({ minimum: 0, description: 'AI systems created, or that would be created in a dry run' }),
    created: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), businessUnit: Type.String() })),
  },
  { $id: 'ImportReport', additionalProperties: false },
);
export type ImportReport = Static<typeof ImportReport>;

export const ExportInventoryQuery = Type.Object(
  { format: Type.Optional(literalUnion(inventoryFormats, { default: 'json', description: `One of ${inventoryFormats.join(', ')}` })) },
  { additionalProperties: false },
);
export type ExportInventoryQuery = Static<typeof ExportInventoryQuery>;
