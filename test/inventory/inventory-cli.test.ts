import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { runCli } from './cli-process.js';
import { countRows, municipalCsv, municipalMapping } from './inventory-fixtures.js';

/** Bad inputs for `custos import`: the files to write, the arguments, and the lines stderr must contain. */
const badInputs: { name: string; files: Record<string, string>; args: string[]; stderr: string[] }[] = [
  {
    name: 'a CSV row with a missing column',
    files: { 'short.csv': 'name,purpose,businessUnit\nA,Does a,Ops\nB,Does b\n' },
    args: ['short.csv'],
    stderr: [
      'custos: "short.csv" has 1 problem; nothing was imported. Fix the file and import it again',
      '  line 3, businessUnit: is missing: the row has 2 values but the header has 3 columns; add the missing values or empty fields',
    ],
  },
  {
    name: 'a value outside an enumeration',
    files: { 'stage.csv': 'name,purpose,businessUnit,lifecycleStage\nA,Does a,Ops,launched\n' },
    args: ['stage.csv'],
    stderr: ['  line 2, lifecycleStage: must be one of concept, design, development, validation, pilot, production, retired (received "launched")'],
  },
  {
    name: 'a YAML file that is not a list',
    files: { 'single.yaml': 'name: Lonely\npurpose: Not a list\nbusinessUnit: Ops\n' },
    args: ['single.yaml'],
    stderr: ['  file: must be a list of AI systems, but the YAML file contains an object (a mapping of keys to values); write the records as a list'],
  },
  {
    name: 'malformed JSON',
    files: { 'broken.json': '[{"name": "A", "purpose": "x"' },
    args: ['broken.json'],
    stderr: ['  file: is not valid JSON: '],
  },
  {
    name: 'duplicate names in the file',
    files: { 'twins.csv': 'name,purpose,businessUnit\nTwin,First,Ops\nTwin,Second,Ops\n' },
    args: ['twins.csv'],
    stderr: ['  line 3, name: "Twin" in business unit "Ops" repeats line 2; names must be unique within a business unit'],
  },
  {
    name: 'a name already in the register',
    files: { 'again.csv': 'name,purpose,businessUnit\nParkeerscan,Again,"Gemeente Voorbeeld, Stadsbeheer"\n' },
    args: ['again.csv'],
    stderr: ['  line 2, name: an AI system named "Parkeerscan" already exists in business unit "Gemeente Voorbeeld, Stadsbeheer"; rename it in the file or leave it out'],
  },
  {
    name: 'an unknown mapping field',
    files: { 'a.csv': 'title,unit\nA,Ops\n', 'bad-mapping.yaml': 'fields:\n  name: title\n  colour: kleur\n' },
    args: ['a.csv', '--mapping', 'bad-mapping.yaml'],
    stderr: ['custos: The mapping has 1 problem; fix the mapping file and import again', '  mapping fields.colour: is not an AI system field; map one of name, purpose, businessUnit,'],
  },
  {
    name: 'a missing file',
    files: {},
    args: ['nowhere.csv'],
    stderr: ['custos: Cannot read the inventory file "nowhere.csv": no such file; check the path'],
  },
  {
    name: 'an unknown format',
    files: { 'systems.xlsx': 'binary' },
    args: ['systems.xlsx'],
    stderr: ['custos: Cannot tell the format of "systems.xlsx" from its extension ".xlsx"; name it .csv, .json, .yaml or .yml, or pass --format csv|json|yaml'],
  },
];

describe.each(databaseKinds)('custos import and export on %s', (kind) => {
  let database: TestDatabase;
  let directory: string;
  const file = (name: string) => path.join(directory, name);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-inventory-'));
    fs.writeFileSync(file('gemeente.csv'), municipalCsv);
    fs.writeFileSync(file('gemeente-mapping.yaml'), stringifyYaml(municipalMapping));
  });
  afterAll(async () => {
    await database?.cleanup();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('checks a file with --dry-run without writing', async () => {
    const result = await runCli(database, ['import', file('gemeente.csv'), '--mapping', file('gemeente-mapping.yaml'), '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Dry run: 3 AI systems in gemeente.csv are valid; nothing was written\n');
    expect(result.code).toBe(0);
    expect(await countRows(database.db)).toEqual({ aiSystems: 0, auditEvents: 0 });
  });

  it('imports a CSV file with a mapping file', async () => {
    const result = await runCli(database, ['import', file('gemeente.csv'), '--mapping', file('gemeente-mapping.yaml'), '--reason', 'first inventory']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Imported 3 AI systems from gemeente\.csv \(import [0-9a-f-]{36}\)\n$/);
    expect(result.code).toBe(0);
    expect(await countRows(database.db)).toEqual({ aiSystems: 3, auditEvents: 4 });
  });

  it.each(badInputs)('exits 2 on $name and writes nothing', async ({ files, args, stderr }) => {
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(file(name), content);
    const before = await countRows(database.db);
    const result = await runCli(database, ['import', ...args.map((arg) => (arg.startsWith('--') ? arg : file(arg)))]);
    for (const line of stderr) expect(result.stderr).toContain(line.replace(/"(nowhere\.csv|systems\.xlsx)"/, (_, name: string) => `"${file(name)}"`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
    expect(await countRows(database.db)).toEqual(before);
  });

  it('exports the register in each format', async () => {
    const json = await runCli(database, ['export']);
    expect(json.code).toBe(0);
    const systems = JSON.parse(json.stdout) as { name: string; businessUnit: string }[];
    expect(systems.map((system) => system.name)).toEqual(['Chatbot Gem', 'Fraudesignalering', 'Parkeerscan']);

    const output = file('register.csv');
    const csv = await runCli(database, ['export', '--output', output]);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe(`Exported 3 AI systems to ${output}\n`);
    const lines = fs.readFileSync(output, 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      'id,name,purpose,intendedUse,foreseeableMisuse,businessUnit,ownerId,organizationRole,deploymentEnvironments,autonomy,affectedGroups,decisionDomain,inScope,scopeJustification,legalBasis,impactAssessmentStatus,publishedAt,sourceUrl,externalId,lifecycleStage,version,createdAt,updatedAt',
    );
    expect(lines).toHaveLength(6);

    const yaml = await runCli(database, ['export', '--format', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain('- id: ');
  });
});
