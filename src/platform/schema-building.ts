import { Type, type SchemaOptions, type TLiteral, type TUnion } from '@sinclair/typebox';

/**
 * Schema building blocks that depend on TypeBox alone. The web app imports the schemas built from
 * them to check forms in the browser, so this module must not import Node.js, the database layer
 * or the compiled checker.
 */

/** Pattern of strings that are not empty or only white space; errors report it as "must not be blank". */
export const notBlankPattern = '\\S';

/** Builds a union of string literals whose static type is the union of the values, not plain string. */
export function literalUnion<T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<TLiteral<T[number]>[]>;
}

/** Builds a `sort` query parameter that accepts each key, or the key prefixed with `-` for descending order. */
export function SortQuery<K extends string>(keys: readonly K[], defaultKey: K) {
  return literalUnion(
    keys.flatMap((key) => [key, `-${key}` as const]),
    { description: `Sort key, prefixed with - for descending: ${keys.join(', ')}`, default: defaultKey },
  );
}
