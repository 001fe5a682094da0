import { CreateAiSystem } from '../ai-systems/ai-system.schemas.js';
import type { ErrorDetail } from '../platform/errors.js';
import type { InventoryFormat, SourceRecord } from './inventory-source.js';
import { aiSystemFields, placeholdersOf, registerManagedFields, type AiSystemField, type FieldRule, type InventoryMapping } from './inventory-mapping.js';
import { valueAt } from './structured-records.js';

/** An AI system as one source record maps to it, before the register's schema checks it. */
export interface MappedRecord {
  location: string;
  candidate: Record<string, unknown>;
  problems: ErrorDetail[];
}

const defaultListSeparator = ';';
const trueWords = new Set(['true', 'yes', '1']);
const falseWords = new Set(['false', 'no', '0']);

/**
 * Builds the AI system fields of one record. A blank, null or missing source value counts as not
 * given, so the rule's default or the register's own default applies. Text is trimmed. Text given
 * for a list is split on the rule's separator, and true/false, yes/no or 1/0 given for a boolean
 * become booleans, so that CSV files can carry every field. Values the schema rejects are kept as
 * they are, so that the check that follows reports them.
 */
export function applyMapping(mapping: InventoryMapping, record: SourceRecord, format: InventoryFormat): MappedRecord {
  const candidate: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(mapping.fields) as [AiSystemField, FieldRule][]) {
    const value = coerce(field, resolve(rule, record.values), rule.split);
    if (value !== undefined) candidate[field] = value;
  }
  const problems = mapping.identity && format !== 'csv' ? findUnknownFields(Object.keys(record.values), record.location, 'property') : [];
  return { location: record.location, candidate, problems };
}

/** Reports source fields that match no AI system field, for imports without a mapping file. */
export function findUnknownFields(names: readonly string[], location: string, noun: 'column' | 'property'): ErrorDetail[] {
  const known = new Set<string>([...aiSystemFields, ...registerManagedFields]);
  return names
    .filter((name) => !known.has(name))
    .map((name) => ({
      path: `${location}, ${name}`,
      message: `is not an AI system field; rename the ${noun} to one of ${aiSystemFields.join(', ')}, or import with a mapping file`,
    }));
}

function resolve(rule: FieldRule, values: Record<string, unknown>): unknown {
  let value: unknown;
  if (rule.value !== undefined) value = rule.value;
  else if (rule.template !== undefined) value = renderTemplate(rule.template, values);
  else value = lookUp(values, rule.from!);

  if (typeof value === 'string') value = value.trim();
  if (rule.values && isScalar(value) && Object.hasOwn(rule.values, String(value))) value = rule.values[String(value)];
  if (isBlank(value)) return rule.default;
  return value;
}

/** Reads a source field: an exact key first (CSV columns may contain dots), else a dotted path. */
export function lookUp(values: Record<string, unknown>, path: string): unknown {
  return Object.hasOwn(values, path) ? values[path] : valueAt(values, path);
}

function renderTemplate(template: string, values: Record<string, unknown>): string {
  let rendered = template;
  for (const placeholder of placeholdersOf(template)) {
    const value = lookUp(values, placeholder);
    const text = Array.isArray(value) ? value.filter((item) => !isBlank(item)).join(', ') : isBlank(value) ? '' : String(value).trim();
    rendered = rendered.replace(new RegExp(`\\{\\s*${escapeRegExp(placeholder)}\\s*\\}`, 'g'), () => text);
  }
  return rendered;
}

function coerce(field: AiSystemField, value: unknown, separator: string | undefined): unknown {
  if (value === undefined || value === null) return value;
  const schema = CreateAiSystem.properties[field] as { type?: string };

  if (schema.type === 'array' && typeof value === 'string') {
    return value
      .split(separator ?? defaultListSeparator)
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  if (schema.type === 'boolean' && typeof value === 'string') {
    const word = value.toLowerCase();
    if (trueWords.has(word)) return true;
    if (falseWords.has(word)) return false;
    return value;
  }
  if (schema.type !== 'array' && schema.type !== 'boolean' && (typeof value === 'number' || typeof value === 'boolean')) {
    return String(value);
  }
  return value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
