import { describe, expect, it } from 'vitest';
import type { ScoreLabelCounts } from '../../../src/measurement/core/aggregates.js';
import { compareMeasureByGroup, measureByGroup } from '../../../src/measurement/core/by-group.js';
import { expectedCalibrationError } from '../../../src/measurement/core/calibration.js';
import { binaryClassificationMetrics } from '../../../src/measurement/core/classification.js';
import { rocAuc } from '../../../src/measurement/core/ranking.js';
import { regressionMetrics } from '../../../src/measurement/core/regression.js';
import { counts, expectClose, reasonOf, regressionSums, scoreLabelCounts, valueOf } from './fixtures.js';

const scoresByGroup = new Map<string, ScoreLabelCounts>([
  ['A', scoreLabelCounts([0.9, 0.8, 0.3, 0.2, 0.6], [1, 1, 0, 0, 0])],
  ['B', scoreLabelCounts([0.7, 0.4, 0.35, 0.1], [1, 0, 1, 0])],
  ['C', scoreLabelCounts([0.6, 0.4], [0, 0])],
]);
const allScores = scoreLabelCounts([0.9, 0.8, 0.3, 0.2, 0.6, 0.7, 0.4, 0.35, 0.1, 0.6, 0.4], [1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0]);

function entry<Key, Value>(map: ReadonlyMap<Key, Value>, key: Key): Value {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no entry for ${String(key)}`);
  return value;
}

describe('measures by group', () => {
  it('applies any measure to every group', () => {
    const metrics = measureByGroup(
      new Map([
        ['x', counts(8, 2, 7, 3)],
        ['y', counts(1, 0, 4, 0)],
      ]),
      binaryClassificationMetrics,
    );
    expect([...metrics.keys()]).toEqual(['x', 'y']);
    expect(valueOf(entry(metrics, 'x').f1)).toBe(16 / 21);
    expect(valueOf(entry(metrics, 'y').recall)).toBe(1);
    const auc = measureByGroup(scoresByGroup, rocAuc);
    expect(valueOf(entry(auc, 'A'))).toBe(1);
    // B: the positive at 0.35 ranks above the negative at 0.1 only.
    expect(valueOf(entry(auc, 'B'))).toBe(3 / 4);
    expect(reasonOf(entry(auc, 'C'))).toMatch(/^no actual positives/);
  });

  it('compares ROC AUC across groups and skips a group without positives', () => {
    const comparison = compareMeasureByGroup(scoresByGroup, allScores, rocAuc, { reference: 'A' });
    expect(comparison.disparity.skippedGroups).toEqual(['C']);
    expect(valueOf(comparison.disparity.betweenGroups.difference)).toBe(1 / 4);
    expect(valueOf(comparison.disparity.betweenGroups.ratio)).toBe(3 / 4);
    expectClose(valueOf(comparison.overall), valueOf(rocAuc(allScores)));
    expect(comparison.disparity.toReference?.reference).toBe('A');
    const b = comparison.disparity.toReference?.groups.find((group) => group.label === 'B');
    expect(b?.difference).toEqual({ defined: true, value: -1 / 4, warnings: [] });
  });

  it('compares ECE with 15 bins by group', () => {
    const comparison = compareMeasureByGroup(scoresByGroup, allScores, (scores) => expectedCalibrationError(scores, { bins: 15 }));
    const values = [...comparison.values.values()].map(valueOf);
    expectClose(valueOf(comparison.disparity.betweenGroups.difference), Math.max(...values) - Math.min(...values));
  });

  it('leaves ratios of R² undefined because R² can be negative', () => {
    const sums = new Map([
      ['good', regressionSums([1, 2, 3, 4], [1.1, 2, 2.9, 4])],
      ['bad', regressionSums([1, 2, 3, 4], [4, 1, 4, 1])],
    ]);
    const overall = regressionSums([1, 2, 3, 4, 1, 2, 3, 4], [1.1, 2, 2.9, 4, 4, 1, 4, 1]);
    const comparison = compareMeasureByGroup(sums, overall, (aggregate) => regressionMetrics(aggregate).rSquared, {
      size: () => 4,
      minimumGroupSize: 30,
    });
    expect(comparison.disparity.betweenGroups.difference.defined).toBe(true);
    expect(reasonOf(comparison.disparity.betweenGroups.ratio)).toMatch(/^ratios need non-negative values, but group bad has -/);
    expect(comparison.disparity.smallGroups).toEqual(['good', 'bad']);
  });

  it('rejects labels that collide', () => {
    expect(() => compareMeasureByGroup(scoresByGroup, allScores, rocAuc, { label: () => 'same' })).toThrow(/Two groups have the label "same"/);
  });
});
