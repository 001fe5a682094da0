import path from 'node:path';
import { AppError } from '../platform/errors.js';

/** An inventory file before mapping: its format, and its records with their locations. */

export const inventoryFormats = ['csv', 'json', 'yaml'] as const;
export type InventoryFormat = (typeof inventoryFormats)[number];

/** One record of an inventory file, keyed by column name (CSV) or property name (JSON, YAML). */
export interface SourceRecord {
  /** The record's starting position for messages: `line 4` in a CSV file, `record 3` in JSON or YAML. */
  location: string;
  values: Record<string, unknown>;
}

/** Records read from a file, and every problem found while reading it. */
export interface SourceRecords {
  records: SourceRecord[];
  /** Column names of a CSV file in header order; absent for JSON and YAML. */
  columns?: string[];
  problems: { path: string; message: string }[];
}

const formatsByExtension: Record<string, InventoryFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
};

/** Returns the explicit format, or the one the file name's extension implies. */
export function detectFormat(fileName: string, explicit?: string): InventoryFormat {
  if (explicit !== undefined) {
    if ((inventoryFormats as readonly string[]).includes(explicit)) return explicit as InventoryFormat;
    throw new AppError('VALIDATION_FAILED', `Unknown inventory format "${explicit}"; use one of ${inventoryFormats.join(', ')}`, [
      { path: 'format', message: `must be one of ${inventoryFormats.join(', ')} (received "${explicit}")` },
    ]);
  }
  const extension = path.extname(fileName).toLowerCase();
  const format = formatsByExtension[extension];
  if (format) return format;
  throw new AppError(
    'VALIDATION_FAILED',
    `Cannot tell the format of "${fileName}" from its extension "${extension}"; name it .csv, .json, .yaml or .yml, or pass --format csv|json|yaml`,
  );
}

/** Removes a leading byte order mark, which spreadsheet programs add to UTF-8 exports. */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Decodes a file's bytes as UTF-8, rejecting invalid sequences rather than replacing them, so a
 * file saved in another encoding is reported instead of imported with garbled names.
 */
export function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  try {
    return withoutByteOrderMark(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new AppError('VALIDATION_FAILED', `"${fileName}" is not UTF-8 text; save it as UTF-8 (in a spreadsheet program: CSV UTF-8) and import it again`);
  }
}
