import { expect } from 'vitest';
import type { Clock } from '../../src/platform/clock.js';
import { roles, type Role } from '../../src/platform/auth/roles.js';
import type { TestDatabase } from '../support/databases.js';
import type { TestServer } from '../support/server.js';

/** A clock that moves one second per read, like steppingClock, and that a test can move on by whole days. */
export interface AdjustableClock extends Clock {
  advanceDays(days: number): void;
}

export function adjustableClock(start = '2026-01-01T00:00:00.000Z'): AdjustableClock {
  let current = Date.parse(start);
  return {
    now: () => {
      const date = new Date(current);
      current += 1000;
      return date;
    },
    advanceDays: (days) => {
      current += days * 86_400_000;
    },
  };
}

/** Creates the records a risk test needs: two people to own risks and treatments, and an AI system. */
export async function createRiskFixtures(server: TestServer): Promise<{ ownerId: string; otherPersonId: string; systemId: string }> {
  // The test server creates each role's user on first use, and that writes audit events. Creating
  // them all now keeps those events out of the counts that tests compare.
  for (const role of roles) expect((await server.as(role)('GET', '/api/risks/matrix')).statusCode).toBe(200);
  const owner = await server.as('administrator')('POST', '/api/people', { body: { name: 'Rosa Risk' } });
  expect(owner.statusCode).toBe(201);
  const other = await server.as('administrator')('POST', '/api/people', { body: { name: 'Theo Treatment' } });
  expect(other.statusCode).toBe(201);
  const system = await server.as('administrator')('POST', '/api/ai-systems', {
    body: { name: 'Recidivism scoring', purpose: 'Scores the risk of reoffending for pre-trial decisions', businessUnit: 'Courts' },
  });
  expect(system.statusCode).toBe(201);
  return { ownerId: owner.json().id, otherPersonId: other.json().id, systemId: system.json().id };
}

export function riskBody(ownerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Biased scores for minority defendants',
    description: 'Historical arrest data over-represents some groups, so their scores run high.',
    riskSourceRef: 'iso42001:C.3.4',
    threat: 'Training data reflects biased policing',
    objectiveRef: 'iso42001:C.2.5',
    category: 'ethical',
    ownerPersonId: ownerId,
    ...overrides,
  };
}

export async function createRisk(server: TestServer, body: Record<string, unknown>, role: Role = 'risk_owner'): Promise<Record<string, any>> {
  const response = await server.as(role)('POST', '/api/risks', { body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function countRows(database: TestDatabase, table: 'risks' | 'risk_treatments' | 'risk_acceptances' | 'risk_escalations' | 'risk_matrices' | 'risk_appetites' | 'audit_events'): Promise<number> {
  const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Counts of every risk table and of the audit trail, to show that a rejected request wrote nothing. */
export async function registerSnapshot(database: TestDatabase): Promise<Record<string, number>> {
  const tables = ['risks', 'risk_treatments', 'risk_acceptances', 'risk_escalations', 'risk_matrices', 'risk_appetites', 'audit_events'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countRows(database, table);
  const versions = await database.db.selectFrom('risks').select(['id', 'version']).orderBy('id').execute();
  counts.riskVersions = versions.reduce((sum, row) => sum + row.version, 0);
  return counts;
}
