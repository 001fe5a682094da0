import { describe, expect, it } from 'vitest';
import type { GroupedConfusion } from '../../../src/measurement/core/aggregates.js';
import { bootstrapDisparities, quantileOfSorted, type BootstrapResult } from '../../../src/measurement/core/bootstrap.js';
import { fairnessReport } from '../../../src/measurement/core/fairness.js';
import { counts, valueOf } from './fixtures.js';

const compas: GroupedConfusion = {
  attributes: ['race'],
  groups: [
    { key: ['African-American'], counts: counts(1369, 805, 990, 532) },
    { key: ['Caucasian'], counts: counts(505, 349, 1139, 461) },
  ],
};

function interval(result: BootstrapResult, statistic: string) {
  const found = result.intervals.find((entry) => entry.statistic === statistic);
  if (found === undefined) throw new Error(`no statistic ${statistic}`);
  return found;
}

function bounds(result: BootstrapResult, statistic: string): [number, number] {
  const entry = interval(result, statistic).interval;
  if (!entry.defined) throw new Error(entry.reason);
  return [entry.lower, entry.upper];
}

describe('bootstrap of disparities', () => {
  it('gives the same intervals for the same seed', () => {
    const first = bootstrapDisparities(compas, { seed: 42, replicates: 300 });
    const second = bootstrapDisparities(compas, { seed: 42, replicates: 300 });
    expect(second).toEqual(first);
    const other = bootstrapDisparities(compas, { seed: 43, replicates: 300 });
    expect(bounds(other, 'falsePositiveRate.betweenGroups.difference')).not.toEqual(bounds(first, 'falsePositiveRate.betweenGroups.difference'));
  });

  it('records its defaults', () => {
    const result = bootstrapDisparities(compas, { replicates: 50 });
    expect(result.seed).toBe(0);
    expect(result.confidence).toBe(0.95);
    expect(result.replicates).toBe(50);
    expect(result.method).toBe('percentile bootstrap, stratified by group');
  });

  it('matches the normal-approximation width', () => {
    const result = bootstrapDisparities(compas, { seed: 7, replicates: 2000 });
    const [lower, upper] = bounds(result, 'falsePositiveRate.betweenGroups.difference');
    const estimate = 805 / 1795 - 349 / 1488;
    expect(valueOf(interval(result, 'falsePositiveRate.betweenGroups.difference').estimate)).toBe(estimate);
    expect(lower).toBeLessThan(estimate);
    expect(upper).toBeGreaterThan(estimate);
    // The difference of two independent proportions has standard error sqrt(Σ p(1 − p)/n).
    const standardError = Math.sqrt(((805 / 1795) * (990 / 1795)) / 1795 + ((349 / 1488) * (1139 / 1488)) / 1488);
    const width = upper - lower;
    expect(width / (2 * 1.96 * standardError)).toBeGreaterThan(0.9);
    expect(width / (2 * 1.96 * standardError)).toBeLessThan(1.1);
  });

  it('covers ratios, references and the parity measures', () => {
    const result = bootstrapDisparities(compas, { seed: 1, replicates: 200 });
    const names = result.intervals.map((entry) => entry.statistic);
    expect(names).toContain('selectionRate.betweenGroups.ratio');
    expect(names).toContain('falseNegativeRate.toOverall.difference');
    expect(names).toContain('falsePositiveRate.toReference.Caucasian.ratio');
    expect(names).toContain('equalizedOdds.worstCase.betweenGroups.difference');
    expect(names).toContain('demographicParity.toOverall.ratio');
    const report = fairnessReport(compas);
    expect(valueOf(interval(result, 'equalizedOdds.mean.betweenGroups.ratio').estimate)).toBe(valueOf(report.parity.equalizedOdds.mean.betweenGroups.ratio));
  });

  it('counts left-out replicates of small groups', () => {
    // Group "small" has 12 rows and one actual positive, so some replicates draw no positive there.
    const grouped: GroupedConfusion = {
      attributes: ['g'],
      groups: [
        { key: ['large'], counts: counts(300, 100, 500, 100) },
        { key: ['small'], counts: counts(1, 2, 9, 0) },
      ],
    };
    const result = bootstrapDisparities(grouped, { seed: 3, replicates: 500 });
    const tpr = interval(result, 'truePositiveRate.betweenGroups.difference');
    // P(no positive among 12 draws) = (11/12)^12 ≈ 0.352, so about 176 of 500 replicates are left out.
    expect(tpr.excludedReplicates).toBeGreaterThan(120);
    expect(tpr.excludedReplicates).toBeLessThan(240);
    expect(tpr.usedReplicates + tpr.excludedReplicates).toBe(500);
    expect(tpr.warnings[0]).toMatch(/replicates were left out/);
    // Selection rate is defined in every replicate because the group size never changes.
    expect(interval(result, 'selectionRate.betweenGroups.difference').excludedReplicates).toBe(0);
  });

  it('reports an undefined estimate without an interval', () => {
    const grouped: GroupedConfusion = {
      attributes: ['g'],
      groups: [
        { key: ['x'], counts: counts(0, 3, 10, 0) },
        { key: ['y'], counts: counts(0, 5, 10, 0) },
      ],
    };
    const result = bootstrapDisparities(grouped, { replicates: 20 });
    const entry = interval(result, 'truePositiveRate.betweenGroups.difference');
    expect(entry.interval).toMatchObject({ defined: false, reason: expect.stringMatching(/^the observed value is undefined/) });
  });

  it('rejects fractional counts and bad options', () => {
    const weighted: GroupedConfusion = { attributes: ['g'], groups: [{ key: ['x'], counts: counts(1.5, 1, 1, 1) }] };
    expect(() => bootstrapDisparities(weighted)).toThrow(/whole row counts, but truePositives of group \["x"\] is 1.5/);
    expect(() => bootstrapDisparities(compas, { replicates: 0 })).toThrow(/positive integer, for example 1000, but it is 0/);
    expect(() => bootstrapDisparities(compas, { seed: -3 })).toThrow(/seed/);
  });
});

describe('quantile of sorted values', () => {
  it('interpolates linearly like numpy.quantile', () => {
    const values = [1, 2, 4, 8];
    // numpy.quantile([1, 2, 4, 8], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 3, 6.8, 8].
    expect(quantileOfSorted(values, 0)).toBe(1);
    expect(quantileOfSorted(values, 0.25)).toBe(1.75);
    expect(quantileOfSorted(values, 0.5)).toBe(3);
    expect(quantileOfSorted(values, 0.9)).toBeCloseTo(6.8, 12);
    expect(quantileOfSorted(values, 1)).toBe(8);
  });
});
