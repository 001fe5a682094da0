import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The register's search, filters, sort and page, kept in the address so that a link or the back
 * button restores them. The parameter names are those of GET /api/ai-systems, so the address
 * passes to the API as it is.
 */

export const filterKeys = ['q', 'classificationTier', 'lifecycleStage', 'businessUnit', 'ownerId', 'classificationStale'] as const;
export type FilterKey = (typeof filterKeys)[number];

export const sortKeys = ['name', 'classificationTier', 'lifecycleStage', 'businessUnit', 'ownerName', 'updatedAt'] as const;
export type SortKey = (typeof sortKeys)[number];

export const pageSizes = [25, 50, 100, 200] as const;
const defaultPageSize = 50;

export interface RegisterQuery {
  filters: Record<FilterKey, string>;
  sort: string;
  limit: number;
  offset: number;
}

function readNumber(value: string | null, fallback: number): number {
  const parsed = Number(value);
  return value !== null && Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
}

export function useRegisterQuery() {
  const [params, setParams] = useSearchParams();

  const query = useMemo<RegisterQuery>(() => {
    const filters = Object.fromEntries(filterKeys.map((key) => [key, params.get(key) ?? ''])) as Record<FilterKey, string>;
    return {
      filters,
      sort: params.get('sort') ?? 'name',
      limit: readNumber(params.get('limit'), defaultPageSize) || defaultPageSize,
      offset: readNumber(params.get('offset'), 0),
    };
  }, [params]);

  /** Applies changes to the address; any change but paging returns to the first page. */
  const update = useCallback(
    (changes: Partial<Record<FilterKey | 'sort' | 'limit' | 'offset', string | number>>, options: { replace?: boolean } = {}) => {
      setParams(
        () => {
          // The address bar, not the hook's copy, is the base: two changes in quick succession
          // (sort, then next page) would otherwise both start from the older address.
          const next = new URLSearchParams(window.location.search);
          for (const [key, value] of Object.entries(changes)) {
            if (value === '' || value === undefined) next.delete(key);
            else next.set(key, String(value));
          }
          if (!('offset' in changes)) next.delete('offset');
          if (next.get('offset') === '0') next.delete('offset');
          return next;
        },
        { replace: options.replace ?? false },
      );
    },
    [setParams],
  );

  const apiQuery = useMemo(() => ({ ...query.filters, sort: query.sort, limit: query.limit, offset: query.offset }), [query]);
  const filtered = filterKeys.some((key) => query.filters[key] !== '');

  return { query, apiQuery, update, filtered, clear: () => setParams(new URLSearchParams()) };
}
