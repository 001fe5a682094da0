import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogueFiles, parseCatalogue, readCatalogueSources, type CatalogueSource } from '../../src/catalogue/catalogue-files.js';
import { AppError } from '../../src/platform/errors.js';

/** The shipped catalogue, parsed once: the counts below are facts of the published sources. */
const catalogue = loadCatalogueFiles();
const framework = (id: string) => catalogue.frameworks.find((entry) => entry.data.framework.id === id)!.data;
const crosswalk = (id: string) => catalogue.crosswalks.find((entry) => entry.data.crosswalk.id === id)!.data;

describe('shipped catalogue files', () => {
  it('ISO/IEC 42001 has 32 assessable clause leaves', () => {
    const leaves = framework('iso42001').items.filter((item) => item.kind === 'clause' && item.assessable);
    expect(leaves).toHaveLength(32);
    for (const id of ['6.1.1', '6.1.2', '6.1.3', '6.1.4', '7.5.1', '7.5.2', '7.5.3', '9.2.1', '9.2.2', '9.3.1', '9.3.2', '9.3.3', '10.2']) {
      expect(leaves.map((item) => item.id)).toContain(id);
    }
  });

  it('ISO/IEC 42001 Annex A has 9 groups, 10 objectives and 38 controls', () => {
    const items = framework('iso42001').items;
    const topGroups = items.filter((item) => item.kind === 'group' && item.id.startsWith('A.') && item.parent === undefined);
    expect(topGroups.map((item) => item.id)).toEqual(['A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7', 'A.8', 'A.9', 'A.10']);
    expect(items.filter((item) => item.kind === 'control-objective')).toHaveLength(10);
    const controls = items.filter((item) => item.kind === 'control');
    expect(controls).toHaveLength(38);
    expect(controls[0]!.id).toBe('A.2.2');
    expect(controls.at(-1)!.id).toBe('A.10.4');
  });

  it('ISO/IEC 42001 Annex C has 11 objectives and 7 risk sources', () => {
    const items = framework('iso42001').items;
    expect(items.filter((item) => item.kind === 'organizational-objective')).toHaveLength(11);
    expect(items.filter((item) => item.kind === 'risk-source')).toHaveLength(7);
  });

  it('NIST AI RMF has 72 subcategories in 19 categories', () => {
    const items = framework('nist-ai-rmf').items;
    const subcategories = items.filter((item) => item.kind === 'subcategory');
    expect(subcategories).toHaveLength(72);
    expect(items.filter((item) => item.kind === 'category')).toHaveLength(19);
    const perFunction = (prefix: string) => subcategories.filter((item) => item.id.startsWith(`${prefix} `)).length;
    expect([perFunction('GOVERN'), perFunction('MAP'), perFunction('MEASURE'), perFunction('MANAGE')]).toEqual([19, 18, 22, 13]);
  });

  it('NIST crosswalk has 280 pairs over all 72 subcategories', () => {
    const pairs = crosswalk('nist-ai-rmf-to-iso42001').pairs;
    expect(pairs).toHaveLength(72);
    expect(pairs.reduce((sum, pair) => sum + pair.to.length, 0)).toBe(280);
  });

  it('NIST crosswalk maps GOVERN 1.1 as published', () => {
    const pair = crosswalk('nist-ai-rmf-to-iso42001').pairs.find((entry) => entry.from === 'GOVERN 1.1');
    expect(pair?.to).toEqual(['4.1', '6.2', 'A.2.2', 'A.2.4']);
  });

  it('every crosswalk target exists in its framework', () => {
    for (const entry of catalogue.crosswalks) {
      const { from, to } = entry.data.crosswalk;
      const fromIds = new Set(framework(from).items.map((item) => item.id));
      const toIds = new Set(framework(to).items.map((item) => item.id));
      for (const pair of entry.data.pairs) {
        expect(fromIds.has(pair.from), `${entry.data.crosswalk.id}: ${pair.from}`).toBe(true);
        for (const target of pair.to) expect(toIds.has(target), `${entry.data.crosswalk.id}: ${pair.from} → ${target}`).toBe(true);
      }
    }
  });

  it('EU AI Act and GDPR crosswalks cover the required articles', () => {
    const euSources = new Set(crosswalk('eu-ai-act-to-iso42001').pairs.map((pair) => pair.from.replace(/\(.*$/, '')));
    for (const article of [9, 10, 11, 12, 13, 14, 15, 16, 17, 26, 27, 50, 72, 73]) expect(euSources.has(`Art ${article}`), `Art ${article}`).toBe(true);
    const gdprSources = new Set(crosswalk('gdpr-to-iso42001').pairs.map((pair) => pair.from));
    for (const article of [5, 6, 9, 13, 14, 15, 22, 25, 30, 35]) expect(gdprSources.has(`Art ${article}`), `Art ${article}`).toBe(true);
  });

  it('assessable items carry a summary and evidence guidance', () => {
    for (const entry of catalogue.frameworks) {
      for (const item of entry.data.items.filter((candidate) => candidate.assessable)) {
        expect(item.summary?.trim(), `${entry.data.framework.id}:${item.id}`).toBeTruthy();
        expect(item.evidence?.trim(), `${entry.data.framework.id}:${item.id}`).toBeTruthy();
      }
    }
  });
});

describe('catalogue file checks', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
  });

  const source = (file: string, text: string): CatalogueSource => ({ file, text, contentHash: 'x' });
  const problemsOf = (frameworks: CatalogueSource[], crosswalks: CatalogueSource[] = []) => {
    try {
      parseCatalogue({ frameworks, crosswalks });
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).details;
    }
    throw new Error('expected the catalogue to be rejected');
  };
  const header = 'framework: { id: demo, name: Demo, version: "1", kind: framework, publisher: Us, source: here, notice: ours }\n';

  it('reports duplicate ids, late parents and missing summaries together', () => {
    const problems = problemsOf([
      source(
        'demo.yaml',
        `${header}items:
  - { id: B, parent: A, kind: clause, title: Child first, assessable: false }
  - { id: A, kind: clause, title: Parent, assessable: false }
  - { id: A, kind: clause, title: Again, assessable: false }
  - { id: C, kind: control, title: No summary, assessable: true }
`,
      ),
    ]);
    expect(problems).toEqual([
      { path: 'demo.yaml/items/0/parent', message: 'names "A", which is not an item listed before "B"' },
      { path: 'demo.yaml/items/2/id', message: 'repeats the item id "A"' },
      { path: 'demo.yaml/items/3', message: '"C" is assessable, so it needs both a summary and evidence guidance' },
    ]);
  });

  it('rejects a crosswalk to unknown items', () => {
    const framework = source('demo.yaml', `${header}items:\n  - { id: A, kind: clause, title: Only, assessable: false }\n`);
    const problems = problemsOf(
      [framework],
      [
        source(
          'walk.yaml',
          'crosswalk: { id: walk, from: demo, to: nowhere, title: T, version: "1", publisher: P, source: S, notes: N }\npairs:\n  - { from: A, to: [X] }\n',
        ),
      ],
    );
    expect(problems).toEqual([{ path: 'walk.yaml/crosswalk/to', message: 'names the framework "nowhere", which no framework file defines' }]);
  });

  it('rejects YAML that is not well formed', () => {
    const problems = problemsOf([source('broken.yaml', 'framework: [unclosed\n')]);
    expect(problems[0]!.path).toBe('broken.yaml');
    expect(problems[0]!.message).toMatch(/^is not valid YAML/);
  });

  it('rejects an item id with a colon', () => {
    const problems = problemsOf([source('demo.yaml', `${header}items:\n  - { id: "a:b", kind: clause, title: Colon, assessable: false }\n`)]);
    expect(problems.map((problem) => problem.path)).toContain('demo.yaml/items/0/id');
  });

  it('reads only .yaml files from both folders', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-catalogue-'));
    directories.push(directory);
    fs.mkdirSync(path.join(directory, 'frameworks'));
    fs.mkdirSync(path.join(directory, 'crosswalks'));
    fs.writeFileSync(path.join(directory, 'frameworks', 'demo.yaml'), `${header}items:\n  - { id: A, kind: clause, title: Only, assessable: false }\n`);
    fs.writeFileSync(path.join(directory, 'frameworks', 'notes.txt'), 'ignored');
    const sources = readCatalogueSources(directory);
    expect(sources.frameworks.map((entry) => path.basename(entry.file))).toEqual(['demo.yaml']);
    expect(sources.crosswalks).toEqual([]);
    expect(loadCatalogueFiles(directory).frameworks[0]!.data.framework.id).toBe('demo');
  });
});
