import { describe, expect, it } from 'vitest';

import { AppError } from '../../../src/platform/errors.js';
import { inferFileFormat, resolveFileSpec } from '../../../src/measurement/data/index.js';

describe('inferFileFormat', () => {
  it.each([
    ['data.csv', 'csv'],
    ['data.TSV', 'csv'],
    ['data.txt', 'csv'],
    ['adult.data', 'csv'],
    ['adult.test', 'csv'],
    ['rows.parquet', 'parquet'],
    ['rows.jsonl', 'jsonl'],
    ['rows.ndjson', 'jsonl'],
    ['data.csv.gz', 'csv'],
    ['rows.jsonl.GZ', 'jsonl'],
    ['rows.parquet.gz', null],
    ['archive.gz', null],
    ['sheet.xlsx', null],
    ['no-extension', null],
  ])('%s is %s', (path, format) => {
    expect(inferFileFormat(path)).toBe(format);
  });
});

describe('resolveFileSpec', () => {
  it('fills in the CSV defaults', () => {
    const spec = resolveFileSpec({ path: 'a.csv' });
    expect(spec.format).toBe('csv');
    expect(spec.csv).toEqual({
      delimiter: ',',
      quote: '"',
      escape: '"',
      header: true,
      columnNames: null,
      skipRows: 0,
      nullStrings: [''],
      columnTypes: {},
      allText: false,
    });
  });

  it('defaults a .tsv file to a tab delimiter', () => {
    expect(resolveFileSpec({ path: 'a.tsv' }).csv.delimiter).toBe('\t');
    expect(resolveFileSpec({ path: 'a.tsv.gz' }).csv.delimiter).toBe('\t');
  });

  it('keeps an explicit format over the extension', () => {
    expect(resolveFileSpec({ path: 'export.bin', format: 'parquet' }).format).toBe('parquet');
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      resolveFileSpec({
        path: 'a.csv',
        csv: { delimiter: '', quote: '""', skipRows: -1, header: true, columnNames: ['x', 'X'] },
        recode: { label: {} },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const details = (error as AppError).details.map((detail) => detail.path);
    expect(details).toEqual(['/csv/delimiter', '/csv/quote', '/csv/skipRows', '/csv/columnNames', '/csv/columnNames', '/recode/label']);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
  });

  it('rejects an unknown extension with the known ones', () => {
    expect(() => resolveFileSpec({ path: 'sheet.xlsx' })).toThrow(/cannot infer the format of "sheet.xlsx".*\.csv \.tsv/);
  });

  it('rejects CSV options on a Parquet file', () => {
    expect(() => resolveFileSpec({ path: 'rows.parquet', csv: { delimiter: ';' } })).toThrow(/CSV options apply only to CSV files/);
  });
});
