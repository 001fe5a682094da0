/**
 * Rules of documented information (ISO/IEC 42001 clause 7.5 and control A.2.4). Documents have
 * numbered versions, each approved by someone who had no hand in writing it, and are reviewed at
 * a planned interval. A register shows for each required item whether it exists and is current.
 */

export const documentKinds = ['policy', 'procedure', 'plan', 'record', 'report', 'other'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** draft until a version is first approved; approved while a version is in force; retired once withdrawn. */
export const documentStatuses = ['draft', 'approved', 'retired'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

export const documentVersionStatuses = ['draft', 'approved'] as const;
export type DocumentVersionStatus = (typeof documentVersionStatuses)[number];

export const confidentialityLevels = ['public', 'internal', 'restricted'] as const;
export type Confidentiality = (typeof confidentialityLevels)[number];

/** States of a required item in the documented information register. */
export const documentedInformationStates = ['missing', 'draft_only', 'records_only', 'approved', 'review_overdue', 'not_applicable'] as const;
export type DocumentedInformationState = (typeof documentedInformationStates)[number];

export const reviewIntervalLimits = { minimum: 1, maximum: 60 } as const;
/** Retention in months: up to 100 years, which covers the longest statutory periods. */
export const retentionLimits = { minimum: 1, maximum: 1200 } as const;
/** Largest content of one version, in bytes of UTF-8. */
export const maxContentBytes = 1_048_576;

/**
 * Describes the first character that plain text must not contain, or returns undefined. Tab,
 * line feed and carriage return are allowed. Other C0 control characters and DEL are not, because
 * they have no place in a document and can hide text from a reader.
 */
export function describeControlCharacter(text: string): string | undefined {
  const match = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (!match) return undefined;
  const codePoint = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must be plain text; the control character U+${codePoint} at position ${match.index} is not allowed`;
}

/** Returns the calendar day (YYYY-MM-DD, UTC) of an instant. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/**
 * Adds whole months to a YYYY-MM-DD date. A day that the target month lacks becomes its last
 * day, so 2026-01-31 plus one month is 2026-02-28.
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = splitDate(date);
  const monthIndex = month - 1 + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return formatDate(new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay))));
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = splitDate(date);
  return formatDate(new Date(Date.UTC(year, month - 1, day + days)));
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const [fromYear, fromMonth, fromDay] = splitDate(from);
  const [toYear, toMonth, toDay] = splitDate(to);
  return Math.round((Date.UTC(toYear, toMonth - 1, toDay) - Date.UTC(fromYear, fromMonth - 1, fromDay)) / 86_400_000);
}

function splitDate(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date as YYYY-MM-DD`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Tells whether a review date has passed. On the review date itself the document is still current. */
export function isReviewOverdue(nextReviewDate: string | null, today: string): boolean {
  return nextReviewDate !== null && nextReviewDate < today;
}

/** The fields of a linked document that decide the register state. */
export interface LinkedDocumentState {
  status: DocumentStatus;
  nextReviewDate: string | null;
}

/** What the register knows about an item besides its documents. */
export interface RegisterContext {
  /** True when custos holds current records for the item: an approved SoA, AI objectives, or evidence still valid. */
  hasCurrentRecords: boolean;
  /** True for an Annex A control that the current approved Statement of Applicability excludes. */
  excluded: boolean;
}

/**
 * Decides the state of a required item. Retired documents do not count. An excluded control is
 * not_applicable. Otherwise the item is approved when at least one approved document is not
 * overdue for review, and review_overdue when every approved document is. Without an approved
 * document, records such as an approved SoA or valid evidence make it records_only, and a draft
 * document alone makes it draft_only.
 */
export function documentedInformationState(
  linked: readonly LinkedDocumentState[],
  today: string,
  context: RegisterContext = { hasCurrentRecords: false, excluded: false },
): DocumentedInformationState {
  if (context.excluded) return 'not_applicable';
  const inForce = linked.filter((document) => document.status !== 'retired');
  const approved = inForce.filter((document) => document.status === 'approved');
  if (approved.length > 0) return approved.some((document) => !isReviewOverdue(document.nextReviewDate, today)) ? 'approved' : 'review_overdue';
  if (context.hasCurrentRecords) return 'records_only';
  return inForce.length === 0 ? 'missing' : 'draft_only';
}

/** Everyone who wrote a version: its author and every user who edited the draft. */
export function writersOf(version: { authorId: string; editorIds: readonly string[] }): Set<string> {
  return new Set([version.authorId, ...version.editorIds]);
}
