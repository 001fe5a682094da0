import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createRisk, createRiskFixtures, registerSnapshot, riskBody } from './fixtures.js';

const threeLevels = (axis: string) => [
  { label: `Low ${axis}`, definition: `Rarely seen (${axis})` },
  { label: `Medium ${axis}`, definition: `Sometimes seen (${axis})` },
  { label: `High ${axis}`, definition: `Often seen (${axis})` },
];

/** Builds a 3 × 3 calibration with three bands: minor up to score 2, moderate up to 4, major above. */
function threeByThree(overrides: Record<string, unknown> = {}) {
  const cells = [];
  for (let likelihood = 1; likelihood <= 3; likelihood += 1) {
    for (let impact = 1; impact <= 3; impact += 1) {
      const score = likelihood * impact;
      let band = 'major';
      if (score <= 4) band = 'moderate';
      if (score <= 2) band = 'minor';
      cells.push({ likelihood, impact, band });
    }
  }
  return {
    likelihoodLevels: threeLevels('likelihood'),
    impactLevels: threeLevels('impact'),
    bands: [
      { key: 'minor', label: 'Minor' },
      { key: 'moderate', label: 'Moderate' },
      { key: 'major', label: 'Major' },
    ],
    cells,
    changeSummary: 'Simpler scale agreed by the risk committee',
    ...overrides,
  };
}

describe.each(databaseKinds)('risk register settings API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let ownerId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    ({ ownerId } = await createRiskFixtures(server));
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('rejects a matrix with a cell without a band, naming the cells', async () => {
    const before = await registerSnapshot(database);
    const body = threeByThree();
    body.cells = body.cells.filter((cell) => !(cell.likelihood === 3 && cell.impact === 2));
    const response = await server.as('administrator')('PUT', '/api/risks/matrix', { body });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'The matrix is invalid: cells (likelihood 3, impact 2) have no band; every one of the 9 cells needs a band',
      details: [{ path: '/cells', message: 'cells (likelihood 3, impact 2) have no band; every one of the 9 cells needs a band' }],
    });
    expect(await registerSnapshot(database)).toEqual(before);
  });

  it('rejects a matrix with an unknown or an unused band', async () => {
    const body = threeByThree();
    body.cells = body.cells.map((cell) => (cell.band === 'major' ? { ...cell, band: 'severe' } : cell));
    const response = await server.as('administrator')('PUT', '/api/risks/matrix', { body });
    expect(response.statusCode).toBe(400);
    const messages = response.json().error.details.map((detail: { message: string }) => detail.message);
    expect(messages).toContain('bands "major" are not used by any cell; assign them to cells or remove them');
    expect(messages.some((message: string) => message.includes('names band "severe", which the matrix does not define'))).toBe(true);
  });

  it('rejects axes smaller than 3 or larger than 5', async () => {
    const small = await server.as('administrator')('PUT', '/api/risks/matrix', { body: threeByThree({ likelihoodLevels: threeLevels('likelihood').slice(0, 2) }) });
    expect(small.statusCode).toBe(400);
    expect(small.json().error.details[0].path).toBe('/likelihoodLevels');
    const levels = [...threeLevels('x'), ...threeLevels('y')];
    const large = await server.as('administrator')('PUT', '/api/risks/matrix', { body: threeByThree({ impactLevels: levels }) });
    expect(large.statusCode).toBe(400);
    expect(large.json().error.details[0].path).toBe('/impactLevels');
  });

  it('keeps the appetite and authorities inside a new scale', async () => {
    const appetite = await server.as('oversight_board_member')('PUT', '/api/risks/categories/operational/appetite', { body: { statement: 'Moderate', maxScore: 12 } });
    expect(appetite.statusCode).toBe(200);
    const response = await server.as('administrator')('PUT', '/api/risks/matrix', { body: threeByThree() });
    expect(response.statusCode).toBe(400);
    const messages = response.json().error.details.map((detail: { message: string }) => detail.message);
    expect(messages).toContain(
      'the appetite of category "operational" is a maximum score of 12, above the new matrix\'s top score of 9; lower that appetite first (PUT /api/risks/categories/operational/appetite)',
    );
    expect(messages).toContain('role oversight_board_member may accept up to band 4, but the new matrix has 3 bands; lower that authority first (PUT /api/risks/acceptance-authorities)');

    expect((await server.as('oversight_board_member')('PUT', '/api/risks/categories/operational/appetite', { body: { statement: 'Moderate', maxScore: 6 } })).statusCode).toBe(200);
    const authorities = await server.as('administrator')('PUT', '/api/risks/acceptance-authorities', {
      body: {
        authorities: [
          { role: 'risk_owner', maxBand: 'medium' },
          { role: 'approver', maxBand: 'high' },
          { role: 'oversight_board_member', maxBand: 'high' },
        ],
      },
    });
    expect(authorities.statusCode, authorities.body).toBe(200);
  });

  it('recalibrates the matrix as a new version and keeps older ratings', async () => {
    const old = await createRisk(server, riskBody(ownerId, { title: 'Rated on the first matrix', inherent: { likelihood: 5, impact: 5 } }));
    expect(old.inherent).toMatchObject({ matrixNumber: 1, band: { key: 'critical' } });

    const stale = await server.as('administrator')('PUT', '/api/risks/matrix', { body: threeByThree(), headers: { 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);

    const replaced = await server.as('oversight_board_member')('PUT', '/api/risks/matrix?reason=annual%20calibration', { body: threeByThree(), headers: { 'if-match': '"1"' } });
    expect(replaced.statusCode, replaced.body).toBe(201);
    expect(replaced.headers.etag).toBe('"2"');
    expect(replaced.json()).toMatchObject({ number: 2, status: 'active', maxScore: 9, changeSummary: 'Simpler scale agreed by the risk committee' });

    const versions = (await server.as('internal_auditor')('GET', '/api/risks/matrices')).json();
    expect(versions.map((matrix: { number: number; status: string }) => [matrix.number, matrix.status])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);

    const older = (await server.as('risk_owner')('GET', `/api/risks/${old.id}`)).json();
    expect(older.inherent).toMatchObject({ likelihood: 5, impact: 5, band: { key: 'critical', label: 'Critical' }, matrixNumber: 1, onActiveMatrix: false });

    const offScale = await server.as('risk_owner')('POST', '/api/risks', { body: riskBody(ownerId, { inherent: { likelihood: 4, impact: 2 } }) });
    expect(offScale.statusCode).toBe(400);
    expect(offScale.json().error.details).toEqual([{ path: '/inherent/likelihood', message: 'likelihood 4 is outside the active matrix, whose likelihood runs from 1 to 3' }]);

    const fresh = await createRisk(server, riskBody(ownerId, { title: 'Rated on the second matrix', inherent: { likelihood: 3, impact: 2 } }));
    expect(fresh.inherent).toMatchObject({ score: 6, band: { key: 'major', label: 'Major', order: 3 }, matrixNumber: 2, onActiveMatrix: true });

    const rerated = await server.as('risk_owner')('PATCH', `/api/risks/${old.id}`, { body: { inherent: { likelihood: 3, impact: 3 } } });
    expect(rerated.json().inherent).toMatchObject({ band: { key: 'major' }, matrixNumber: 2, onActiveMatrix: true });

    const outside = await server.as('administrator')('PUT', '/api/risks/categories/legal/appetite', { body: { statement: 'x', maxScore: 10 } });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details[0].message).toContain('from 1 to 9');

    const event = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'risk_matrix.created').executeTakeFirstOrThrow();
    expect(event.reason).toBe('annual calibration');
    expect(JSON.parse(event.before_json!).number).toBe(1);
  });

  it('adds a category of the organization with its own escalation path', async () => {
    const created = await server.as('administrator')('POST', '/api/risks/categories', {
      body: { id: 'privacy', label: 'Privacy', description: 'Personal data', escalation: { role: 'data_protection_officer', deadlineDays: 5 }, ermCategory: 'Compliance risk' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id: 'privacy', builtin: false, escalation: { role: 'data_protection_officer', deadlineDays: 5 }, ermCategory: 'Compliance risk', appetite: null });

    const duplicate = await server.as('administrator')('POST', '/api/risks/categories', { body: { id: 'privacy', label: 'Again', escalation: { role: 'approver', deadlineDays: 5 } } });
    expect(duplicate.statusCode).toBe(409);

    const auditorPath = await server.as('administrator')('POST', '/api/risks/categories', { body: { id: 'audit', label: 'Audit', escalation: { role: 'internal_auditor', deadlineDays: 5 } } });
    expect(auditorPath.statusCode).toBe(400);

    expect((await server.as('oversight_board_member')('PUT', '/api/risks/categories/privacy/appetite', { body: { statement: 'Minimal', maxScore: 2 } })).statusCode).toBe(200);
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Leaked transcripts', category: 'privacy', inherent: { likelihood: 2, impact: 3 } }));
    expect(risk).toMatchObject({ beyondAppetite: true, ermCategory: 'Compliance risk' });
    const escalation = (await server.as('data_protection_officer')('GET', `/api/risks/escalations?riskId=${risk.id}`)).json().items[0];
    expect(escalation).toMatchObject({ escalateToRole: 'data_protection_officer' });
    const opened = new Date(escalation.openedAt);
    const expected = new Date(Date.UTC(opened.getUTCFullYear(), opened.getUTCMonth(), opened.getUTCDate() + 5)).toISOString().slice(0, 10);
    expect(escalation.dueDate).toBe(expected);

    const resolved = await server.as('data_protection_officer')('POST', `/api/risks/escalations/${escalation.id}/resolve`, { body: { outcome: 'appetite_revised', note: 'Appetite to be reviewed' } });
    expect(resolved.statusCode).toBe(200);

    const removed = await server.as('oversight_board_member')('DELETE', '/api/risks/categories/privacy/appetite');
    expect(removed.statusCode).toBe(200);
    expect(removed.json().appetite).toBeNull();
    expect((await server.as('risk_owner')('GET', `/api/risks/${risk.id}`)).json().beyondAppetite).toBe(false);
  });

  it('maps categories to ERM categories', async () => {
    const before = (await server.as('internal_auditor')('GET', '/api/risks/erm-mapping')).json();
    expect(before.mappings.map((mapping: { category: string }) => mapping.category)).toEqual(['ethical', 'legal', 'operational', 'privacy']);

    const unknown = await server.as('administrator')('PUT', '/api/risks/erm-mapping', { body: { mappings: [{ category: 'legal', ermCategory: 'Compliance' }, { category: 'nope', ermCategory: 'X' }] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([{ path: '/mappings/1/category', message: 'no risk category "nope" exists; use one of ethical, legal, operational, privacy' }]);
    expect((await server.as('internal_auditor')('GET', '/api/risks/erm-mapping')).json()).toEqual(before);

    const updated = await server.as('administrator')('PUT', '/api/risks/erm-mapping', {
      body: { mappings: [{ category: 'legal', ermCategory: 'Compliance' }, { category: 'ethical', ermCategory: 'Conduct' }] },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().mappings).toContainEqual({ category: 'legal', label: 'Legal', ermCategory: 'Compliance' });
    expect(updated.json().mappings).toContainEqual({ category: 'operational', label: 'Operational', ermCategory: null });

    const risk = (await server.as('risk_owner')('GET', '/api/risks?category=ethical')).json().items[0];
    expect(risk.ermCategory).toBe('Conduct');
  });

  it('names unknown bands and repeated roles in the authority table', async () => {
    const response = await server.as('administrator')('PUT', '/api/risks/acceptance-authorities', {
      body: {
        authorities: [
          { role: 'approver', maxBand: 'critical' },
          { role: 'approver', maxBand: 'major' },
        ],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: '/authorities/0/maxBand', message: 'band "critical" is not a band of the active matrix; use one of minor, moderate, major' },
      { path: '/authorities/1/role', message: 'role approver is listed twice; list each role once' },
    ]);
    const table = (await server.as('internal_auditor')('GET', '/api/risks/acceptance-authorities')).json();
    expect(table.authorities.map((entry: { role: string; maxBand: string }) => [entry.role, entry.maxBand])).toEqual([
      ['risk_owner', 'moderate'],
      ['approver', 'major'],
      ['oversight_board_member', 'major'],
    ]);
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
