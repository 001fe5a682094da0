import { CsvError, parse } from 'csv-parse/sync';
import type { ErrorDetail } from '../platform/errors.js';
import { withoutByteOrderMark, type SourceRecord, type SourceRecords } from './inventory-source.js';

/** A record as csv-parse returns it with `info: true`: `lines` is the line the record ends on. */
interface CsvRow {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/** Delimiters tried when none is given, in order of preference on a tie. */
const candidateDelimiters = [',', ';', '\t', '|'] as const;

/**
 * Reads a CSV file whose first line is the header. Accepts a byte order mark, CRLF or LF line
 * ends and quoted values spanning lines. Rows with too few or too many values are reported with
 * their line numbers rather than dropped. A malformed quote stops reading at the line it is on.
 */
export function readCsvRecords(text: string, delimiter?: string): SourceRecords {
  const content = withoutByteOrderMark(text);
  const separator = delimiter ?? detectDelimiter(content);
  const problems: ErrorDetail[] = [];

  let rows: CsvRow[];
  try {
    rows = parse(content, { delimiter: separator, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as CsvRow[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    problems.push({ path: line ? `line ${line}` : 'file', message: `is not valid CSV: ${error.message}; check the quotes on that line` });
    return { records: [], columns: [], problems };
  }

  const [header, ...body] = rows;
  if (!header) {
    problems.push({ path: 'line 1', message: 'the file is empty; expected a header row naming the columns' });
    return { records: [], columns: [], problems };
  }
  const columns = header.record.map((name) => name.trim());
  problems.push(...findHeaderProblems(columns));

  const records: SourceRecord[] = [];
  let previous = header.info;
  for (const { record, info } of body) {
    // csv-parse reports the line a record ends on; it starts after the previous record and any skipped empty lines.
    const line = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    if (record.length !== columns.length) {
      problems.push(...describeFieldCount(line, record.length, columns));
      continue;
    }
    const values: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      values[column] = record[index];
    });
    records.push({ location: `line ${line}`, values });
  }
  return { records, columns, problems };
}

/** Picks the candidate delimiter that occurs most often outside quotes on the header line. */
export function detectDelimiter(content: string): string {
  const counts = new Map<string, number>(candidateDelimiters.map((candidate) => [candidate, 0]));
  let quoted = false;
  for (const character of content) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === '\n' || character === '\r')) break;
    else if (!quoted && counts.has(character)) counts.set(character, counts.get(character)! + 1);
  }
  let best: string = candidateDelimiters[0];
  for (const candidate of candidateDelimiters) {
    if (counts.get(candidate)! > counts.get(best)!) best = candidate;
  }
  return best;
}

function findHeaderProblems(columns: readonly string[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  columns.forEach((column, index) => {
    if (column === '') {
      problems.push({ path: 'line 1', message: `column ${index + 1} has no name; give every column of the header row a name` });
    } else if (seen.has(column)) {
      problems.push({ path: `line 1, ${column}`, message: 'the column name repeats; rename one of the columns so each name is unique' });
    }
    seen.add(column);
  });
  return problems;
}

function describeFieldCount(line: number, count: number, columns: readonly string[]): ErrorDetail[] {
  if (count < columns.length) {
    return columns.slice(count).map((column) => ({
      path: `line ${line}, ${column}`,
      message: `is missing: the row has ${count} values but the header has ${columns.length} columns; add the missing values or empty fields`,
    }));
  }
  return [
    {
      path: `line ${line}`,
      message: `has ${count} values but the header has ${columns.length} columns; quote values that contain the delimiter`,
    },
  ];
}
