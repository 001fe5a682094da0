import type { Role } from '../platform/auth/roles.js';

/**
 * Authority to accept residual risk. Each role in the authority table may accept residual risk
 * up to a band, given by its order in the active matrix (1 is the lowest band). A caller's
 * authority is the highest of its roles', and a role not in the table has none.
 */

export interface Authority {
  role: Role;
  maxBandOrder: number;
}

/** Returns the caller's highest band order and the role that grants it, or null without authority. */
export function authorityOf(roles: readonly Role[], table: readonly Authority[]): Authority | null {
  let best: Authority | null = null;
  for (const entry of table) {
    if (roles.includes(entry.role) && (best === null || entry.maxBandOrder > best.maxBandOrder)) best = entry;
  }
  return best;
}

/** Roles whose authority covers a band order, highest authority last. */
export function rolesCovering(bandOrder: number, table: readonly Authority[]): Role[] {
  return table
    .filter((entry) => entry.maxBandOrder >= bandOrder)
    .sort((a, b) => a.maxBandOrder - b.maxBandOrder || a.role.localeCompare(b.role))
    .map((entry) => entry.role);
}
