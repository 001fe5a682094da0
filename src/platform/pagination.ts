import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const maxPageSize = 500;
/** Largest offset accepted; deeper pages are narrowed with filters instead. */
export const maxOffset = 1_000_000_000;

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize, default: 50, description: `Records per page, 1 to ${maxPageSize}` })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: maxOffset, default: 0, description: `Records to skip, 0 to ${maxOffset}` })),
};

/** A page of records with the total that matched, so clients can show "51–100 of 390". */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ minimum: 0 }),
    limit: Type.Integer({ minimum: 1 }),
    offset: Type.Integer({ minimum: 0 }),
  });

export interface PageOf<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type PageRequest = { limit?: number; offset?: number };

export function pageBounds(request: PageRequest): { limit: number; offset: number } {
  return { limit: request.limit ?? 50, offset: request.offset ?? 0 };
}

export type StaticPage<T extends TSchema> = Static<ReturnType<typeof Page<T>>>;
