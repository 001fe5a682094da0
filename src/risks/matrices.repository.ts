import type { Db } from '../platform/database/connection.js';
import type { RiskMatrixTable } from '../platform/database/schema.js';
import { cellAssignments, maxScoreOf, type Band, type MatrixDefinition, type ScaleLevel } from './matrix.js';
import type { RiskMatrix } from './risk-settings.schemas.js';

/** Reads and writes risk_matrices rows and turns them into matrix definitions and the API's shape. */

/** A stored matrix version: its definition with the id and number that ratings record. */
export interface StoredMatrix extends MatrixDefinition {
  id: string;
  number: number;
  status: 'active' | 'superseded';
}

export function toStoredMatrix(row: RiskMatrixTable): StoredMatrix {
  return {
    id: row.id,
    number: row.number,
    status: row.status as StoredMatrix['status'],
    likelihoodLevels: JSON.parse(row.likelihood_levels) as ScaleLevel[],
    impactLevels: JSON.parse(row.impact_levels) as ScaleLevel[],
    bands: JSON.parse(row.bands) as Band[],
    cells: JSON.parse(row.cells) as string[][],
  };
}

export function toRiskMatrix(row: RiskMatrixTable): RiskMatrix {
  const matrix = toStoredMatrix(row);
  return {
    id: matrix.id,
    number: matrix.number,
    status: matrix.status,
    likelihoodLevels: matrix.likelihoodLevels,
    impactLevels: matrix.impactLevels,
    bands: matrix.bands,
    cells: cellAssignments(matrix),
    maxScore: maxScoreOf(matrix),
    changeSummary: row.change_summary,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function findActiveMatrixRow(db: Db): Promise<RiskMatrixTable> {
  const row = await db.selectFrom('risk_matrices').selectAll().where('status', '=', 'active').executeTakeFirst();
  // The migration installs a matrix and every change replaces the active one in one transaction.
  if (!row) throw new Error('The risk register has no active matrix; run the database migrations');
  return row;
}

export async function findActiveMatrix(db: Db): Promise<StoredMatrix> {
  return toStoredMatrix(await findActiveMatrixRow(db));
}

export async function findMatrixRows(db: Db): Promise<RiskMatrixTable[]> {
  return db.selectFrom('risk_matrices').selectAll().orderBy('number', 'desc').execute();
}

/** Loads every matrix version by id, since ratings may refer to superseded ones. The table stays small. */
export async function loadMatrices(db: Db): Promise<Map<string, StoredMatrix>> {
  return new Map((await findMatrixRows(db)).map((row) => [row.id, toStoredMatrix(row)]));
}
