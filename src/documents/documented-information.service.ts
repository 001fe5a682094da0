import { iso42001FrameworkId } from '../catalogue/catalogue.js';
import { queryFrameworks } from '../catalogue/catalogue.repository.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { notFound } from '../platform/errors.js';
import { pageBounds } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { addDays, dayOf, daysBetween, documentedInformationState, isReviewOverdue, type DocumentKind, type DocumentStatus } from './document.js';
import {
  DocumentedInformationQuery,
  ReviewDueQuery,
  type DocumentedInformationItem,
  type DocumentedInformationRegister,
  type DocumentedInformationSummary,
  type RegisterDocument,
  type RegisterRecord,
  type ReviewDuePage,
} from './document.schemas.js';
import { findDocumentsLinkedTo, findRequiringItems, queryReviewDue } from './documents.repository.js';

/**
 * Builds the documented information register (clause 7.5): every catalogue item that requires
 * documented information, with its linked documents and whether they exist, are approved and are
 * current. "Today" is the UTC day of the service clock.
 */
export async function getDocumentedInformationRegister(ctx: ServiceContext, caller: Caller, query: DocumentedInformationQuery = {}): Promise<DocumentedInformationRegister> {
  authorize(caller, 'register.read');
  const parsed = parseWith(DocumentedInformationQuery, query);
  const frameworkId = parsed.framework ?? iso42001FrameworkId;
  const db = ctx.database.db;
  const [framework] = await queryFrameworks(db, frameworkId);
  if (!framework) throw notFound('framework', frameworkId);

  const today = dayOf(ctx.clock.now());
  const [requiring, linked] = await Promise.all([findRequiringItems(db, frameworkId), findDocumentsLinkedTo(db, frameworkId)]);
  const documentsByRef = new Map<string, RegisterDocument[]>();
  for (const row of linked) {
    const documents = documentsByRef.get(row.catalogue_ref) ?? [];
    documents.push({
      id: row.id,
      title: row.title,
      kind: row.kind as DocumentKind,
      status: row.status as DocumentStatus,
      currentVersionNumber: row.current_version_number === null ? null : Number(row.current_version_number),
      nextReviewDate: row.next_review_date,
      reviewOverdue: row.status === 'approved' && isReviewOverdue(row.next_review_date, today),
    });
    documentsByRef.set(row.catalogue_ref, documents);
  }

  const { records, excluded } = await findRecords(db, requiring.map((item) => item.ref), today);
  const items: DocumentedInformationItem[] = requiring.map((item) => {
    const documents = documentsByRef.get(item.ref) ?? [];
    const itemRecords = records.get(item.ref) ?? [];
    const context = { hasCurrentRecords: itemRecords.some((record) => record.current), excluded: excluded.has(item.ref) };
    return {
      ref: item.ref,
      itemId: item.item_id,
      title: item.title,
      kind: item.kind,
      required: item.documented_information ?? '',
      state: documentedInformationState(documents, today, context),
      documents,
      records: itemRecords,
    };
  });
  const count = (state: DocumentedInformationItem['state']) => items.filter((item) => item.state === state).length;
  const summary: DocumentedInformationSummary = {
    total: items.length,
    missing: count('missing'),
    draftOnly: count('draft_only'),
    recordsOnly: count('records_only'),
    approved: count('approved'),
    reviewOverdue: count('review_overdue'),
    notApplicable: count('not_applicable'),
  };
  const listedItems = parsed.state === undefined ? items : items.filter((item) => item.state === parsed.state);
  return { frameworkId, asOf: today, summary, items: listedItems };
}

/**
 * Items whose documented information custos keeps as records of its own, beside documents:
 * the Statement of Applicability for risk treatment and AI objectives for planning.
 */
const recordKeepingItems = { statementOfApplicability: 'iso42001:6.1.3', objectives: 'iso42001:6.2' } as const;

/**
 * Collects, per required item, the records that serve as its documented information (the latest
 * approved SoA, AI objectives, linked evidence with its validity), and the Annex A controls the
 * latest approved SoA excludes.
 */
async function findRecords(db: Db, refs: readonly string[], today: string): Promise<{ records: Map<string, RegisterRecord[]>; excluded: Set<string> }> {
  const records = new Map<string, RegisterRecord[]>();
  const add = (ref: string, record: RegisterRecord) => records.set(ref, [...(records.get(ref) ?? []), record]);
  const excluded = new Set<string>();
  if (refs.length === 0) return { records, excluded };

  const soa = await db.selectFrom('soa_versions').select(['id', 'title', 'number']).where('status', '=', 'approved').orderBy('number', 'desc').limit(1).executeTakeFirst();
  if (soa) {
    add(recordKeepingItems.statementOfApplicability, { type: 'statement_of_applicability', id: soa.id, title: `${soa.title} (v${soa.number})`, current: true });
    const exclusions = await db.selectFrom('soa_entries').select('control_ref').where('soa_version_id', '=', soa.id).where('decision', '=', 'excluded').execute();
    for (const row of exclusions) excluded.add(row.control_ref);
  }
  const objectives = await db.selectFrom('objectives').select(['id', 'title']).orderBy('title').execute();
  for (const objective of objectives) add(recordKeepingItems.objectives, { type: 'objective', id: objective.id, title: objective.title, current: true });

  const evidence = await db
    .selectFrom('evidence_links as l')
    .innerJoin('evidence as e', 'e.id', 'l.evidence_id')
    .select(['l.target_id', 'e.id', 'e.title', 'e.valid_until'])
    .where('l.target_type', '=', 'catalogue_item')
    .where('l.target_id', 'in', [...refs])
    .orderBy('e.title')
    .execute();
  for (const row of evidence) add(row.target_id, { type: 'evidence', id: row.id, title: row.title, current: row.valid_until === null || row.valid_until >= today });
  return { records, excluded };
}

/** Documents in force whose next review falls within the coming `withinDays` days or has passed. */
export async function listDocumentsDueForReview(ctx: ServiceContext, caller: Caller, query: ReviewDueQuery = {}): Promise<ReviewDuePage> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ReviewDueQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const today = dayOf(ctx.clock.now());
  const until = addDays(today, parsed.withinDays ?? 30);
  const { items, total } = await queryReviewDue(ctx.database.db, until, limit, offset);
  return {
    asOf: today,
    until,
    items: items.map((document) => {
      // The query keeps only documents that have a next review date.
      const daysUntilReview = daysBetween(today, document.nextReviewDate!);
      return { document, daysUntilReview, overdue: daysUntilReview < 0 };
    }),
    total,
    limit,
    offset,
  };
}
