import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import YAML from 'yaml';
import { AppError, type ErrorDetail } from '../platform/errors.js';
import { findProblems } from '../platform/validation.js';

/**
 * Reads the catalogue files that ship in the repository's catalogue/ folder: one YAML file per
 * framework and one per crosswalk, in the format catalogue/FORMAT.md describes. Every file is
 * checked in full before any of it is loaded, and a bad file is reported with every problem.
 */

/** The repository's catalogue folder; src/catalogue and dist/catalogue are both two levels below it. */
export const catalogueDirectory = fileURLToPath(new URL('../../catalogue/', import.meta.url));

const identifier = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'lower-case letters, digits and hyphens' });
const itemId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^:\\s](?:[^:]*[^:\\s])?$', description: 'no colon, no leading or trailing space' });
const plainText = (maxLength: number) => Type.String({ minLength: 1, maxLength });

const FrameworkHeader = Type.Object(
  {
    id: identifier,
    name: plainText(200),
    version: plainText(200),
    kind: Type.Union([Type.Literal('standard'), Type.Literal('regulation'), Type.Literal('framework')]),
    publisher: plainText(200),
    source: plainText(500),
    notice: plainText(2000),
  },
  { additionalProperties: false },
);

const AttributeValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Array(Type.String())]);

const ItemEntry = Type.Object(
  {
    id: itemId,
    parent: Type.Optional(itemId),
    kind: Type.String({ pattern: '^[a-z][a-z-]{0,39}$' }),
    title: plainText(300),
    assessable: Type.Boolean(),
    summary: Type.Optional(plainText(4000)),
    evidence: Type.Optional(plainText(4000)),
    documentedInformation: Type.Optional(plainText(2000)),
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    attributes: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*$' }), AttributeValue)),
  },
  { additionalProperties: false },
);

const FrameworkFile = Type.Object({ framework: FrameworkHeader, items: Type.Array(ItemEntry, { minItems: 1 }) }, { additionalProperties: false });

const CrosswalkFile = Type.Object(
  {
    crosswalk: Type.Object(
      {
        id: identifier,
        from: identifier,
        to: identifier,
        title: plainText(300),
        version: plainText(200),
        publisher: plainText(300),
        source: plainText(500),
        notes: plainText(4000),
      },
      { additionalProperties: false },
    ),
    pairs: Type.Array(Type.Object({ from: itemId, to: Type.Array(itemId, { minItems: 1 }) }, { additionalProperties: false }), { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type FrameworkFile = Static<typeof FrameworkFile>;
export type CatalogueItemEntry = Static<typeof ItemEntry>;
export type CrosswalkFile = Static<typeof CrosswalkFile>;

export interface LoadedFramework {
  file: string;
  contentHash: string;
  data: FrameworkFile;
}

export interface LoadedCrosswalk {
  file: string;
  contentHash: string;
  data: CrosswalkFile;
}

export interface CatalogueFiles {
  frameworks: LoadedFramework[];
  crosswalks: LoadedCrosswalk[];
}

/** A file's bytes with their SHA-256, so that the loader can skip files it has loaded before. */
export interface CatalogueSource {
  file: string;
  text: string;
  contentHash: string;
}

/** Lists and hashes every catalogue file without parsing any of them. */
export function readCatalogueSources(directory = catalogueDirectory): { frameworks: CatalogueSource[]; crosswalks: CatalogueSource[] } {
  return { frameworks: readFolder(path.join(directory, 'frameworks')), crosswalks: readFolder(path.join(directory, 'crosswalks')) };
}

function readFolder(folder: string): CatalogueSource[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((name) => name.endsWith('.yaml')).sort();
  } catch (error) {
    throw new AppError('INTERNAL', `The catalogue folder ${folder} cannot be read (${(error as Error).message}); reinstall custos or restore the folder`);
  }
  return names.map((name) => {
    const file = path.join(folder, name);
    const text = fs.readFileSync(file, 'utf8');
    return { file, text, contentHash: createHash('sha256').update(text).digest('hex') };
  });
}

/**
 * Parses and checks framework and crosswalk files together: each file against its schema, then
 * items (unique ids, parents listed before children, summary and evidence on assessable items),
 * then every crosswalk pair against the frameworks it joins. Throws one error listing every problem.
 */
export function parseCatalogue(sources: { frameworks: CatalogueSource[]; crosswalks: CatalogueSource[] }): CatalogueFiles {
  const problems: ErrorDetail[] = [];
  const frameworks: LoadedFramework[] = [];
  const crosswalks: LoadedCrosswalk[] = [];

  for (const source of sources.frameworks) {
    const data = parseFile<FrameworkFile>(source, FrameworkFile, problems);
    if (!data) continue;
    problems.push(...checkItems(source.file, data));
    frameworks.push({ file: source.file, contentHash: source.contentHash, data });
  }
  const frameworkIds = new Map<string, Set<string>>();
  for (const framework of frameworks) {
    const id = framework.data.framework.id;
    if (frameworkIds.has(id)) problems.push({ path: `${framework.file}/framework/id`, message: `repeats the framework id "${id}"` });
    frameworkIds.set(id, new Set(framework.data.items.map((item) => item.id)));
  }

  for (const source of sources.crosswalks) {
    const data = parseFile<CrosswalkFile>(source, CrosswalkFile, problems);
    if (!data) continue;
    problems.push(...checkPairs(source.file, data, frameworkIds));
    crosswalks.push({ file: source.file, contentHash: source.contentHash, data });
  }

  if (problems.length > 0) {
    throw new AppError('INTERNAL', `The catalogue files have ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix the files named in the details`, problems);
  }
  return { frameworks, crosswalks };
}

function parseFile<T>(source: CatalogueSource, schema: typeof FrameworkFile | typeof CrosswalkFile, problems: ErrorDetail[]): T | undefined {
  let value: unknown;
  try {
    value = YAML.parse(source.text, { maxAliasCount: 0 });
  } catch (error) {
    problems.push({ path: source.file, message: `is not valid YAML: ${(error as Error).message}` });
    return undefined;
  }
  const found = findProblems(schema, value).map((problem) => ({ ...problem, path: `${source.file}${problem.path}` }));
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }
  return value as T;
}

function checkItems(file: string, data: FrameworkFile): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  data.items.forEach((item, index) => {
    const at = `${file}/items/${index}`;
    if (seen.has(item.id)) problems.push({ path: `${at}/id`, message: `repeats the item id "${item.id}"` });
    if (item.parent !== undefined && !seen.has(item.parent)) {
      problems.push({ path: `${at}/parent`, message: `names "${item.parent}", which is not an item listed before "${item.id}"` });
    }
    if (item.assessable && (item.summary === undefined || item.evidence === undefined)) {
      problems.push({ path: at, message: `"${item.id}" is assessable, so it needs both a summary and evidence guidance` });
    }
    seen.add(item.id);
  });
  return problems;
}

function checkPairs(file: string, data: CrosswalkFile, frameworkIds: Map<string, Set<string>>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const { from, to } = data.crosswalk;
  const fromItems = frameworkIds.get(from);
  const toItems = frameworkIds.get(to);
  if (!fromItems) problems.push({ path: `${file}/crosswalk/from`, message: `names the framework "${from}", which no framework file defines` });
  if (!toItems) problems.push({ path: `${file}/crosswalk/to`, message: `names the framework "${to}", which no framework file defines` });
  if (!fromItems || !toItems) return problems;

  const seen = new Set<string>();
  data.pairs.forEach((pair, index) => {
    if (!fromItems.has(pair.from)) problems.push({ path: `${file}/pairs/${index}/from`, message: `"${pair.from}" is not an item of ${from}` });
    pair.to.forEach((target, position) => {
      if (!toItems.has(target)) problems.push({ path: `${file}/pairs/${index}/to/${position}`, message: `"${target}" is not an item of ${to}` });
      const key = `${pair.from}\u0000${target}`;
      if (seen.has(key)) problems.push({ path: `${file}/pairs/${index}/to/${position}`, message: `repeats the pair ${pair.from} → ${target}` });
      seen.add(key);
    });
  });
  return problems;
}

/** Reads, parses and checks the whole catalogue folder. */
export function loadCatalogueFiles(directory = catalogueDirectory): CatalogueFiles {
  return parseCatalogue(readCatalogueSources(directory));
}
