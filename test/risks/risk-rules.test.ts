import { describe, expect, it } from 'vitest';
import { authorityOf, rolesCovering } from '../../src/risks/acceptance.js';
import { findThresholdProblems, isBeyondAppetite } from '../../src/risks/appetite.js';
import { dueDateOf, isOverdue, nextEscalationStep } from '../../src/risks/escalation.js';
import { buildMatrix, rate, type CellAssignment } from '../../src/risks/matrix.js';

const levels = (count: number) => Array.from({ length: count }, (_, index) => ({ label: `Level ${index + 1}`, definition: `Definition ${index + 1}` }));
const bands = [
  { key: 'low', label: 'Low' },
  { key: 'medium', label: 'Medium' },
  { key: 'high', label: 'High' },
];

/** Lists every cell of a likelihood × impact grid, banded by score: up to 2 low, up to 4 medium, above that high. */
function scoreBandedCells(likelihoodSize: number, impactSize: number): CellAssignment[] {
  const cells: CellAssignment[] = [];
  for (let likelihood = 1; likelihood <= likelihoodSize; likelihood += 1) {
    for (let impact = 1; impact <= impactSize; impact += 1) {
      const score = likelihood * impact;
      let band = 'high';
      if (score <= 4) band = 'medium';
      if (score <= 2) band = 'low';
      cells.push({ likelihood, impact, band });
    }
  }
  return cells;
}

describe('matrix calibration', () => {
  it('builds a 3 × 4 matrix with a band for every cell', () => {
    const { matrix, problems } = buildMatrix(levels(3), levels(4), bands, scoreBandedCells(3, 4));
    expect(problems).toEqual([]);
    expect(matrix.cells).toHaveLength(3);
    expect(matrix.cells[0]).toHaveLength(4);
    expect(matrix.bands.map((band) => band.order)).toEqual([1, 2, 3]);
    expect(matrix.likelihoodLevels.map((level) => level.level)).toEqual([1, 2, 3]);
  });

  it('names every cell without a band', () => {
    const cells = scoreBandedCells(3, 3).filter((cell) => !(cell.likelihood === 2 && cell.impact === 3) && !(cell.likelihood === 3 && cell.impact === 1));
    const { problems } = buildMatrix(levels(3), levels(3), bands, cells);
    expect(problems).toEqual([{ path: '/cells', message: 'cells (likelihood 2, impact 3), (likelihood 3, impact 1) have no band; every one of the 9 cells needs a band' }]);
  });

  it('names unknown and unused bands', () => {
    const cells = scoreBandedCells(3, 3).map((cell) => (cell.band === 'high' ? { ...cell, band: 'severe' } : cell));
    const { problems } = buildMatrix(levels(3), levels(3), bands, cells);
    const messages = problems.map((problem) => problem.message);
    expect(messages).toContain('cell (likelihood 2, impact 3) names band "severe", which the matrix does not define; use one of low, medium, high');
    expect(messages).toContain('bands "high" are not used by any cell; assign them to cells or remove them');
  });

  it('rejects cells outside the axes and listed twice', () => {
    const cells = [...scoreBandedCells(3, 3), { likelihood: 4, impact: 1, band: 'low' }, { likelihood: 1, impact: 1, band: 'medium' }];
    const { problems } = buildMatrix(levels(3), levels(3), bands, cells);
    expect(problems).toEqual([
      { path: '/cells', message: 'cells (likelihood 4, impact 1) lie outside the 3 × 3 matrix; likelihood runs from 1 to 3 and impact from 1 to 3' },
      { path: '/cells', message: 'cells (likelihood 1, impact 1) are listed more than once; give each cell one band' },
    ]);
  });

  it('rejects a band that drops as impact rises', () => {
    const cells = scoreBandedCells(3, 3).map((cell) => (cell.likelihood === 3 && cell.impact === 3 ? { ...cell, band: 'low' } : cell));
    const { problems } = buildMatrix(levels(3), levels(3), bands, cells);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('(likelihood 3, impact 3) is below (likelihood 2, impact 3)');
    expect(problems[0]!.message).toContain('(likelihood 3, impact 3) is below (likelihood 3, impact 2)');
  });

  it('rates a cell with its score and band', () => {
    const { matrix } = buildMatrix(levels(4), levels(3), bands, scoreBandedCells(4, 3));
    expect(rate(matrix, 1, 2)).toEqual({ likelihood: 1, impact: 2, score: 2, band: { key: 'low', label: 'Low', order: 1 } });
    expect(rate(matrix, 4, 1)).toMatchObject({ score: 4, band: { key: 'medium' } });
    expect(rate(matrix, 4, 3)).toMatchObject({ score: 12, band: { key: 'high', order: 3 } });
  });
});

describe('risk appetite', () => {
  it('flags only scores above the maximum', () => {
    expect(isBeyondAppetite(9, { maxScore: 8 })).toBe(true);
    expect(isBeyondAppetite(8, { maxScore: 8 })).toBe(false);
    expect(isBeyondAppetite(25, null)).toBe(false);
    expect(isBeyondAppetite(null, { maxScore: 1 })).toBe(false);
  });

  it('rejects thresholds outside the scale', () => {
    expect(findThresholdProblems(25, 25, '/maxScore')).toEqual([]);
    expect(findThresholdProblems(1, 25, '/maxScore')).toEqual([]);
    for (const outside of [0, -3, 26]) {
      expect(findThresholdProblems(outside, 25, '/maxScore')).toEqual([
        { path: '/maxScore', message: `${outside} is outside the scale of the active matrix; the appetite is a maximum score (likelihood × impact) from 1 to 25` },
      ]);
    }
  });
});

describe('escalation', () => {
  const base = { wasBeyond: false, isBeyond: true, previousScore: 4, score: 12, status: 'assessed', hasOpenEscalation: false };

  it('opens when a risk becomes beyond appetite', () => {
    expect(nextEscalationStep(base)).toEqual({ kind: 'open' });
  });

  it('opens again only when the score rises', () => {
    expect(nextEscalationStep({ ...base, wasBeyond: true, previousScore: 12, score: 12 })).toEqual({ kind: 'none' });
    expect(nextEscalationStep({ ...base, wasBeyond: true, previousScore: 12, score: 16 })).toEqual({ kind: 'open' });
  });

  it('opens none for accepted or closed risks', () => {
    expect(nextEscalationStep({ ...base, status: 'accepted' })).toEqual({ kind: 'none' });
    expect(nextEscalationStep({ ...base, status: 'closed' })).toEqual({ kind: 'none' });
  });

  it('resolves when back within appetite or closed', () => {
    expect(nextEscalationStep({ ...base, isBeyond: false, hasOpenEscalation: true })).toEqual({ kind: 'resolve', outcome: 'back_within_appetite' });
    expect(nextEscalationStep({ ...base, status: 'closed', hasOpenEscalation: true })).toEqual({ kind: 'resolve', outcome: 'risk_closed' });
    expect(nextEscalationStep({ ...base, hasOpenEscalation: true })).toEqual({ kind: 'none' });
  });

  it('is due after the deadline and overdue the day after', () => {
    const due = dueDateOf(new Date('2026-01-30T23:59:00Z'), 3);
    expect(due).toBe('2026-02-02');
    expect(isOverdue('open', due, new Date('2026-02-02T23:59:59Z'))).toBe(false);
    expect(isOverdue('open', due, new Date('2026-02-03T00:00:00Z'))).toBe(true);
    expect(isOverdue('resolved', due, new Date('2026-03-01T00:00:00Z'))).toBe(false);
  });
});

describe('acceptance authority', () => {
  const table = [
    { role: 'risk_owner' as const, maxBandOrder: 2 },
    { role: 'approver' as const, maxBandOrder: 3 },
    { role: 'oversight_board_member' as const, maxBandOrder: 4 },
  ];

  it('takes the highest authority of the caller', () => {
    expect(authorityOf(['risk_owner', 'approver'], table)).toEqual({ role: 'approver', maxBandOrder: 3 });
    expect(authorityOf(['validator'], table)).toBeNull();
  });

  it('lists the roles covering a band', () => {
    expect(rolesCovering(3, table)).toEqual(['approver', 'oversight_board_member']);
    expect(rolesCovering(5, table)).toEqual([]);
  });
});
