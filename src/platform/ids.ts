import { randomUUID } from 'node:crypto';

/** A new record id: a random UUID, so ids reveal nothing and never collide across servers. */
export function newId(): string {
  return randomUUID();
}
