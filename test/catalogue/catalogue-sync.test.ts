import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCatalogue } from '../../src/catalogue/catalogue-sync.js';
import { AppError } from '../../src/platform/errors.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';

const header = 'framework: { id: demo, name: Demo, version: "1", kind: framework, publisher: Us, source: here, notice: ours }\n';
const item = (id: string, title: string, extra = '') => `  - { id: "${id}", kind: control, title: "${title}", assessable: true, summary: Do it., evidence: A record.${extra} }\n`;

describe.each(databaseKinds)('catalogue loading on %s', (kind) => {
  let database: TestDatabase;
  let directory: string;

  const writeDemo = (items: string, pairs?: string) => {
    fs.writeFileSync(path.join(directory, 'frameworks', 'demo.yaml'), `${header}items:\n${items}`);
    const walk = path.join(directory, 'crosswalks', 'demo-to-iso.yaml');
    if (pairs === undefined) fs.rmSync(walk, { force: true });
    else fs.writeFileSync(walk, `crosswalk: { id: demo-to-iso, from: demo, to: iso42001, title: T, version: "1", publisher: P, source: S, notes: N }\npairs:\n${pairs}`);
  };
  const demoItems = () => database.db.selectFrom('catalogue_items').select(['ref', 'title', 'version']).where('framework_id', '=', 'demo').orderBy('position').execute();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-catalogue-'));
    fs.mkdirSync(path.join(directory, 'frameworks'));
    fs.mkdirSync(path.join(directory, 'crosswalks'));
    // The demo crosswalk needs the real ISO/IEC 42001 file beside it.
    fs.copyFileSync(new URL('../../catalogue/frameworks/iso42001.yaml', import.meta.url), path.join(directory, 'frameworks', 'iso42001.yaml'));
  });
  afterAll(async () => {
    await database?.cleanup();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('loads a new framework and skips it the second time', async () => {
    writeDemo(item('A', 'First') + item('B', 'Second'), '  - { from: A, to: ["4.1", "A.2.2"] }\n');
    const first = await syncCatalogue(database, new Date('2026-02-01T00:00:00Z'), { directory });
    expect(first).toEqual({ loadedFrameworks: ['demo'], loadedCrosswalks: ['demo-to-iso'] });
    expect(await demoItems()).toEqual([
      { ref: 'demo:A', title: 'First', version: 1 },
      { ref: 'demo:B', title: 'Second', version: 1 },
    ]);
    const again = await syncCatalogue(database, new Date('2026-02-02T00:00:00Z'), { directory });
    expect(again).toEqual({ loadedFrameworks: [], loadedCrosswalks: [] });
  });

  it('updates changed items in place and reloads the crosswalk', async () => {
    writeDemo(item('A', 'First, renamed') + item('B', 'Second') + item('C', 'Third'), '  - { from: C, to: ["4.1"] }\n');
    const result = await syncCatalogue(database, new Date('2026-02-03T00:00:00Z'), { directory });
    expect(result).toEqual({ loadedFrameworks: ['demo'], loadedCrosswalks: ['demo-to-iso'] });
    expect(await demoItems()).toEqual([
      { ref: 'demo:A', title: 'First, renamed', version: 2 },
      { ref: 'demo:B', title: 'Second', version: 1 },
      { ref: 'demo:C', title: 'Third', version: 1 },
    ]);
    const pairs = await database.db.selectFrom('crosswalk_pairs').select(['from_ref', 'to_ref']).where('crosswalk_id', '=', 'demo-to-iso').execute();
    expect(pairs).toEqual([{ from_ref: 'demo:C', to_ref: 'iso42001:4.1' }]);
  });

  it('refuses to drop an item that records link to', async () => {
    const now = '2026-02-04T00:00:00.000Z';
    await database.db
      .insertInto('soa_versions')
      .values({ id: 'soa-1', number: 1, status: 'draft', title: 'Draft', based_on_id: null, created_by: 'u1', approved_by: null, approved_at: null, approval_comment: null, version: 1, created_at: now, updated_at: now })
      .execute();
    await database.db
      .insertInto('soa_entries')
      .values({ soa_version_id: 'soa-1', control_ref: 'demo:B', decision: 'undecided', justification: '', basis: '[]', requirement_refs: '[]', implementation_status: null, owner_person_id: null, notes: '', changed_by: '[]', version: 1, updated_at: now })
      .execute();

    writeDemo(item('A', 'First, renamed') + item('C', 'Third'));
    const failure = await syncCatalogue(database, new Date(now), { directory }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).message).toContain('no longer lists demo:B, but records still link to it');
    // The transaction rolled back: B is still there and the old hash still recorded.
    expect((await demoItems()).map((row) => row.ref)).toEqual(['demo:A', 'demo:B', 'demo:C']);
  });

  it('rejects an invalid file before writing anything', async () => {
    writeDemo(item('A', 'First') + item('A', 'Twice'));
    const failure = await syncCatalogue(database, new Date(), { directory }).catch((error: unknown) => error);
    expect((failure as AppError).details).toEqual([{ path: path.join(directory, 'frameworks', 'demo.yaml') + '/items/1/id', message: 'repeats the item id "A"' }]);
    expect((await demoItems()).map((row) => row.title)).toEqual(['First, renamed', 'Second', 'Third']);
  });
});
