import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiPath } from '../api/client';

/** The API's limit on ids per name lookup (GET /api/people/names). */
const idsPerRequest = 200;

/**
 * Looks up the names of the people a screen shows, by id, through the name lookup that every
 * signed-in role may call. Ids without a name (a removed person) are absent from the map, so
 * callers show the id instead. The previous names stay while a new set of ids loads.
 */
export function usePersonNames(ids: readonly (string | null | undefined)[]) {
  const requestedIds = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
  return useQuery({
    queryKey: ['people', 'names', requestedIds],
    queryFn: async ({ signal }) => {
      const chunks: string[][] = [];
      for (let start = 0; start < requestedIds.length; start += idsPerRequest) chunks.push(requestedIds.slice(start, start + idsPerRequest));
      const answers = await Promise.all(chunks.map((chunk) => api<{ id: string; name: string }[]>(apiPath('/people/names', { ids: chunk }), { signal })));
      return new Map(answers.flat().map((person) => [person.id, person.name]));
    },
    enabled: requestedIds.length > 0,
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
}
