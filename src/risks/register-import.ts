import ExcelJS from 'exceljs';
import { CsvError, parse } from 'csv-parse/sync';
import type { ErrorDetail } from '../platform/errors.js';
import { findProblems } from '../platform/validation.js';
import { registerColumns, headerOf, type ImportedField } from './register-columns.js';
import { formulaPrefix, registerSheetName, type RegisterFormat } from './register-export.js';
import { maxAxisSize } from './matrix.js';
import { CreateRisk } from './risk.schemas.js';

/**
 * Reads a risk register file (CSV or XLSX, with the export's header row) into candidate risks.
 * Rows are numbered as a spreadsheet shows them: the header is row 1. Every problem names its
 * row and column, and nothing is written while any row has one.
 */

/** One data row: its number and its cells by header. */
export interface SheetRow {
  row: number;
  cells: Map<string, string>;
}

export interface ReadSheet {
  headers: string[];
  rows: SheetRow[];
  problems: ErrorDetail[];
}

/** A row turned into a risk: the id it names (if any) and the fields it sets. */
export interface ImportedRisk {
  row: number;
  id: string | null;
  candidate: CreateRisk;
  /** False when the row failed the schema; its references are still checked, so every problem shows at once. */
  valid: boolean;
  /**
   * True when the row's status is accepted. That status cannot be set by import: it is kept for
   * a risk already accepted and rejected otherwise.
   */
  accepted: boolean;
}

const maxRows = 10_000;

/** Path segments under /api/risks that a risk id must not take, or GET /api/risks/{id} would not reach it. */
const reservedIds = new Set(['matrix', 'matrices', 'categories', 'escalations', 'erm-mapping', 'acceptance-authorities', 'export', 'import']);

export async function readRegisterFile(content: Buffer, format: RegisterFormat): Promise<ReadSheet> {
  const sheet = format === 'csv' ? readCsv(content.toString('utf8')) : await readXlsx(content);
  if (sheet.problems.length > 0) return sheet;
  if (sheet.rows.length > maxRows) {
    return { ...sheet, problems: [{ path: 'file', message: `has ${sheet.rows.length} rows; import at most ${maxRows} at a time` }] };
  }
  return { ...sheet, problems: findHeaderProblems(sheet.headers) };
}

function readCsv(text: string): ReadSheet {
  const content = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let records: string[][];
  try {
    records = parse(content, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { headers: [], rows: [], problems: [{ path: 'file', message: `is not valid CSV: ${error.message}; check the quotes on that line` }] };
  }
  const [header, ...body] = records;
  if (!header) return { headers: [], rows: [], problems: [{ path: 'row 1', message: 'the file is empty; expected a header row naming the columns' }] };
  const headers = header.map((name) => name.trim());
  const rows = body.map((record, index) => {
    const cells = new Map<string, string>();
    headers.forEach((name, column) => cells.set(name, withoutFormulaGuard(record[column] ?? '')));
    return { row: index + 2, cells };
  });
  const problems = body.flatMap((record, index) =>
    record.length > headers.length ? [{ path: `row ${index + 2}`, message: `has ${record.length} values but the header names ${headers.length} columns; check for an unquoted comma` }] : [],
  );
  return { headers, rows, problems };
}

/** Removes the apostrophe that the export puts before text a spreadsheet would take for a formula. */
function withoutFormulaGuard(cell: string): string {
  return cell.startsWith("'") && formulaPrefix.test(cell.slice(1)) ? cell.slice(1) : cell;
}

async function readXlsx(content: Buffer): Promise<ReadSheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (error) {
    return { headers: [], rows: [], problems: [{ path: 'file', message: `is not a readable XLSX workbook (${error instanceof Error ? error.message : String(error)}); save it from a spreadsheet program as .xlsx` }] };
  }
  const sheet = workbook.getWorksheet(registerSheetName) ?? workbook.worksheets[0];
  if (!sheet) return { headers: [], rows: [], problems: [{ path: 'file', message: 'the workbook has no worksheet' }] };

  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, column) => {
    headers[column - 1] = cell.text.trim();
  });
  if (headers.length === 0) return { headers, rows: [], problems: [{ path: 'row 1', message: 'the sheet is empty; expected a header row naming the columns' }] };

  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    const cells = new Map<string, string>();
    headers.forEach((name, index) => cells.set(name, row.getCell(index + 1).text));
    if ([...cells.values()].every((value) => value.trim() === '')) return;
    rows.push({ row: number, cells });
  });
  return { headers, rows, problems: [] };
}

function findHeaderProblems(headers: readonly string[]): ErrorDetail[] {
  const known = new Map(registerColumns.map((column) => [column.header.toLowerCase(), column]));
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  headers.forEach((header, index) => {
    const key = header.toLowerCase();
    if (header === '') return;
    if (!known.has(key)) problems.push({ path: `row 1, column ${index + 1}`, message: `"${header}" is not a column of the risk register; use the headers of an export (${registerColumns.map((column) => column.header).join(', ')})` });
    if (seen.has(key)) problems.push({ path: `row 1, column ${index + 1}`, message: `"${header}" appears twice; keep one column of each name` });
    seen.add(key);
  });
  for (const column of registerColumns) {
    if (column.required && !seen.has(column.header.toLowerCase())) problems.push({ path: 'row 1', message: `column "${column.header}" is missing; the import needs it for every risk` });
  }
  return problems;
}

/** Reads the cell of a field, matching headers without regard to case; blank cells give ''. */
function cellOf(row: SheetRow, field: ImportedField): string {
  const header = headerOf(field).toLowerCase();
  for (const [name, value] of row.cells) if (name.toLowerCase() === header) return value.trim();
  return '';
}

/** Reads a level; the active matrix's own range is checked later, with the register's other checks. */
function levelOf(row: SheetRow, field: ImportedField, problems: ErrorDetail[]): number {
  const text = cellOf(row, field);
  const level = /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
  if (!(level >= 1 && level <= maxAxisSize)) {
    problems.push({ path: `row ${row.row}, ${headerOf(field)}`, message: `must be a whole number from 1 to ${maxAxisSize} (received "${text}")` });
  }
  return level;
}

function ratingOf(row: SheetRow, stage: 'inherent' | 'residual', problems: ErrorDetail[]): { likelihood: number; impact: number } | null {
  const likelihood = cellOf(row, `${stage}.likelihood`);
  const impact = cellOf(row, `${stage}.impact`);
  if (likelihood === '' && impact === '') return null;
  if (likelihood === '' || impact === '') {
    const missing = likelihood === '' ? `${stage}.likelihood` : `${stage}.impact`;
    problems.push({ path: `row ${row.row}, ${headerOf(missing)}`, message: `is empty; give both the ${stage} likelihood and impact, or neither` });
    return null;
  }
  const before = problems.length;
  const rating = { likelihood: levelOf(row, `${stage}.likelihood`, problems), impact: levelOf(row, `${stage}.impact`, problems) };
  return problems.length === before ? rating : null;
}

/**
 * Turns each row into a candidate risk and checks it against the API's schema. Problems name the
 * row and the column, as `row 4, Owner id`. Rows with problems are returned too, marked invalid.
 */
export function toImportedRisks(rows: readonly SheetRow[]): { risks: ImportedRisk[]; problems: ErrorDetail[] } {
  const risks: ImportedRisk[] = [];
  const problems: ErrorDetail[] = [];
  const firstRowOfId = new Map<string, number>();
  for (const row of rows) {
    const rowProblems: ErrorDetail[] = [];
    const id = cellOf(row, 'id');
    if (id.length > 64) rowProblems.push({ path: `row ${row.row}, Id`, message: `is ${id.length} characters long; an id has at most 64` });
    if (reservedIds.has(id)) rowProblems.push({ path: `row ${row.row}, Id`, message: `"${id}" names an API path under /api/risks and cannot be a risk id; leave the Id empty to get a new one` });
    if (id !== '') {
      const first = firstRowOfId.get(id);
      if (first !== undefined) rowProblems.push({ path: `row ${row.row}, Id`, message: `"${id}" is also the id on row ${first}; each risk appears once` });
      else firstRowOfId.set(id, row.row);
    }

    const candidate: Record<string, unknown> = {
      title: cellOf(row, 'title'),
      description: cellOf(row, 'description'),
      aiSystemId: cellOf(row, 'aiSystemId') || null,
      riskSourceRef: cellOf(row, 'riskSourceRef'),
      threat: cellOf(row, 'threat') || null,
      objectiveRef: cellOf(row, 'objectiveRef'),
      category: cellOf(row, 'category'),
      ownerPersonId: cellOf(row, 'ownerPersonId'),
      inherent: ratingOf(row, 'inherent', rowProblems),
      residual: ratingOf(row, 'residual', rowProblems),
    };
    const status = cellOf(row, 'status');
    const accepted = status === 'accepted';
    if (status !== '' && !accepted) candidate.status = status;

    const empty = new Set<string>();
    for (const column of registerColumns) {
      if (!column.required || !column.field || candidate[column.field] !== '') continue;
      empty.add(`/${column.field}`);
      rowProblems.push({ path: `row ${row.row}, ${column.header}`, message: 'is empty; every risk needs one' });
    }
    for (const problem of findProblems(CreateRisk, candidate)) {
      if (!empty.has(problem.path)) rowProblems.push(toRowProblem(row.row, problem));
    }
    problems.push(...rowProblems);
    risks.push({ row: row.row, id: id === '' ? null : id, candidate: candidate as CreateRisk, accepted, valid: rowProblems.length === 0 });
  }
  return { risks, problems };
}

/** Rewrites a problem at a JSON pointer such as /inherent/likelihood as one at `row N, <column>`. */
export function toRowProblem(row: number, problem: ErrorDetail): ErrorDetail {
  const field = problem.path.split('/').filter((segment) => segment !== '').join('.');
  const column = registerColumns.find((candidate) => candidate.field === field);
  if (!column) return { path: `row ${row}`, message: field === '' ? problem.message : `${field}: ${problem.message}` };
  return { path: `row ${row}, ${column.header}`, message: problem.message };
}
