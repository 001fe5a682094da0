import type { TSchema } from '@sinclair/typebox';
import { closestNames } from './name-suggestions.js';

/**
 * Checks a parsed YAML value against the subset of JSON Schema that the policy schema uses
 * (object, record, array, string, number, integer, boolean, const and anyOf), and lists every
 * problem with its JSON pointer, what was expected and what was received. It exists beside
 * TypeBox's checker because a policy author needs the valid keys named for an unknown key and a
 * plain description of the expected value, which TypeBox's messages do not give.
 */

export interface PointerProblem {
  readonly pointer: string;
  readonly message: string;
  readonly expected: string;
  /** The value received, described for a reader; null when the value is missing. */
  readonly received: string | null;
}

type Schema = TSchema & {
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

export function checkShape(schema: TSchema, value: unknown, pointer = ''): PointerProblem[] {
  const problems: PointerProblem[] = [];
  visit(schema as Schema, value, pointer, problems);
  return problems;
}

function visit(schema: Schema, value: unknown, pointer: string, problems: PointerProblem[]): void {
  if (schema.anyOf) {
    visitUnion(schema, schema.anyOf, value, pointer, problems);
    return;
  }
  if ('const' in schema) {
    if (value !== schema.const) problems.push(mismatch(pointer, schema, value));
    return;
  }
  switch (schema.type) {
    case 'object':
      visitObject(schema, value, pointer, problems);
      return;
    case 'array':
      visitArray(schema, value, pointer, problems);
      return;
    case 'string':
      if (typeof value !== 'string') problems.push(mismatch(pointer, schema, value));
      else checkString(schema, value, pointer, problems);
      return;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value) || (schema.type === 'integer' && !Number.isInteger(value))) problems.push(mismatch(pointer, schema, value));
      else if (!isWithinBounds(schema, value)) problems.push(mismatch(pointer, schema, value));
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(mismatch(pointer, schema, value));
      return;
    case 'null':
      if (value !== null) problems.push(mismatch(pointer, schema, value));
      return;
    default:
      return;
  }
}

/**
 * Accepts a value that matches one alternative. Otherwise it reports the problems of the one
 * alternative of the value's kind (so a mapping is checked key by key against the mapping
 * alternative), or a single problem naming every alternative.
 */
function visitUnion(schema: Schema, alternatives: Schema[], value: unknown, pointer: string, problems: PointerProblem[]): void {
  const results = alternatives.map((alternative) => checkShape(alternative, value, pointer));
  if (results.some((result) => result.length === 0)) return;

  const sameKind = alternatives.map((alternative, index) => ({ alternative, index })).filter(({ alternative }) => acceptsKindOf(alternative, value));
  if (sameKind.length === 1 && !('const' in sameKind[0]!.alternative)) {
    problems.push(...results[sameKind[0]!.index]!);
    return;
  }
  const problem = mismatch(pointer, schema, value);
  const literals = alternatives.filter((alternative) => 'const' in alternative).map((alternative) => String(alternative.const));
  const suggestions = typeof value === 'string' && literals.length === alternatives.length ? closestNames(value, literals) : [];
  problems.push(suggestions.length > 0 ? { ...problem, message: `${problem.message}; did you mean ${suggestions.join(' or ')}?` } : problem);
}

function visitObject(schema: Schema, value: unknown, pointer: string, problems: PointerProblem[]): void {
  if (!isMapping(value)) {
    problems.push(mismatch(pointer, schema, value));
    return;
  }
  const properties = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) {
      const expected = describe(properties[key]!);
      problems.push({ pointer: `${pointer}/${escapePointer(key)}`, message: `is missing; add ${key}: ${expected}`, expected, received: null });
    }
  }
  const patternSchema = schema.patternProperties ? Object.values(schema.patternProperties)[0] : undefined;
  const known = Object.keys(properties);
  for (const [key, item] of Object.entries(value)) {
    const keyPointer = `${pointer}/${escapePointer(key)}`;
    const propertySchema = properties[key] ?? patternSchema;
    if (propertySchema) {
      if (item !== undefined) visit(propertySchema, item, keyPointer, problems);
      continue;
    }
    if (schema.additionalProperties === false) problems.push(unknownKey(keyPointer, key, known));
  }
}

function unknownKey(pointer: string, key: string, known: readonly string[]): PointerProblem {
  const suggestions = closestNames(key, known);
  const hint = suggestions.length > 0 ? `did you mean ${suggestions.join(' or ')}? ` : '';
  const expected = `one of the keys ${known.join(', ')}`;
  return { pointer, message: `is not a known key; ${hint}the keys allowed here are ${known.join(', ')}`, expected, received: JSON.stringify(key) };
}

function visitArray(schema: Schema, value: unknown, pointer: string, problems: PointerProblem[]): void {
  if (!Array.isArray(value)) {
    problems.push(mismatch(pointer, schema, value));
    return;
  }
  if ((schema.minItems !== undefined && value.length < schema.minItems) || (schema.maxItems !== undefined && value.length > schema.maxItems)) {
    problems.push(mismatch(pointer, schema, value));
    return;
  }
  if (schema.items) value.forEach((item, index) => visit(schema.items!, item, `${pointer}/${index}`, problems));
}

function checkString(schema: Schema, value: string, pointer: string, problems: PointerProblem[]): void {
  const tooShort = schema.minLength !== undefined && value.length < schema.minLength;
  const tooLong = schema.maxLength !== undefined && value.length > schema.maxLength;
  const unmatched = schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value);
  if (tooShort || tooLong || unmatched) problems.push(mismatch(pointer, schema, value));
}

function isWithinBounds(schema: Schema, value: number): boolean {
  if (schema.minimum !== undefined && value < schema.minimum) return false;
  if (schema.maximum !== undefined && value > schema.maximum) return false;
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
  return true;
}

function acceptsKindOf(schema: Schema, value: unknown): boolean {
  if (schema.anyOf) return schema.anyOf.some((alternative) => acceptsKindOf(alternative, value));
  switch (schema.type) {
    case 'object':
      return isMapping(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number';
    default:
      return typeof value === schema.type || (schema.type === 'null' && value === null);
  }
}

function mismatch(pointer: string, schema: Schema, value: unknown): PointerProblem {
  const expected = describe(schema);
  return { pointer, message: `must be ${expected}`, expected, received: describeReceived(value) };
}

/** Describes what a schema accepts, in words a policy author reads: "a whole number from 2 to 1000". */
export function describe(schema: Schema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.anyOf) {
    const literals = schema.anyOf.filter((alternative) => 'const' in alternative).map((alternative) => String(alternative.const));
    if (literals.length === schema.anyOf.length) return `one of ${literals.join(', ')}`;
    return schema.anyOf.map(describe).join(' or ');
  }
  switch (schema.type) {
    case 'object':
      return schema.properties ? `a mapping with the keys ${Object.keys(schema.properties).join(', ')}` : 'a mapping';
    case 'array':
      return `a list${describeCount(schema.minItems, schema.maxItems)}${schema.items ? ` of ${pluralize(describe(schema.items))}` : ''}`;
    case 'string':
      return describeText(schema);
    case 'integer':
      return `a whole number${describeRange(schema)}`;
    case 'number':
      return `a number${describeRange(schema)}`;
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    default:
      return 'a value';
  }
}

function describeText(schema: Schema): string {
  if (schema.pattern) return `text matching the pattern ${schema.pattern}`;
  if (schema.minLength === 1 && schema.maxLength !== undefined) return `text of 1 to ${schema.maxLength} characters`;
  if (schema.minLength === 1) return 'non-empty text';
  if (schema.maxLength !== undefined) return `text of at most ${schema.maxLength} characters`;
  return 'text';
}

function describeCount(minimum: number | undefined, maximum: number | undefined): string {
  if (minimum !== undefined && minimum > 0 && maximum !== undefined) return ` of ${minimum} to ${maximum} items`;
  if (minimum !== undefined && minimum > 0) return ` of at least ${minimum} item${minimum === 1 ? '' : 's'}`;
  if (maximum !== undefined) return ` of at most ${maximum} items`;
  return '';
}

function describeRange(schema: Schema): string {
  const lower = schema.minimum ?? schema.exclusiveMinimum;
  const upper = schema.maximum ?? schema.exclusiveMaximum;
  if (lower !== undefined && upper !== undefined) {
    const exclusive = schema.exclusiveMinimum !== undefined || schema.exclusiveMaximum !== undefined;
    return exclusive ? ` strictly between ${lower} and ${upper}` : ` from ${lower} to ${upper}`;
  }
  if (lower !== undefined) return schema.exclusiveMinimum !== undefined ? ` above ${lower}` : ` of at least ${lower}`;
  if (upper !== undefined) return schema.exclusiveMaximum !== undefined ? ` below ${upper}` : ` of at most ${upper}`;
  return '';
}

function pluralize(description: string): string {
  return description.replace(/^an? /, '').replace(/^(mapping|number|whole number|list)\b/, '$1s');
}

/** Describes a received value briefly: text in quotes (clipped), numbers as written, lists and mappings by size. */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (isMapping(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty mapping' : `a mapping with the keys ${clip(keys.join(', '))}`;
  }
  if (typeof value === 'string') return JSON.stringify(clip(value));
  return String(value);
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes a key for a JSON pointer (RFC 6901): ~ as ~0 and / as ~1. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
