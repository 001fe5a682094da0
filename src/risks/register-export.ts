import ExcelJS from 'exceljs';
import { registerColumns, type RegisterRow } from './register-columns.js';

/**
 * Renders the risk register as CSV or as an XLSX workbook (one sheet, a header row, one row per
 * risk). Both formats have the columns of registerColumns, so either can be imported again.
 */

export const registerFormats = ['csv', 'xlsx'] as const;
export type RegisterFormat = (typeof registerFormats)[number];

export const registerMediaTypes: Record<RegisterFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const registerSheetName = 'Risk register';

export function registerFileName(format: RegisterFormat, date: string): string {
  return `risk-register-${date}.${format}`;
}

export async function renderRegister(rows: readonly RegisterRow[], format: RegisterFormat, createdAt: Date): Promise<Buffer> {
  if (format === 'csv') return Buffer.from(renderCsv(rows), 'utf8');
  return renderXlsx(rows, createdAt);
}

/**
 * Writes RFC 4180 CSV with CRLF line ends. A text cell that starts with =, +, -, @, tab or
 * carriage return gets a leading apostrophe, so that a spreadsheet program shows it as text
 * instead of running it as a formula; the import removes that apostrophe again.
 */
function renderCsv(rows: readonly RegisterRow[]): string {
  const lines = [registerColumns.map((column) => quoteCsv(column.header))];
  for (const row of rows) lines.push(registerColumns.map((column) => quoteCsv(neutralizeFormula(String(column.value(row))))));
  return `${lines.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}

export const formulaPrefix = /^[=+\-@\t\r]/;

function neutralizeFormula(cell: string): string {
  return formulaPrefix.test(cell) ? `'${cell}` : cell;
}

function quoteCsv(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

async function renderXlsx(rows: readonly RegisterRow[], createdAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'custos';
  workbook.title = 'Risk register';
  workbook.created = createdAt;
  const sheet = workbook.addWorksheet(registerSheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = registerColumns.map((column) => ({ header: column.header, key: column.header, width: column.width }));
  // Text is written as strings, which ExcelJS stores as shared strings and never as formulas.
  for (const row of rows) sheet.addRow(registerColumns.map((column) => column.value(row)));

  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: registerColumns.length } };
  for (let index = 2; index <= sheet.rowCount; index += 1) sheet.getRow(index).alignment = { vertical: 'top', wrapText: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
