import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Db } from '../../src/platform/database/connection.js';
import type { TestServer } from '../support/server.js';

/** Helpers shared by the assessment tests. Everything goes through the real API, except evidence rows. */

export interface AnswerShape {
  ref: string;
  maturity: number | null;
  notApplicable: boolean;
  weight: number;
  catalogueWeight: number;
  sectionRef: string | null;
  finding: string | null;
}

export async function createAssessment(server: TestServer, body: Record<string, unknown>): Promise<{ id: string; [key: string]: unknown }> {
  const response = await server.as('risk_owner')('POST', '/api/assessments', { body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function listAllAnswers(server: TestServer, assessmentId: string, query = ''): Promise<AnswerShape[]> {
  const response = await server.as('internal_auditor')('GET', `/api/assessments/${assessmentId}/answers?limit=500${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

export async function answer(server: TestServer, assessmentId: string, ref: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await server.as('validator')('PATCH', `/api/assessments/${assessmentId}/answers/${ref}`, { body });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Gives every item of the assessment the level `levelOf` returns for its ref. */
export async function answerAll(server: TestServer, assessmentId: string, levelOf: (answer: AnswerShape) => number): Promise<void> {
  for (const item of await listAllAnswers(server, assessmentId)) {
    await answer(server, assessmentId, item.ref, { maturity: levelOf(item) });
  }
}

export async function createPerson(server: TestServer, name: string): Promise<string> {
  const response = await server.as('administrator')('POST', '/api/people', { body: { name } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

/**
 * Inserts an evidence row straight into the table, with the SHA-256 of a made-up file, so that
 * these tests do not depend on the upload service.
 */
export async function insertEvidence(db: Db, title: string): Promise<string> {
  const id = randomUUID();
  const content = `evidence file for ${title}`;
  const timestamp = '2026-01-01T00:00:00.000Z';
  await db
    .insertInto('evidence')
    .values({
      id,
      version: 1,
      created_at: timestamp,
      updated_at: timestamp,
      title,
      kind: 'record',
      description: '',
      collected_at: timestamp,
      collected_by_person_id: null,
      valid_until: null,
      confidentiality: 'internal',
      sha256: createHash('sha256').update(content).digest('hex'),
      size_bytes: Buffer.byteLength(content),
      media_type: 'text/plain',
      file_name: `${title}.txt`,
      uploaded_by: 'user-test',
    })
    .execute();
  return id;
}

/** Catalogue weights straight from the catalogue table, to compute expected results independently. */
export async function catalogueWeights(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('catalogue_items').select(['ref', 'weight']).execute();
  return new Map(rows.map((row) => [row.ref, Number(row.weight)]));
}
