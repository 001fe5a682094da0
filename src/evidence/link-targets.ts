import { sql } from 'kysely';
import { requireCatalogueItems } from '../catalogue/catalogue.repository.js';
import type { Db } from '../platform/database/connection.js';
import { AppError, validationFailed, type ErrorDetail } from '../platform/errors.js';

/**
 * The registry of targets that evidence can be linked to. A new kind of target is one more entry
 * here, and a record in a table with an `id` column needs only its table, its name in messages and
 * the endpoint that lists its ids.
 */

export const linkTargetTypes = ['catalogue_item', 'ai_system', 'assessment', 'document', 'risk'] as const;
export type LinkTargetType = (typeof linkTargetTypes)[number];

/** A target id to check, with the path of the request field that named it. */
export interface NamedTarget {
  id: string;
  path: string;
}

interface TableTarget {
  /** Table whose `id` column contains the target ids. */
  table: string;
  /** The target in messages, such as "AI system". */
  label: string;
  /** Endpoint that lists valid ids, for messages. */
  listedAt: string;
}

interface CheckedTarget {
  /** Throws VALIDATION_FAILED naming each id that is not a target of this type. */
  ensureExist(db: Db, targets: readonly NamedTarget[]): Promise<void>;
}

interface UnavailableTarget {
  /** Reason why links of this type are not accepted yet, with what to do meanwhile. */
  unavailable: string;
}

type LinkTarget = TableTarget | CheckedTarget | UnavailableTarget;

const linkTargets: Record<LinkTargetType, LinkTarget> = {
  // Clauses, controls and every other item of a framework, named by catalogue ref.
  catalogue_item: {
    ensureExist: async (db, targets) => {
      await requireCatalogueItems(db, targets.map((target) => ({ ref: target.id, path: target.path })));
    },
  },
  ai_system: { table: 'ai_systems', label: 'AI system', listedAt: 'GET /api/ai-systems' },
  assessment: { table: 'assessments', label: 'assessment', listedAt: 'GET /api/assessments' },
  document: { table: 'documents', label: 'document', listedAt: 'GET /api/documents' },
  risk: { table: 'risks', label: 'risk', listedAt: 'GET /api/risks' },
};

/** Checks that every target exists. Throws VALIDATION_FAILED naming each unknown id, or each type not accepted yet. */
export async function ensureLinkTargetsExist(db: Db, targetType: LinkTargetType, targets: readonly NamedTarget[]): Promise<void> {
  if (targets.length === 0) return;
  const target = linkTargets[targetType];
  if ('unavailable' in target) {
    throw new AppError('VALIDATION_FAILED', `Evidence cannot be linked to a ${targetType} yet: ${target.unavailable}`, [
      { path: '/targetType', message: target.unavailable },
    ]);
  }
  if ('ensureExist' in target) {
    await target.ensureExist(db, targets);
    return;
  }
  await ensureRowsExist(db, target, targets);
}

async function ensureRowsExist(db: Db, target: TableTarget, targets: readonly NamedTarget[]): Promise<void> {
  const ids = [...new Set(targets.map((entry) => entry.id))];
  const found = await sql<{ id: string }>`select id from ${sql.table(target.table)} where id in (${sql.join(ids)})`.execute(db);
  const known = new Set(found.rows.map((row) => row.id));
  const problems: ErrorDetail[] = targets
    .filter((entry) => !known.has(entry.id))
    .map((entry) => ({ path: entry.path, message: `no ${target.label} with id "${entry.id}" exists; ${target.listedAt} lists them` }));
  if (problems.length > 0) throw validationFailed(problems);
}

/**
 * Splits a `linkedTo` filter such as `catalogue_item:iso42001:A.6.2.4` at its first colon.
 * Throws VALIDATION_FAILED naming the value when the type is unknown or the id is missing.
 */
export function parseLinkedTo(value: string, path: string): { targetType: LinkTargetType; targetId: string } {
  const colon = value.indexOf(':');
  const targetType = colon > 0 ? value.slice(0, colon) : '';
  const targetId = colon > 0 ? value.slice(colon + 1) : '';
  if (!(linkTargetTypes as readonly string[]).includes(targetType) || targetId.length === 0) {
    throw validationFailed([
      {
        path,
        message: `"${value}" is not <target type>:<id>; the type is one of ${linkTargetTypes.join(', ')}, for example catalogue_item:iso42001:A.6.2.4`,
      },
    ]);
  }
  return { targetType: targetType as LinkTargetType, targetId };
}
