import { createContext, useContext, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';

export interface SignedInUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export interface Session {
  user: SignedInUser;
  actingRoles: string[];
  permissions: string[];
}

export const sessionQueryKey = ['session'] as const;

const SessionContext = createContext<Session | null>(null);

/**
 * The browser keeps the expiry of its last session here, because the session cookie is httpOnly
 * and scripts cannot see it. Without an unexpired entry the app shows the sign-in at once instead
 * of requesting /api/auth/me, which would return 401 and log an error in the browser console.
 */
const sessionExpiryKey = 'custos.sessionExpiresAt';

/** Records that this browser has a session until `expiresAt` (an ISO timestamp from the sign-in). */
export function rememberSession(expiresAt: string): void {
  try {
    localStorage.setItem(sessionExpiryKey, expiresAt);
  } catch {
    // Storage may be disabled. The app then requests /api/auth/me on every load, as before.
  }
}

function forgetSession(): void {
  try {
    localStorage.removeItem(sessionExpiryKey);
  } catch {
    // Nothing was stored when storage is disabled.
  }
}

/** Returns false only when the stored expiry shows no open session. With storage disabled the app cannot tell, so true. */
function mayHoldSession(now = Date.now()): boolean {
  let expiresAt: string | null;
  try {
    expiresAt = localStorage.getItem(sessionExpiryKey);
  } catch {
    return true;
  }
  return expiresAt !== null && Date.parse(expiresAt) > now;
}

/** The signed-in user, or null while nobody is signed in (the API returns 401). */
export function useSessionQuery() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async () => {
      if (!mayHoldSession()) return null;
      try {
        return await api<Session>('/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          forgetSession();
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The session of the signed-in user; only screens behind the sign-in use it. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside the signed-in part of the app');
  return session;
}

/**
 * Tells whether the signed-in user may do something, by the permission names the API grants
 * (soa.write, risks.write and so on). The server checks again on every change.
 */
export function useCan(): (permission: string) => boolean {
  const session = useSession();
  return (permission) => session.permissions.includes(permission);
}

/** A caller whose roles only read; today that is the internal auditor, as on the server. */
export function useReadOnly(): boolean {
  const session = useSession();
  return session.actingRoles.length > 0 && session.actingRoles.every((role) => role === 'internal_auditor');
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) =>
      api<{ user: SignedInUser; expiresAt: string }>('/auth/sign-in', { method: 'POST', body: credentials }),
    onSuccess: async (result) => {
      rememberSession(result.expiresAt);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
      await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/auth/sign-out', { method: 'POST' }),
    onSettled: () => {
      forgetSession();
      // The session query keeps its observer, so the app falls back to the sign-in at once;
      // everything read under the old session is dropped.
      queryClient.setQueryData(sessionQueryKey, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
    },
  });
}
