import type { Role } from './roles.js';

/** The actor of a use case: user, roles, channel and request. */
export interface Caller {
  /** The user id, or `system` for work custos does on its own behalf (first start, demo data). */
  readonly userId: string;
  readonly username: string;
  readonly roles: readonly Role[];
  readonly via: 'session' | 'token' | 'cli' | 'system';
  readonly requestId: string | null;
}

export const systemCaller: Caller = Object.freeze({
  userId: 'system',
  username: 'system',
  roles: ['administrator'] as const,
  via: 'system' as const,
  requestId: null,
});
