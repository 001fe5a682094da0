import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiPath } from '../api/client';

/** The API's limit on ids per name lookup (GET /api/users/names). */
const idsPerRequest = 200;

/**
 * Looks up the display names of the users a screen shows, such as the actors of audit events,
 * through the name lookup that every signed-in role may call. Ids without an account (such as
 * "system") are absent from the map, so callers show the id instead.
 */
export function useUserNames(ids: readonly (string | null | undefined)[]) {
  const requestedIds = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
  return useQuery({
    queryKey: ['users', 'display-names', requestedIds],
    queryFn: async ({ signal }) => {
      const chunks: string[][] = [];
      for (let start = 0; start < requestedIds.length; start += idsPerRequest) chunks.push(requestedIds.slice(start, start + idsPerRequest));
      const responses = await Promise.all(chunks.map((chunk) => api<{ id: string; displayName: string }[]>(apiPath('/users/names', { ids: chunk }), { signal })));
      return new Map(responses.flat().map((user) => [user.id, user.displayName]));
    },
    enabled: requestedIds.length > 0,
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
}
