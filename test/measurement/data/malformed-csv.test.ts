import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

import { readCsvRecords, type CsvLayout, type CsvRecord } from '../../../src/measurement/data/csv-records.js';
import { materializeDataSet, openDataSet, type DataFileSpec } from '../../../src/measurement/data/index.js';
import { appErrorOf, useDataEngine } from './support.js';

const engine = useDataEngine();
const scratch = mkdtempSync(join(tmpdir(), 'custos-malformed-csv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/** Opens the file and loads every row, which makes DuckDB read the whole file. */
async function loadError(spec: DataFileSpec): Promise<string> {
  const error = await appErrorOf(async () => materializeDataSet(engine(), await openDataSet(engine(), spec)));
  expect(error.code).toBe('VALIDATION_FAILED');
  return error.message;
}

function malformed(path: string, line: number, reason: string): string {
  return `Line ${line} of "${path}" is malformed: ${reason}; fix the line, or check the delimiter (",") and quote ("\\"") settings`;
}

/** 25,000 well-formed rows, more than DuckDB samples to detect the layout and the types. */
const manyRows = Array.from({ length: 25_000 }, (_, index) => `${index},ok,3,4,5`).join('\n');

describe('malformed CSV records', () => {
  it('counts every field of a long record', async () => {
    const path = writeFile('wide.csv', 'a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5,6,7,8\n1,2,3,4,5\n');
    expect(await loadError({ path })).toBe(malformed(path, 3, 'expected 5 fields, found 8'));
  });

  it('counts the fields of a short record', async () => {
    const path = writeFile('narrow.csv', 'a,b,c,d,e\n1,2,3,4,5\n1,2,3\n');
    expect(await loadError({ path })).toBe(malformed(path, 3, 'expected 5 fields, found 3'));
  });

  it('numbers lines after a multi-line quoted field', async () => {
    const path = writeFile('multi-line.csv', 'a,b,c,d,e\n1,"two\nlines",3,4,5\n1,"three\nmore\nlines",3,4,5\n1,2,3,4,5\n1,2,3,4,5,6,7,8\n');
    expect(await loadError({ path })).toBe(malformed(path, 8, 'expected 5 fields, found 8'));
  });

  it('numbers a late record after skipped and blank lines', async () => {
    const text = `title line\n"quoted\nnote"\na,b,c,d,e\n\n1,"two\nlines",3,4,5\n\n${manyRows}\n1,2,3,4,5,6\n`;
    const path = writeFile('late.csv', text);
    expect(await loadError({ path, csv: { skipRows: 3 } })).toBe(malformed(path, 25_009, 'expected 5 fields, found 6'));
  });

  it('numbers the line of a late value of the wrong type', async () => {
    const path = writeFile('late-type.csv', `n,note,c,d,e\n1,"two\nlines",3,4,5\n${manyRows}\nA17,ok,3,4,5\n`);
    const message = await loadError({ path });
    expect(message).toContain(`The value "A17" in column "n" on line 25004 of "${path}" is not BIGINT`);
  });

  it('numbers the line of an unclosed quote', async () => {
    const path = writeFile('unclosed.csv', 'a,b\n1,"two\nlines"\n2,"open\n3,z\n');
    expect(await loadError({ path })).toBe(malformed(path, 4, 'a quoted field is not closed'));
  });

  it('reads a gzip file again', async () => {
    const path = join(scratch, 'wide.csv.gz');
    writeFileSync(path, gzipSync(`a,b,c,d,e\n1,"two\nlines",3,4,5\n${manyRows}\n1,2,3,4,5,6,7,8\n`));
    expect(await loadError({ path, format: 'csv' })).toBe(malformed(path, 25_004, 'expected 5 fields, found 8'));
  });
});

describe('CSV record reader', () => {
  const layout: CsvLayout = { delimiter: ',', quote: '"', escape: '"', skipRows: 0 };

  async function records(text: string, options: Partial<CsvLayout> = {}): Promise<CsvRecord[]> {
    const path = writeFile('records.csv', text);
    const found: CsvRecord[] = [];
    for await (const record of readCsvRecords(path, { ...layout, ...options })) found.push(record);
    return found;
  }

  it('numbers physical lines over CRLF, CR and blank lines', async () => {
    expect(await records('a,b\r\n\r\n"x\r\ny",1\r2,"q""r"\n')).toEqual([
      { line: 1, fields: ['a', 'b'], unterminatedQuote: false },
      { line: 3, fields: ['x\r\ny', '1'], unterminatedQuote: false },
      { line: 5, fields: ['2', 'q"r'], unterminatedQuote: false },
    ]);
  });

  it('follows a multi-character delimiter and an escape character', async () => {
    expect(await records('a, b\n"x, \\"y", 2\nlast', { delimiter: ', ', escape: '\\' })).toEqual([
      { line: 1, fields: ['a', 'b'], unterminatedQuote: false },
      { line: 2, fields: ['x, "y', '2'], unterminatedQuote: false },
      { line: 3, fields: ['last'], unterminatedQuote: false },
    ]);
  });

  it('skips physical lines and reports an open quote', async () => {
    expect(await records('skip "this\nand this\na\n"open\nend', { skipRows: 2 })).toEqual([
      { line: 3, fields: ['a'], unterminatedQuote: false },
      { line: 4, fields: ['open\nend'], unterminatedQuote: true },
    ]);
  });

  it('keeps a record that straddles chunks', async () => {
    const long = 'x'.repeat(200_000);
    const found = await records(`a,b\n"${long}\n${long}",2\n3,4\n`);
    expect(found.map((record) => [record.line, record.fields.length])).toEqual([
      [1, 2],
      [2, 2],
      [4, 2],
    ]);
    expect(found[1]?.fields[0]).toHaveLength(400_001);
  });
});
