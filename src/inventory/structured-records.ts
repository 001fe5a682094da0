import { LineCounter, parseDocument, isSeq, type Node } from 'yaml';
import type { ErrorDetail } from '../platform/errors.js';
import { withoutByteOrderMark, type SourceRecord, type SourceRecords } from './inventory-source.js';

/**
 * Reads a JSON file: an array of records, or an object whose property `recordsPath` (a dotted
 * path) contains the array. Records are located by their 1-based index.
 */
export function readJsonRecords(text: string, recordsPath?: string): SourceRecords {
  const content = withoutByteOrderMark(text);
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch (error) {
    return { records: [], problems: [{ path: 'file', message: `is not valid JSON: ${describeJsonError(error, content)}` }] };
  }
  return collectRecords(document, 'JSON', recordsPath, (index) => `record ${index + 1}`);
}

/**
 * Reads a YAML file: a list of records, or a mapping whose key `recordsPath` contains the list.
 * Records are located by their 1-based index and the line they start on.
 */
export function readYamlRecords(text: string, recordsPath?: string): SourceRecords {
  const lineCounter = new LineCounter();
  const document = parseDocument(withoutByteOrderMark(text), { lineCounter, prettyErrors: false });
  const [firstError] = document.errors;
  if (firstError) {
    const position = firstError.linePos?.[0];
    const where = position ? `line ${position.line}` : 'file';
    return { records: [], problems: [{ path: where, message: `is not valid YAML: ${firstError.message}` }] };
  }

  const listNode = recordsPath ? document.getIn(recordsPath.split('.'), true) : document.contents;
  const lineOf = (index: number): string => {
    const item = isSeq(listNode) ? (listNode.items[index] as Node | undefined) : undefined;
    const offset = item?.range?.[0];
    return offset === undefined ? `record ${index + 1}` : `record ${index + 1} (line ${lineCounter.linePos(offset).line})`;
  };
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount });
  } catch (error) {
    // The yaml package raises ReferenceError for an alias bomb and for an alias without its anchor.
    if (!(error instanceof ReferenceError)) throw error;
    return { records: [], problems: [{ path: 'file', message: describeAliasFailure(error) }] };
  }
  return collectRecords(data, 'YAML', recordsPath, lineOf);
}

/**
 * Limit on alias expansion handed to the yaml package, which counts each use of an anchor times
 * the aliases inside the anchored value. Nested anchors ("billion laughs") pass it quickly.
 */
const maxAliasCount = 100;

function describeAliasFailure(error: ReferenceError): string {
  if (error.message.startsWith('Excessive alias count')) {
    return `has aliases (*name) that expand to more than ${maxAliasCount} copies of anchored values, which could exhaust memory; write the repeated values out in full`;
  }
  return `is not valid YAML: ${error.message}`;
}

function collectRecords(document: unknown, formatName: string, recordsPath: string | undefined, locate: (index: number) => string): SourceRecords {
  const list = recordsPath === undefined ? document : valueAt(document, recordsPath);
  if (!Array.isArray(list)) {
    return { records: [], problems: [{ path: recordsPath ? `file, ${recordsPath}` : 'file', message: describeNotAList(document, list, formatName, recordsPath) }] };
  }

  const records: SourceRecord[] = [];
  const problems: ErrorDetail[] = [];
  list.forEach((item, index) => {
    const location = locate(index);
    if (isPlainObject(item)) records.push({ location, values: item });
    else problems.push({ path: location, message: `must be an object of fields, one AI system per record (received ${kindOf(item)})` });
  });
  return { records, problems };
}

function describeNotAList(document: unknown, found: unknown, formatName: string, recordsPath: string | undefined): string {
  if (recordsPath !== undefined) {
    return `must be a list of AI systems, but the property "${recordsPath}" the mapping names as records is ${found === undefined ? 'missing' : kindOf(found)}`;
  }
  const hint = isPlainObject(document) ? listPropertiesHint(document) : '';
  return `must be a list of AI systems, but the ${formatName} file contains ${kindOf(document)}${hint}`;
}

function listPropertiesHint(document: Record<string, unknown>): string {
  const lists = Object.keys(document).filter((key) => Array.isArray(document[key]));
  if (lists.length === 0) return '; write the records as a list';
  return `; set "records" in the mapping file to the property that contains them (lists found: ${lists.join(', ')})`;
}

/** Follows a dotted path through objects and arrays; a segment that is a whole number indexes an array. */
export function valueAt(source: unknown, dottedPath: string): unknown {
  let current: unknown = source;
  for (const segment of dottedPath.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (isPlainObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object (a mapping of keys to values)';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/** Names the line and column of a JSON syntax error when the engine reports its position. */
function describeJsonError(error: unknown, content: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /at position (\d+)/.exec(message);
  if (!match) return message;
  const before = content.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
