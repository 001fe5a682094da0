import { iso42001FrameworkId } from '../catalogue/catalogue.js';
import { queryFrameworks } from '../catalogue/catalogue.repository.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
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

  const items: DocumentedInformationItem[] = requiring.map((item) => {
    const documents = documentsByRef.get(item.ref) ?? [];
    return {
      ref: item.ref,
      itemId: item.item_id,
      title: item.title,
      kind: item.kind,
      required: item.documented_information ?? '',
      state: documentedInformationState(documents, today),
      documents,
    };
  });
  const summary: DocumentedInformationSummary = {
    total: items.length,
    missing: items.filter((item) => item.state === 'missing').length,
    draftOnly: items.filter((item) => item.state === 'draft_only').length,
    approved: items.filter((item) => item.state === 'approved').length,
    reviewOverdue: items.filter((item) => item.state === 'review_overdue').length,
  };
  const listedItems = parsed.state === undefined ? items : items.filter((item) => item.state === parsed.state);
  return { frameworkId, asOf: today, summary, items: listedItems };
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
