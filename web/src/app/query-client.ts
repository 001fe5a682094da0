import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { sessionQueryKey } from '../auth/session';

/**
 * Server state for every screen. While someone is signed in, a request that meets an ended
 * session waits for them to sign in again (see api()). A 401 that still reaches a query or
 * mutation means they chose to sign out, or the call bypassed api(), so the app returns to the
 * sign-in. Other errors stay with the screen that asked. Failed reads retry once, except for
 * answers a retry cannot change (4xx).
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
