import type { Db } from '../platform/database/connection.js';
import type { RiskAppetiteTable, RiskCategoryTable } from '../platform/database/schema.js';
import type { Role } from '../platform/auth/roles.js';
import type { RiskCategory } from './risk-settings.schemas.js';

/** Reads risk_categories and risk_appetites rows and turns them into the API's shape. */

export function toRiskCategory(row: RiskCategoryTable, appetite: RiskAppetiteTable | undefined, scaleMax: number): RiskCategory {
  return {
    id: row.id,
    label: row.label,
    description: row.description,
    builtin: row.is_builtin === 1,
    escalation: { role: row.escalate_to_role as Exclude<Role, 'internal_auditor'>, deadlineDays: row.escalation_deadline_days },
    ermCategory: row.erm_category,
    appetite: appetite
      ? { statement: appetite.statement, maxScore: appetite.max_score, scaleMax, setBy: appetite.set_by, version: appetite.version, updatedAt: appetite.updated_at }
      : null,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toCategoryRow(category: RiskCategory): RiskCategoryTable {
  return {
    id: category.id,
    label: category.label,
    description: category.description,
    is_builtin: category.builtin ? 1 : 0,
    escalate_to_role: category.escalation.role,
    escalation_deadline_days: category.escalation.deadlineDays,
    erm_category: category.ermCategory,
    version: category.version,
    created_at: category.createdAt,
    updated_at: category.updatedAt,
  };
}

/** Built-in categories first, then the organization's own by label. */
export async function findCategoryRows(db: Db): Promise<RiskCategoryTable[]> {
  return db.selectFrom('risk_categories').selectAll().orderBy('is_builtin', 'desc').orderBy('label').orderBy('id').execute();
}

export async function findCategoryRow(db: Db, id: string): Promise<RiskCategoryTable | undefined> {
  return db.selectFrom('risk_categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAppetiteRows(db: Db): Promise<Map<string, RiskAppetiteTable>> {
  return new Map((await db.selectFrom('risk_appetites').selectAll().execute()).map((row) => [row.category_id, row]));
}

export async function findAppetiteRow(db: Db, categoryId: string): Promise<RiskAppetiteTable | undefined> {
  return db.selectFrom('risk_appetites').selectAll().where('category_id', '=', categoryId).executeTakeFirst();
}
