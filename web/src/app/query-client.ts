import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { sessionQueryKey } from '../auth/session';

/**
 * Server state for every screen. A 401 anywhere means the session ended, so the app returns to
 * the sign-in; other errors stay with the screen that asked. Failed reads retry once, except
 * for answers a retry cannot change (4xx).
 */
export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error) => signOutOn401(error) }),
  mutationCache: new MutationCache({ onError: (error) => signOutOn401(error) }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) => failures < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

function signOutOn401(error: unknown) {
  if (error instanceof ApiError && error.status === 401 && error.code === 'UNAUTHENTICATED') {
    queryClient.setQueryData(sessionQueryKey, null);
  }
}
