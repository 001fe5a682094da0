import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Reads a CSV file record by record without DuckDB, for error messages only. DuckDB 1.5.6
 * misstates where a malformed record is. Its "Line" counts records rather than lines, so it falls
 * one short after each quoted field that spans two lines. Its "Found" field count stops one past
 * the expected count (8 fields are reported as 6 where 5 are expected). This reader numbers
 * physical lines and counts every field, so the message can state both as they are.
 */

/** The layout options the reader follows; the same as DuckDB's scan receives. */
export interface CsvLayout {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
  /** Physical lines skipped before the header or the first record, quotes ignored, as DuckDB's `skip`. */
  readonly skipRows: number;
}

/** One record: the physical line it starts on (1-based), its fields, and whether a quoted field was still open at the end of the file. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
  readonly unterminatedQuote: boolean;
}

/**
 * Yields the records of a CSV file in order. Empty lines are no records, as in DuckDB. A file
 * whose name ends in .gz is decompressed on the way.
 * NOTE: other compressions (such as .zst) are read undecompressed. Their records are then
 * meaningless, so the caller finds no matching record and keeps DuckDB's own numbers.
 */
export async function* readCsvRecords(path: string, layout: CsvLayout): AsyncGenerator<CsvRecord> {
  const file = createReadStream(path);
  const input: Readable = /\.gz$/i.test(path) ? file.pipe(createGunzip()) : file;
  input.setEncoding('utf8');
  const tokenizer = new CsvTokenizer(layout);
  try {
    let first = true;
    for await (const chunk of input as AsyncIterable<string>) {
      const text = first && chunk.startsWith('\uFEFF') ? chunk.slice(1) : chunk;
      first = false;
      yield* tokenizer.push(text, false);
    }
    yield* tokenizer.push('', true);
  } finally {
    input.destroy();
    file.destroy();
  }
}

class CsvTokenizer {
  private pending = '';
  private line = 1;
  private skipped = 0;
  private recordLine = 1;
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  /** Whether the record has any content yet, so that an empty line yields no record. */
  private started = false;
  /** Characters of lookahead a step needs: a whole delimiter, or a quote and the character after it. */
  private readonly lookahead: number;

  constructor(private readonly layout: CsvLayout) {
    this.lookahead = Math.max(layout.delimiter.length, 2);
  }

  *push(chunk: string, atEnd: boolean): Generator<CsvRecord> {
    const text = this.pending + chunk;
    let index = 0;
    while (index < text.length) {
      if (!atEnd && text.length - index < this.lookahead) break;
      const step = this.step(text, index);
      index = step.next;
      if (step.record !== null) yield step.record;
    }
    this.pending = text.slice(index);
    if (atEnd && (this.started || this.inQuotes)) {
      this.fields.push(this.field);
      yield this.finishRecord();
    }
  }

  private step(text: string, index: number): { next: number; record: CsvRecord | null } {
    const character = text[index] as string;
    const { delimiter, quote, escape } = this.layout;
    const lineBreak = lineBreakLength(text, index);

    if (this.skipped < this.layout.skipRows) {
      if (lineBreak > 0) {
        this.line += 1;
        this.skipped += 1;
        this.recordLine = this.line;
      }
      return { next: index + Math.max(lineBreak, 1), record: null };
    }

    if (this.inQuotes) {
      if (escape !== quote && character === escape && index + 1 < text.length) {
        this.field += text[index + 1];
        return { next: index + 2, record: null };
      }
      if (character === quote) {
        if (escape === quote && text[index + 1] === quote) {
          this.field += quote;
          return { next: index + 2, record: null };
        }
        this.inQuotes = false;
        return { next: index + 1, record: null };
      }
      if (lineBreak > 0) this.line += 1;
      this.field += text.slice(index, index + Math.max(lineBreak, 1));
      return { next: index + Math.max(lineBreak, 1), record: null };
    }

    if (lineBreak > 0) {
      this.line += 1;
      if (!this.started) {
        this.recordLine = this.line;
        return { next: index + lineBreak, record: null };
      }
      this.fields.push(this.field);
      return { next: index + lineBreak, record: this.finishRecord() };
    }
    this.started = true;
    if (text.startsWith(delimiter, index)) {
      this.fields.push(this.field);
      this.field = '';
      return { next: index + delimiter.length, record: null };
    }
    if (character === quote && this.field === '') {
      this.inQuotes = true;
      return { next: index + 1, record: null };
    }
    this.field += character;
    return { next: index + 1, record: null };
  }

  private finishRecord(): CsvRecord {
    const record = { line: this.recordLine, fields: this.fields, unterminatedQuote: this.inQuotes };
    this.fields = [];
    this.field = '';
    this.inQuotes = false;
    this.started = false;
    this.recordLine = this.line;
    return record;
  }
}

/** Returns the length of the line break at `index`: 2 for CRLF, 1 for LF or a lone CR, 0 for any other character. */
function lineBreakLength(text: string, index: number): number {
  const character = text[index];
  if (character === '\n') return 1;
  if (character !== '\r') return 0;
  return text[index + 1] === '\n' ? 2 : 1;
}
