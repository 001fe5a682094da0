import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  describeControlCharacter,
  documentedInformationState,
  isReviewOverdue,
  writersOf,
} from '../../src/documents/document.js';

describe('document date arithmetic', () => {
  it('adds months within and across years', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-06-01', 60)).toBe('2031-06-01');
    expect(addMonths('2026-12-31', 12)).toBe('2027-12-31');
  });

  it('clamps to the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2027-01-31', 13)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
  });

  it('adds days and counts the days between dates', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });

  it('rejects a value that is not a date', () => {
    expect(() => addMonths('2026-1-5', 1)).toThrow('"2026-1-5" is not a date as YYYY-MM-DD');
  });
});

describe('review and register states', () => {
  it('treats the review date itself as current', () => {
    expect(isReviewOverdue('2026-05-01', '2026-05-01')).toBe(false);
    expect(isReviewOverdue('2026-05-01', '2026-05-02')).toBe(true);
    expect(isReviewOverdue(null, '2026-05-02')).toBe(false);
  });

  it('derives each register state', () => {
    const today = '2026-06-01';
    expect(documentedInformationState([], today)).toBe('missing');
    expect(documentedInformationState([{ status: 'retired', nextReviewDate: '2027-01-01' }], today)).toBe('missing');
    expect(documentedInformationState([{ status: 'draft', nextReviewDate: null }], today)).toBe('draft_only');
    expect(documentedInformationState([{ status: 'approved', nextReviewDate: '2026-06-01' }], today)).toBe('approved');
    expect(documentedInformationState([{ status: 'approved', nextReviewDate: '2026-05-31' }], today)).toBe('review_overdue');
  });

  it('counts an item approved when one approved document is current', () => {
    const linked = [
      { status: 'approved' as const, nextReviewDate: '2026-01-01' },
      { status: 'approved' as const, nextReviewDate: '2026-12-01' },
      { status: 'draft' as const, nextReviewDate: null },
    ];
    expect(documentedInformationState(linked, '2026-06-01')).toBe('approved');
    expect(documentedInformationState(linked, '2026-12-02')).toBe('review_overdue');
  });
});

describe('document text and writers', () => {
  it('allows tabs and line breaks but no other control characters', () => {
    expect(describeControlCharacter('# Title\r\n\tIndented text')).toBeUndefined();
    expect(describeControlCharacter('bell\u0007')).toBe('must be plain text; the control character U+0007 at position 4 is not allowed');
    expect(describeControlCharacter('escape \u001b[31m')).toContain('U+001B');
    expect(describeControlCharacter('delete \u007f')).toContain('U+007F');
  });

  it('lists the author and every editor as writers', () => {
    expect(writersOf({ authorId: 'a', editorIds: ['b', 'c'] })).toEqual(new Set(['a', 'b', 'c']));
  });
});
