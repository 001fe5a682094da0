import { Type, type Static } from '@sinclair/typebox';
import { parse as parseYaml } from 'yaml';
import { CreateAiSystem } from '../ai-systems/ai-system.schemas.js';
import { AppError, validationFailed, type ErrorDetail } from '../platform/errors.js';
import { findProblems } from '../platform/validation.js';
import { withoutByteOrderMark } from './inventory-source.js';
import { isPlainObject } from './structured-records.js';

/**
 * A mapping file names where each AI system field comes from in an inventory file. Each entry of
 * `fields` is either a source field path or a rule:
 *
 *   fields:
 *     name: title                       # copy the source field "title"
 *     lifecycleStage:
 *       from: status
 *       values: { in_gebruik: production, buiten_gebruik: retired }
 *     purpose: { from: doel, default: Purpose not stated in the source record }
 *     organizationRole: { value: deployer }                  # a constant
 *     scopeJustification: { template: 'Listed by {organisatie}' }
 *
 * A path is a CSV column name, or a dotted property path in JSON and YAML. `records` names the
 * property that contains the list when a JSON or YAML file is an object rather than a list.
 */

export type AiSystemField = keyof CreateAiSystem;
export const aiSystemFields = Object.keys(CreateAiSystem.properties) as AiSystemField[];

/** Fields of an exported AI system that the register sets itself; an import without a mapping skips them. */
export const registerManagedFields = ['id', 'version', 'createdAt', 'updatedAt'] as const;

export const FieldRule = Type.Object(
  {
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Source field path' })),
    value: Type.Optional(Type.Unknown({ description: 'A constant used for every record' })),
    template: Type.Optional(Type.String({ minLength: 1, maxLength: 2_000, description: 'Text with {path} placeholders filled from the record' })),
    values: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Replaces source values by register values; others pass through' })),
    default: Type.Optional(Type.Unknown({ description: 'Used when the source value is missing, null or blank' })),
    split: Type.Optional(Type.String({ minLength: 1, maxLength: 10, description: 'Separator of list values given as text (default ;)' })),
  },
  { additionalProperties: false },
);
export type FieldRule = Static<typeof FieldRule>;

const MappingFile = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 2_000 })),
    records: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Property that contains the list of records' })),
    fields: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export interface InventoryMapping {
  records?: string;
  fields: Partial<Record<AiSystemField, FieldRule>>;
  /** True for the mapping used when none is given: source fields must be named like the AI system fields. */
  identity: boolean;
}

/** Builds the mapping used without a mapping file: every AI system field from the source field of the same name. */
export function identityMapping(): InventoryMapping {
  const fields: Partial<Record<AiSystemField, FieldRule>> = {};
  for (const field of aiSystemFields) fields[field] = { from: field };
  return { fields, identity: true };
}

/** Parses a mapping file's text as JSON (by a .json name) or YAML, for parseMapping to check. */
export function readMappingText(text: string, fileName: string): unknown {
  try {
    return fileName.toLowerCase().endsWith('.json') ? JSON.parse(withoutByteOrderMark(text)) : parseYaml(withoutByteOrderMark(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AppError('VALIDATION_FAILED', `The mapping file "${fileName}" cannot be parsed: ${reason}; fix its syntax`);
  }
}

/** Checks a mapping given as data and reports every problem at once, each under `mapping`. */
export function parseMapping(document: unknown): InventoryMapping {
  const problems = findProblems(MappingFile, document).map((problem) => ({ path: `mapping${toDotted(problem.path)}`, message: problem.message }));
  if (problems.length > 0 || !isPlainObject(document) || !isPlainObject(document.fields)) {
    throw mappingInvalid(problems.length > 0 ? problems : [{ path: 'mapping', message: 'must be an object with a "fields" object' }]);
  }

  const fields: Partial<Record<AiSystemField, FieldRule>> = {};
  for (const [field, rule] of Object.entries(document.fields)) {
    const path = `mapping fields.${field}`;
    if (!(aiSystemFields as string[]).includes(field)) {
      problems.push({ path, message: `is not an AI system field; map one of ${aiSystemFields.join(', ')}` });
      continue;
    }
    const checked = checkRule(rule, path, problems);
    if (checked) fields[field as AiSystemField] = checked;
  }
  if (problems.length > 0) throw mappingInvalid(problems);

  const records = typeof document.records === 'string' ? document.records : undefined;
  return { ...(records ? { records } : {}), fields, identity: false };
}

function checkRule(rule: unknown, path: string, problems: ErrorDetail[]): FieldRule | undefined {
  if (typeof rule === 'string') {
    if (rule.trim() === '') problems.push({ path, message: 'must name a source field, not be blank' });
    return { from: rule };
  }
  if (!isPlainObject(rule)) {
    problems.push({ path, message: 'must be a source field name or an object with one of from, value or template' });
    return undefined;
  }
  const found = findProblems(FieldRule, rule).map((problem) => ({ path: `${path}${toDotted(problem.path)}`, message: problem.message }));
  const sources = (['from', 'value', 'template'] as const).filter((key) => rule[key] !== undefined);
  if (sources.length !== 1) {
    found.push({ path, message: `must have exactly one of from, value or template (found ${sources.length === 0 ? 'none' : sources.join(', ')})` });
  }
  problems.push(...found);
  return found.length === 0 ? (rule as FieldRule) : undefined;
}

/** Turns a JSON pointer such as /fields/name/from into .fields.name.from for messages about the file. */
function toDotted(pointer: string): string {
  return pointer === '/' ? '' : pointer.replace(/\//g, '.');
}

function mappingInvalid(problems: ErrorDetail[]): AppError {
  return validationFailed(problems, `The mapping has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix the mapping file and import again`);
}

/** Lists every source field path a mapping reads, with the AI system field that reads it. */
export function sourcePathsOf(mapping: InventoryMapping): { field: AiSystemField; path: string }[] {
  const paths: { field: AiSystemField; path: string }[] = [];
  for (const [field, rule] of Object.entries(mapping.fields) as [AiSystemField, FieldRule][]) {
    if (rule.from !== undefined) paths.push({ field, path: rule.from });
    for (const placeholder of placeholdersOf(rule.template ?? '')) paths.push({ field, path: placeholder });
  }
  return paths;
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!.trim());
}
