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

/** The signed-in user, or null while nobody is signed in (the API returns 401). */
export function useSessionQuery() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async () => {
      try {
        return await api<Session>('/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
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
    onSuccess: async () => {
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
      // The session query keeps its observer, so the app falls back to the sign-in at once;
      // everything read under the old session is dropped.
      queryClient.setQueryData(sessionQueryKey, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
    },
  });
}
