import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';

import type { ResolvedFileSpec } from './file-spec.js';

const chunkBytes = 64 * 1024;
/** A header longer than this is almost surely a wrong delimiter or a binary file. */
const maxHeaderBytes = 8 * 1024 * 1024;

/** The first record of a CSV file, or the reason there is none. */
export type FirstRecord =
  | { readonly kind: 'record'; readonly fields: readonly string[] }
  | { readonly kind: 'empty' }
  | { readonly kind: 'too-long' };

/**
 * Reads the first record after `skipRows` lines with the file's own delimiter, quote and escape,
 * without DuckDB, so that the header names are known exactly as written (DuckDB renames repeated
 * names). A file with nothing but blank lines after the skipped ones is `empty`. A file whose
 * name ends in .gz is decompressed on the way, as DuckDB does.
 */
export async function readFirstCsvRecord(path: string, csv: ResolvedFileSpec['csv']): Promise<FirstRecord> {
  const file = createReadStream(path, { highWaterMark: chunkBytes });
  const input: Readable = /\.gz$/i.test(path) ? file.pipe(createGunzip()) : file;
  try {
    // The decoder keeps a multi-byte character that straddles two chunks whole.
    const decoder = new StringDecoder('utf8');
    let text = '';
    let bytes = 0;
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      text += decoder.write(chunk);
      const parsed = parseFirstRecord(stripByteOrderMark(text), csv, false);
      if (parsed !== 'incomplete') return parsed;
      if (bytes > maxHeaderBytes) return { kind: 'too-long' };
    }
    text += decoder.end();
    const parsed = parseFirstRecord(stripByteOrderMark(text), csv, true);
    return parsed === 'incomplete' ? { kind: 'empty' } : parsed;
  } finally {
    input.destroy();
    file.destroy();
  }
}

function stripByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Parses the first record, or returns `incomplete` when the text may end inside it. */
function parseFirstRecord(text: string, csv: ResolvedFileSpec['csv'], atEnd: boolean): FirstRecord | 'incomplete' {
  let index = 0;
  for (let skipped = 0; skipped < csv.skipRows; skipped++) {
    const lineEnd = findLineEnd(text, index);
    if (lineEnd === -1) return atEnd ? { kind: 'empty' } : 'incomplete';
    index = afterLineBreak(text, lineEnd);
  }

  while (index < text.length && (text[index] === '\n' || text[index] === '\r')) index++;
  if (index >= text.length) return atEnd ? { kind: 'empty' } : 'incomplete';

  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  while (index < text.length) {
    const character = text[index] as string;
    if (inQuotes) {
      if (csv.escape !== csv.quote && character === csv.escape && index + 1 < text.length) {
        field += text[index + 1];
        index += 2;
        continue;
      }
      if (character === csv.quote) {
        if (csv.escape === csv.quote && text[index + 1] === csv.quote) {
          field += csv.quote;
          index += 2;
          continue;
        }
        if (index + 1 >= text.length && !atEnd) return 'incomplete';
        inQuotes = false;
        index++;
        continue;
      }
      field += character;
      index++;
      continue;
    }
    if (character === '\n' || character === '\r') {
      fields.push(field);
      return { kind: 'record', fields };
    }
    if (text.startsWith(csv.delimiter, index)) {
      fields.push(field);
      field = '';
      index += csv.delimiter.length;
      continue;
    }
    if (csv.quote !== '' && character === csv.quote && field === '') {
      inQuotes = true;
      index++;
      continue;
    }
    field += character;
    index++;
  }
  if (!atEnd) return 'incomplete';
  fields.push(field);
  return { kind: 'record', fields };
}

function findLineEnd(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    if (text[index] === '\n' || text[index] === '\r') return index;
  }
  return -1;
}

function afterLineBreak(text: string, lineEnd: number): number {
  return text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1;
}
