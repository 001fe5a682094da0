import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

import { describeDataSet, materializeDataSet, numericColumnSummaries, openDataSet, releaseDataSet } from '../../../src/measurement/data/index.js';
import { SqlParameters } from '../../../src/measurement/data/sql-text.js';
import { adultTestPath, adultTrainPath, appErrorOf, compasPath, fixture, useDataEngine } from './support.js';

const engine = useDataEngine();
const scratch = mkdtempSync(join(tmpdir(), 'custos-data-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('openDataSet on COMPAS', () => {
  it('warns about each repeated column with its DuckDB names', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    expect(compas.warnings).toEqual([
      `Column "decile_score" appears 2 times in the header of "${compasPath}" (columns 8 and 33); DuckDB names the copies "decile_score" and "decile_score_1", so refer to a copy by that name`,
      `Column "priors_count" appears 2 times in the header of "${compasPath}" (columns 11 and 42); DuckDB names the copies "priors_count" and "priors_count_1", so refer to a copy by that name`,
    ]);
    expect(compas.columnNames()).toContain('decile_score_1');
  });

  it('describes columns and counts rows over CRLF line ends', async () => {
    const description = await describeDataSet(engine(), await openDataSet(engine(), { path: compasPath }));
    expect(description.rowCount).toBe(7214);
    expect(description.columns).toHaveLength(46);
    const byName = new Map(description.columns.map((column) => [column.name, column]));
    expect(byName.get('age')).toEqual({ name: 'age', duckdbType: 'BIGINT', columnType: 'numerical', driftUnit: null });
    expect(byName.get('race')?.columnType).toBe('categorical');
    expect(byName.get('compas_screening_date')).toEqual({ name: 'compas_screening_date', duckdbType: 'DATE', columnType: 'date', driftUnit: 'days since 1970-01-01' });
    expect(byName.get('c_jail_in')).toMatchObject({ columnType: 'timestamp', driftUnit: 'seconds since 1970-01-01 00:00:00 UTC' });
  });
});

describe('openDataSet on Adult', () => {
  it('reads a comma-and-space delimiter, "?" as missing and recoded labels', async () => {
    const test = await openDataSet(engine(), {
      path: adultTestPath,
      csv: { delimiter: ', ', nullStrings: ['?'] },
      recode: { Y: { '>50K.': '>50K', '<=50K.': '<=50K' } },
    });
    expect(test.column('age').duckdbType).toBe('BIGINT');
    expect(test.column('Y').duckdbType).toBe('VARCHAR');

    const parameters = new SqlParameters();
    const rows = await engine().rows(
      'test',
      `SELECT Y AS label, count(*) AS n, count(*) FILTER (WHERE workclass IS NULL) AS missing FROM ${test.fromClause(parameters)} GROUP BY Y ORDER BY Y`,
      parameters,
      [test.errorContext],
    );
    expect(rows).toEqual([
      { label: '<=50K', n: 12435n, missing: expect.any(BigInt) },
      { label: '>50K', n: 3846n, missing: expect.any(BigInt) },
    ]);
    expect(rows.reduce((sum, row) => sum + Number(row['missing']), 0)).toBe(963);
  });

  it('reads the training split with its own layout', async () => {
    const train = await openDataSet(engine(), { path: adultTrainPath, csv: { nullStrings: ['?'] } });
    expect((await describeDataSet(engine(), train)).rowCount).toBe(32561);
    expect(train.column('income-per-year').columnType).toBe('categorical');
  });
});

describe('openDataSet layouts', () => {
  it('reads a file without a header after skipped lines', async () => {
    const dataSet = await openDataSet(engine(), { path: fixture('no-header.tsv'), csv: { header: false, skipRows: 2, columnNames: ['id', 'colour', 'value'] } });
    expect(dataSet.columns.map((column) => `${column.name}:${column.duckdbType}`)).toEqual(['id:BIGINT', 'colour:VARCHAR', 'value:DOUBLE']);
    expect((await describeDataSet(engine(), dataSet)).rowCount).toBe(3);
  });

  it('reads quoted fields that contain a multi-character delimiter', async () => {
    const dataSet = await openDataSet(engine(), { path: fixture('semicolon-space.csv'), csv: { delimiter: '; ' } });
    expect(dataSet.columnNames()).toEqual(['name', 'note', 'amount']);
    const parameters = new SqlParameters();
    const rows = await engine().rows('test', `SELECT name FROM ${dataSet.fromClause(parameters)} ORDER BY amount`, parameters, [dataSet.errorContext]);
    expect(rows.map((row) => row['name'])).toEqual(['a; b', 'say "hi"']);
  });

  it('warns about repeated names that differ only in case', async () => {
    const dataSet = await openDataSet(engine(), { path: fixture('duplicate-header.csv') });
    expect(dataSet.columnNames()).toEqual(['x', 'y', 'x_1', 'Y_1']);
    expect(dataSet.warnings).toHaveLength(2);
    expect(dataSet.warnings[1]).toContain('Column "y" appears 2 times');
    expect(dataSet.warnings[1]).toContain('"y" and "Y_1"');
  });

  it('reads JSON Lines with CRLF line ends', async () => {
    const dataSet = await openDataSet(engine(), { path: fixture('scores.jsonl') });
    expect(dataSet.format).toBe('jsonl');
    expect(dataSet.columnNames()).toEqual(['label', 'probability', 'group']);
    expect((await describeDataSet(engine(), dataSet)).rowCount).toBe(3);
  });

  it('reads Parquet', async () => {
    const path = join(scratch, 'outcomes.parquet');
    const parameters = new SqlParameters();
    await engine().run('test', `COPY (SELECT * FROM read_csv(${parameters.bind(fixture('outcomes.csv'))})) TO '${path}' (FORMAT parquet)`, parameters, []);
    const dataSet = await openDataSet(engine(), { path });
    expect(dataSet.format).toBe('parquet');
    expect(dataSet.column('score').columnType).toBe('numerical');
    expect((await describeDataSet(engine(), dataSet)).rowCount).toBe(10);
  });

  it('accepts a file with a header and no rows', async () => {
    const dataSet = await openDataSet(engine(), { path: fixture('header-only.csv') });
    expect(dataSet.columnNames()).toEqual(['a', 'b']);
    expect((await describeDataSet(engine(), dataSet)).rowCount).toBe(0);
  });

  it('materializes chosen columns into a temporary table and drops it', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const loaded = await materializeDataSet(engine(), compas, ['race', 'two_year_recid']);
    expect(loaded.isMaterialized).toBe(true);
    expect(loaded.columnNames()).toEqual(['race', 'two_year_recid']);
    expect((await describeDataSet(engine(), loaded)).rowCount).toBe(7214);
    await releaseDataSet(engine(), loaded);
    const error = await appErrorOf(() => describeDataSet(engine(), loaded));
    expect(error.code).toBe('INTERNAL');
  });
});

describe('openDataSet errors', () => {
  it('names a missing file', async () => {
    const error = await appErrorOf(() => openDataSet(engine(), { path: fixture('absent.csv') }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(`The data file "${fixture('absent.csv')}" does not exist; check the path`);
  });

  it('names an empty file', async () => {
    const error = await appErrorOf(() => openDataSet(engine(), { path: fixture('empty.csv') }));
    expect(error.message).toContain('is empty: it has no header and no rows');
  });

  it('names the line of an unclosed quote', async () => {
    const error = await appErrorOf(() => openDataSet(engine(), { path: fixture('malformed-quote.csv') }));
    expect(error.message).toBe(
      `Line 3 of "${fixture('malformed-quote.csv')}" is malformed: a quoted field is not closed; fix the line, or check the delimiter (",") and quote ("\\"") settings`,
    );
    expect(error.details).toEqual([{ path: `${fixture('malformed-quote.csv')}, line 3`, message: error.message }]);
  });

  it('names the line with a wrong field count', async () => {
    const error = await appErrorOf(() => openDataSet(engine(), { path: fixture('wrong-field-count.csv') }));
    expect(error.message).toMatch(/^Line 3 of ".*wrong-field-count.csv" is malformed: expected 2 fields, found 3;/);
  });

  it('reads the header of a gzipped file', async () => {
    const path = join(scratch, 'repeated.csv.gz');
    writeFileSync(path, gzipSync('a,b,a\n1,2,3\n'));
    const dataSet = await openDataSet(engine(), { path });
    expect(dataSet.warnings).toHaveLength(1);
    expect(dataSet.warnings[0]).toContain('Column "a" appears 2 times');
  });

  it('names the wrong field count in a gzipped file', async () => {
    const path = join(scratch, 'wrong-field-count.csv.gz');
    writeFileSync(path, gzipSync('a,b,label\n1,2,1\n4,5,6,0\n'));
    const error = await appErrorOf(() => openDataSet(engine(), { path }));
    expect(error.message).toMatch(/^Line 3 of ".*wrong-field-count.csv.gz" is malformed: expected 3 fields, found 4;/);
  });

  it('names the line of malformed JSON', async () => {
    const error = await appErrorOf(() => openDataSet(engine(), { path: fixture('malformed.jsonl') }));
    expect(error.message).toMatch(/^Line 2 of ".*malformed.jsonl" is not a valid JSON object: /);
  });

  it('rejects a file that is not Parquet', async () => {
    const error = await appErrorOf(() => openDataSet(engine(), { path: fixture('outcomes.csv'), format: 'parquet' }));
    expect(error.message).toContain('cannot be read as Parquet: it is not a Parquet file or it is damaged');
  });

  it('rejects an unknown format', async () => {
    const error = await appErrorOf(() => openDataSet(engine(), { path: fixture('outcomes.xlsx') }));
    expect(error.details[0]?.path).toBe('/format');
  });

  it('lists the available columns for a missing recoded column', async () => {
    const error = await appErrorOf(() => openDataSet(engine(), { path: fixture('outcomes.csv'), recode: { lable: { yes: '1' } } }));
    expect(error.message).toBe(
      `The column "lable" is not in "${fixture('outcomes.csv')}"; the file has 8 columns: id, group, region, label, prediction, score, amount, estimate`,
    );
  });

  it('names the line, column and value of a late type mismatch', async () => {
    const path = join(scratch, 'late-text.csv');
    const lines = ['code', ...Array.from({ length: 25_000 }, (_, index) => String(index)), 'A17'];
    writeFileSync(path, `${lines.join('\n')}\n`);
    const dataSet = await openDataSet(engine(), { path });
    const error = await appErrorOf(() => numericColumnSummaries(engine(), dataSet, ['code']));
    expect(error.message).toContain(`The value "A17" in column "code" on line 25002 of "${path}" is not BIGINT`);
    expect(error.message).toContain('declare the column\'s type in csv.columnTypes');

    const typed = await openDataSet(engine(), { path, csv: { columnTypes: { code: 'VARCHAR' } } });
    expect((await describeDataSet(engine(), typed)).rowCount).toBe(25_001);
  });
});
