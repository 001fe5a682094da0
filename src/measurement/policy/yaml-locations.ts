import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** Position of a value in a YAML file: 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Finds the line of the value a JSON pointer names. For a key of a mapping it is the key's line.
 * For a missing key it is the line of the nearest enclosing key or item, so that a message
 * about a missing field points at the mapping it belongs in.
 */
export function positionOf(document: Document, lineCounter: LineCounter, pointer: string): SourcePosition | null {
  let node: unknown = document.contents;
  let offset: number | undefined = rangeStart(node);

  for (const segment of splitPointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === segment);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }

  if (offset === undefined) return null;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/** Splits a JSON pointer (RFC 6901) into its unescaped segments; the empty pointer names the whole document. */
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
