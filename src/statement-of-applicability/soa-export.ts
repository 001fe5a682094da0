import ExcelJS from 'exceljs';
import type { SoaEntry, SoaExportFormat, SoaVersion } from './soa.schemas.js';

/**
 * Renders a Statement of Applicability version as CSV, as an XLSX workbook (one sheet, a header
 * row, one row per control) or as a printable HTML page. Every format has the same columns.
 */

interface Column {
  header: string;
  width: number;
  value(entry: SoaEntry): string;
}

const decisionLabels: Record<SoaEntry['decision'], string> = { undecided: 'Undecided', applicable: 'Applicable', excluded: 'Excluded' };
const statusLabels: Record<NonNullable<SoaEntry['implementationStatus']>, string> = {
  not_started: 'Not started',
  planned: 'Planned',
  partially_implemented: 'Partially implemented',
  implemented: 'Implemented',
};

const columns: Column[] = [
  { header: 'Control', width: 10, value: (entry) => entry.controlId },
  { header: 'Title', width: 42, value: (entry) => entry.controlTitle },
  { header: 'Group', width: 30, value: (entry) => (entry.groupRef ? `${entry.groupRef.split(':')[1]} ${entry.groupTitle ?? ''}`.trim() : "Organization's own") },
  { header: 'Decision', width: 12, value: (entry) => decisionLabels[entry.decision] },
  { header: 'Justification', width: 60, value: (entry) => entry.justification },
  { header: 'Grounds for inclusion', width: 26, value: (entry) => entry.basis.map((basis) => basis.replace(/_/g, ' ')).join('; ') },
  { header: 'Requirements', width: 24, value: (entry) => entry.requirementRefs.join('; ') },
  { header: 'Implementation status', width: 22, value: (entry) => (entry.implementationStatus ? statusLabels[entry.implementationStatus] : '') },
  { header: 'Owner', width: 22, value: (entry) => entry.ownerName ?? '' },
  { header: 'Evidence', width: 36, value: (entry) => entry.evidence.map((item) => item.title).join('; ') },
  {
    header: 'Risks',
    width: 36,
    value: (entry) => entry.linkedRisks.map((risk) => (risk.residualLevel ? `${risk.title} (residual ${risk.residualLevel})` : risk.title)).join('; '),
  },
  { header: 'Notes', width: 36, value: (entry) => entry.notes },
];

export const exportMediaTypes: Record<SoaExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
};

export function exportFileName(version: SoaVersion, format: SoaExportFormat): string {
  return `statement-of-applicability-v${version.number}.${format}`;
}

/** `approverName` is the approver's user name, shown on the HTML page in place of the user id. */
export async function renderSoa(version: SoaVersion, entries: readonly SoaEntry[], format: SoaExportFormat, approverName?: string): Promise<Buffer> {
  if (format === 'csv') return Buffer.from(renderCsv(entries), 'utf8');
  if (format === 'xlsx') return renderXlsx(version, entries);
  return Buffer.from(renderHtml(version, entries, approverName), 'utf8');
}

/**
 * Writes RFC 4180 CSV with CRLF line ends. A cell that starts with =, +, -, @, tab or carriage
 * return gets a leading apostrophe, so that a spreadsheet program shows it as text instead of
 * running it as a formula.
 */
export function renderCsv(entries: readonly SoaEntry[]): string {
  const lines = [columns.map((column) => quoteCsv(column.header))];
  for (const entry of entries) lines.push(columns.map((column) => quoteCsv(neutralizeFormula(column.value(entry)))));
  return `${lines.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}

function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function quoteCsv(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

async function renderXlsx(version: SoaVersion, entries: readonly SoaEntry[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'custos';
  workbook.title = version.title;
  workbook.created = new Date(version.createdAt);
  const sheet = workbook.addWorksheet('Statement of Applicability', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, key: column.header, width: column.width }));
  // Cells are written as strings, which ExcelJS stores as shared strings and never as formulas.
  for (const entry of entries) sheet.addRow(columns.map((column) => column.value(entry)));

  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle' };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  for (let index = 2; index <= sheet.rowCount; index += 1) sheet.getRow(index).alignment = { vertical: 'top', wrapText: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function renderHtml(version: SoaVersion, entries: readonly SoaEntry[], approverName: string | undefined): string {
  const approval =
    version.status === 'approved'
      ? `Approved by ${escapeHtml(approverName ?? version.approvedBy ?? '')} on ${escapeHtml(version.approvedAt ?? '')}`
      : 'Draft, not approved';
  const counts = version.counts;
  const rows = entries
    .map((entry) => `<tr class="${entry.decision}">${columns.map((column) => `<td>${escapeHtml(column.value(entry))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(version.title)}</title>
<style>
  body { font: 10pt/1.35 system-ui, sans-serif; margin: 1.5cm; color: #111; }
  h1 { font-size: 16pt; margin: 0 0 .2em; }
  p.meta { margin: 0 0 1em; color: #444; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; text-align: left; }
  th { background: #eee; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  tr.excluded td { color: #555; }
  @page { size: A4 landscape; margin: 1cm; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>${escapeHtml(version.title)}</h1>
<p class="meta">Version ${version.number}. ${approval}. ${counts.controls} controls: ${counts.applicable} applicable (${counts.implemented} implemented), ${counts.excluded} excluded, ${counts.undecided} undecided.</p>
<table>
<thead><tr>${columns.map((column) => `<th scope="col">${escapeHtml(column.header)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
