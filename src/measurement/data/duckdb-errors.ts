import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

import type { AppError } from '../../platform/errors.js';
import { readCsvRecords } from './csv-records.js';
import {
  fileNotFound,
  malformedCsvLine,
  malformedJsonLine,
  outOfMemory,
  queryFailed,
  unparsableCsvLayout,
  unreadableFile,
  valueNotOfType,
} from './data-errors.js';
import type { FileFormat } from './file-spec.js';

/** The file a DuckDB error came from, and how it was read. */
export interface ErrorContext {
  readonly path: string;
  readonly format: FileFormat;
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
  readonly skipRows: number;
  readonly header: boolean;
  readonly memoryLimit: string;
}

/** The position of a malformed CSV record, found by reading the file again: its first line and, for a wrong field count, its number of fields. */
export interface CsvRecordPosition {
  readonly line: number;
  readonly fieldCount: number | null;
}

/** Returns whether DuckDB failed while sniffing a CSV file's layout; such messages name no line. */
export function isCsvSniffingError(error: unknown): boolean {
  return messageOf(error).includes('Error when sniffing file');
}

/**
 * Translates a DuckDB error into an AppError that names the file and, where DuckDB reports it,
 * the line and column. Only facts parsed from the message reach the user, never DuckDB's text
 * with its SQL excerpt. The original error stays attached as the cause of unknown failures.
 */
export function translateDuckDbError(error: unknown, context: ErrorContext, jsonLine: number | null = null, csvRecord: CsvRecordPosition | null = null): AppError {
  const message = messageOf(error);
  const { path } = context;

  if (message.includes('No files found that match the pattern')) return fileNotFound(path);
  if (message.startsWith('Out of Memory Error')) return outOfMemory(path, context.memoryLimit);

  const conversion = /CSV Error on Line: (\d+)[\s\S]*?Error when converting column "([^"]*)"\. Could not convert string "([\s\S]*?)" to '([^']+)'/.exec(message);
  if (conversion) {
    return valueNotOfType(path, conversion[2] as string, csvRecord?.line ?? Number(conversion[1]), conversion[3] as string, conversion[4] as string);
  }

  const csvLine = /CSV Error on Line: (\d+)/.exec(message);
  if (csvLine) return malformedCsvLine(path, csvRecord?.line ?? Number(csvLine[1]), csvLineReason(message, csvRecord), context.delimiter, context.quote);

  if (isCsvSniffingError(error)) return unparsableCsvLayout(path, context.delimiter, context.quote);

  const json = malformedJsonPattern.exec(message);
  if (json) return malformedJsonLine(path, jsonLine ?? Number(json[1]), (json[2] as string).trim().replace(/\.$/, ''));

  if (context.format === 'parquet' && /too small to be a Parquet file|No magic bytes found|not a valid Parquet file|Invalid Parquet/i.test(message)) {
    return unreadableFile(path, 'parquet', 'it is not a Parquet file or it is damaged');
  }
  if (context.format === 'jsonl' && /JSON/.test(message) && message.startsWith('Invalid Input Error')) {
    return unreadableFile(path, 'jsonl', firstLine(message));
  }

  return queryFailed(path, firstLine(message), error);
}

const malformedJsonPattern = /Malformed JSON in file "[^"]*", at byte \d+ in (?:line|record\/value) (\d+): ([^\n]*)/;

/**
 * Finds the line of the first malformed record of a JSON Lines file, when DuckDB reported one.
 * DuckDB 1.5.6 reports the line after the malformed one, so this reads the file up to the
 * reported line and returns the first line that is not valid JSON, or the reported line when
 * every line before it parses.
 */
export async function findMalformedJsonLine(error: unknown, context: ErrorContext): Promise<number | null> {
  const match = context.format === 'jsonl' ? malformedJsonPattern.exec(messageOf(error)) : null;
  if (!match) return null;
  const reported = Number(match[1]);
  const lines = createInterface({ input: createReadStream(context.path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (lineNumber > reported) break;
      if (line.trim() !== '' && !isJson(line)) return lineNumber;
    }
  } finally {
    lines.close();
  }
  return reported;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Describes in plain words why DuckDB rejected a CSV line, with the field count counted again where there is one. */
function csvLineReason(message: string, csvRecord: CsvRecordPosition | null): string {
  const columns = fieldCountPattern.exec(message);
  if (columns) return `expected ${columns[1]} fields, found ${csvRecord?.fieldCount ?? columns[2]}`;
  if (/unterminated quote/i.test(message)) return 'a quoted field is not closed';
  if (/Invalid unicode/i.test(message)) return 'it is not valid UTF-8 text';
  if (/Maximum line size/i.test(message)) return 'it is longer than the maximum line size';
  if (/quote/i.test(message)) return 'a quote is misplaced';
  return 'it does not fit the CSV layout';
}

const fieldCountPattern = /Expected Number of Columns: (\d+) Found: (\d+)/;
const conversionPattern = /Error when converting column "([^"]*)"\. Could not convert string "([\s\S]*?)" to '/;

/**
 * Finds the malformed record that a DuckDB CSV error reports, by reading the file again with the
 * same layout: the first data record with too many (or too few) fields when DuckDB reports a
 * field count, the first whose field contains the value DuckDB could not convert, or the record
 * whose quote is never closed. Returns null for other errors, or when no record fits, in which
 * case the message keeps DuckDB's numbers.
 */
export async function findMalformedCsvRecord(error: unknown, context: ErrorContext): Promise<CsvRecordPosition | null> {
  if (context.format !== 'csv') return null;
  const message = messageOf(error);
  if (!/CSV Error on Line: \d+/.test(message)) return null;
  const fieldCount = fieldCountPattern.exec(message);
  const conversion = conversionPattern.exec(message);
  const unterminated = /unterminated quote/i.test(message);
  if (!fieldCount && !conversion && !unterminated) return null;

  let header: readonly string[] | null = null;
  try {
    for await (const record of readCsvRecords(context.path, context)) {
      if (context.header && header === null) {
        header = record.fields;
        continue;
      }
      if (fieldCount) {
        const expected = Number(fieldCount[1]);
        const tooMany = Number(fieldCount[2]) > expected;
        if (tooMany ? record.fields.length > expected : record.fields.length < expected) return { line: record.line, fieldCount: record.fields.length };
      } else if (conversion) {
        const index = header === null ? -1 : header.indexOf(conversion[1] as string);
        const fields = index === -1 ? record.fields : [record.fields[index]];
        if (fields.includes(conversion[2] as string)) return { line: record.line, fieldCount: null };
      } else if (record.unterminatedQuote) {
        return { line: record.line, fieldCount: null };
      }
    }
  } catch (readError) {
    // The file is read again only to correct a message, so if that fails, DuckDB's numbers stand.
    if (readError instanceof Error && 'code' in readError) return null;
    throw readError;
  }
  return null;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/^[A-Za-z ]+ Error: /, '').trim();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
