import { stringify as stringifyYaml } from 'yaml';
import { AiSystem } from '../ai-systems/ai-system.schemas.js';
import { toAiSystem } from '../ai-systems/ai-systems.repository.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { InventoryFormat } from './inventory-source.js';

/** The whole register as the text of one file, and how many systems it contains. */
export interface InventoryExport {
  content: string;
  aiSystems: number;
  mediaType: string;
}

const columns = Object.keys(AiSystem.properties) as (keyof AiSystem)[];

const mediaTypes: Record<InventoryFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  yaml: 'application/yaml; charset=utf-8',
};

/**
 * Writes every AI system in the register, ordered by business unit and name, as JSON, YAML or
 * CSV. Each format can be imported again without a mapping file: the importer skips the fields
 * the register manages itself (id, version, createdAt, updatedAt).
 */
export async function exportInventory(ctx: ServiceContext, caller: Caller, format: InventoryFormat): Promise<InventoryExport> {
  authorize(caller, 'register.read');
  const rows = await ctx.database.db.selectFrom('ai_systems').selectAll().orderBy('business_unit').orderBy('name').orderBy('id').execute();
  const systems = rows.map(toAiSystem);
  return { content: render(systems, format), aiSystems: systems.length, mediaType: mediaTypes[format] };
}

function render(systems: AiSystem[], format: InventoryFormat): string {
  if (format === 'json') return `${JSON.stringify(systems, null, 2)}\n`;
  if (format === 'yaml') return systems.length === 0 ? '[]\n' : stringifyYaml(systems, { lineWidth: 0 });
  return toCsv(systems);
}

/**
 * Renders RFC 4180 CSV with a header row and CRLF line ends. Lists are joined with "; ", which
 * the importer splits on again.
 * NOTE: a list item that itself contains ";" comes back as two items on re-import, and values
 * starting with =, +, - or @ are written as they are, so a spreadsheet program may read them as formulas.
 */
function toCsv(systems: AiSystem[]): string {
  const lines = [columns.map(quote).join(',')];
  for (const system of systems) {
    lines.push(columns.map((column) => quote(cellOf(system[column]))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('; ');
  return String(value);
}

function quote(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
