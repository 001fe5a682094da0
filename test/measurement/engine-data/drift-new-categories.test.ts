import { describe, expect, it } from 'vitest';

import { Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import type { CategoryCounts } from '../../../src/measurement/core/aggregates.js';
import { compareCategories, compareCategoryCounts, materializeDataSet } from '../../../src/measurement/data/index.js';
import { measureDrift } from '../../../src/measurement/engine/drift-measurement.js';
import { columnOf, open, useDataEngine, useFixtureFolder } from './support.js';

const engine = useDataEngine();
const writeCsv = useFixtureFolder();

/** `count` rows of a code drawn uniformly from `categories` codes named with `prefix`, beside a constant column. */
function codes(seed: number, count: number, categories: number, prefix: string, header = 'code,flag'): string[] {
  const random = new Xoshiro128StarStar(seed);
  return [header, ...Array.from({ length: count }, () => `${prefix}${Math.floor(random.nextDouble() * categories)},x`)];
}

const newCategoriesWarning = /of the current values are in categories the reference lacks, against about .* expected without a shift/;

describe('categories new to the reference', () => {
  it('warn when the categories were replaced', async () => {
    const reference = await open(engine(), writeCsv('codes-reference.csv', codes(1, 20_000, 5_000, 'a')));
    const current = await open(engine(), writeCsv('codes-replaced.csv', codes(2, 20_000, 5_000, 'b')));
    const code = columnOf(await measureDrift(engine(), reference, current), 'code');
    expect(code.warnings.some((warning) => newCategoriesWarning.test(warning))).toBe(true);
    expect(code.warnings.find((warning) => newCategoriesWarning.test(warning))).toMatch(/^100\.0 % of the current values/);
  });

  it('stay quiet for a new sample of the same codes', async () => {
    // 30,000 codes over 20,000 rows: most codes occur once, so many current codes are absent from the reference by chance.
    const reference = await open(engine(), writeCsv('codes-rare-reference.csv', codes(3, 20_000, 30_000, 'a')));
    const current = await open(engine(), writeCsv('codes-rare-current.csv', codes(4, 20_000, 30_000, 'a')));
    const code = columnOf(await measureDrift(engine(), reference, current), 'code');
    expect(code.warnings.some((warning) => warning.includes('beyond the 100 most frequent'))).toBe(true);
    expect(code.warnings.some((warning) => newCategoriesWarning.test(warning))).toBe(false);
  });

  it('warn from a loaded current file too', async () => {
    const reference = await open(engine(), writeCsv('codes-mapped-reference.csv', codes(5, 20_000, 5_000, 'a')));
    const current = await open(engine(), writeCsv('codes-mapped-current.csv', codes(6, 20_000, 5_000, 'b', 'product,flag')));
    const code = columnOf(await measureDrift(engine(), reference, current, { columnMapping: { code: 'product' } }), 'code');
    expect(code.warnings.some((warning) => newCategoriesWarning.test(warning))).toBe(true);
  });

  it('count alike in SQL and from counts', async () => {
    const reference = await materializeDataSet(engine(), await open(engine(), writeCsv('codes-sql-reference.csv', codes(7, 5_000, 3_000, 'a'))));
    const current = await materializeDataSet(engine(), await open(engine(), writeCsv('codes-sql-current.csv', codes(8, 5_000, 4_000, 'a'))));
    const fromSql = await compareCategories(engine(), reference, current, 'code', { topK: 50 });
    const full = await compareCategories(engine(), reference, current, 'code', { topK: 1_000_000 });
    const countsOf = (side: CategoryCounts) => ({ counts: new Map([...side.counts]), missing: side.missing });
    const fromCounts = compareCategoryCounts('code', countsOf(full.reference), countsOf(full.current), 50);

    expect(full.unseen).toBeNull();
    expect(fromSql.unseen).toEqual(fromCounts.unseen);
    expect(fromSql.unseen?.currentValues).toBeGreaterThan(0);
    expect(fromSql.unseen?.referenceSingletons).toBeGreaterThan(0);
  });
});
