import type { TSchema } from '@sinclair/typebox';
import '../platform/formats.js';
import { CreateAiSystem } from '../ai-systems/ai-system.schemas.js';
import type { ErrorDetail } from '../platform/errors.js';
import { findProblems } from '../platform/validation.js';
import type { InventoryFormat } from './inventory-source.js';
import type { AiSystemField, FieldRule, InventoryMapping } from './inventory-mapping.js';
import type { MappedRecord } from './apply-mapping.js';

/**
 * Checks one mapped record against the register's schema and words each problem for the person
 * fixing the file: the path names the record's location and the AI system field, and the message
 * names the source field the value came from and what is expected.
 */
export function findRecordProblems(mapped: MappedRecord, mapping: InventoryMapping, format: InventoryFormat): ErrorDetail[] {
  const seen = new Set<string>();
  const problems: ErrorDetail[] = [...mapped.problems];

  for (const problem of findProblems(CreateAiSystem, mapped.candidate)) {
    const field = problem.path.split('/')[1] as AiSystemField | undefined;
    if (!field || !(field in CreateAiSystem.properties)) {
      problems.push({ path: mapped.location, message: problem.message });
      continue;
    }
    const message = mapped.candidate[field] === undefined ? describeMissing(field, mapping, format) : describeInvalid(field, problem.message, mapping, format);
    const path = `${mapped.location}, ${field}${problem.path.split('/').slice(2).map((segment) => `[${segment}]`).join('')}`;
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message });
  }
  return problems;
}

function describeMissing(field: AiSystemField, mapping: InventoryMapping, format: InventoryFormat): string {
  const rule = mapping.fields[field];
  if (mapping.identity) return `is missing; add a "${field}" ${noun(format)} or import with a mapping file`;
  if (!rule) return `is missing; map it in the mapping file under fields.${field}`;
  return `is missing: ${describeSource(rule, format)} is empty; fill it in or give the mapping a default for ${field}`;
}

function describeInvalid(field: AiSystemField, message: string, mapping: InventoryMapping, format: InventoryFormat): string {
  const expected = rewordTypeBoxMessage(message, CreateAiSystem.properties[field]);
  const rule = mapping.fields[field];
  if (!rule || (rule.from === field && rule.values === undefined)) return expected;
  return `${expected}, from ${describeSource(rule, format)}`;
}

function describeSource(rule: FieldRule, format: InventoryFormat): string {
  if (rule.value !== undefined) return 'the constant value in the mapping';
  if (rule.template !== undefined) return `the template "${rule.template}"`;
  return `${noun(format)} "${rule.from}"${rule.values ? ' after the mapping\'s value map' : ''}`;
}

function noun(format: InventoryFormat): string {
  return format === 'csv' ? 'column' : 'property';
}

/** Replaces TypeBox's generic wording for unions and booleans; the received value stays at the end. */
function rewordTypeBoxMessage(message: string, schema: TSchema | undefined): string {
  const union = 'Expected union value';
  if (message.startsWith(union)) return `must be ${describeExpected(schema)}${message.slice(union.length)}`;
  const boolean = 'Expected boolean';
  if (message.startsWith(boolean)) return `must be true or false, or yes or no, or 1 or 0${message.slice(boolean.length)}`;
  return message;
}

/** Words what a union schema accepts: its literal values, or each alternative's kind. */
function describeExpected(schema: TSchema | undefined): string {
  const item = schema?.type === 'array' ? (schema.items as TSchema) : schema;
  const alternatives = (item?.anyOf ?? []) as TSchema[];
  if (alternatives.length > 0 && alternatives.every((alternative) => alternative.const !== undefined)) {
    return `one of ${alternatives.map((alternative) => String(alternative.const)).join(', ')}`;
  }
  const kinds = alternatives.map((alternative) => {
    if (alternative.type === 'null') return 'empty';
    if (alternative.format === 'date') return 'a date (YYYY-MM-DD)';
    if (alternative.format === 'date-time') return 'an ISO 8601 date-time';
    if (alternative.format === 'uri') return 'an absolute URL';
    return 'text';
  });
  return [...new Set(kinds)].join(' or ');
}
