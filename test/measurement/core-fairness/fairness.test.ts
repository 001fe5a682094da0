import { describe, expect, it } from 'vitest';
import type { ConfusionCounts, GroupedConfusion } from '../../../src/measurement/core/aggregates.js';
import { wilsonInterval } from '../../../src/measurement/core/confidence-intervals.js';
import { fairnessReport, groupRates, rateNames, type FairnessReport, type RateName } from '../../../src/measurement/core/fairness.js';
import { fourFifthsCaveat } from '../../../src/measurement/core/four-fifths.js';
import { counts, expectClose, reasonOf, reference, valueOf } from './fixtures.js';

/** ProPublica's published counts for two_year_recid against score_text Medium or High. */
const compas: GroupedConfusion = {
  attributes: ['race'],
  groups: [
    { key: ['African-American'], counts: counts(1369, 805, 990, 532) },
    { key: ['Caucasian'], counts: counts(505, 349, 1139, 461) },
  ],
};

function percent(value: number): string {
  return (value * 100).toFixed(2);
}

function group(report: FairnessReport, label: string) {
  const found = report.groups.find((entry) => entry.label === label);
  if (found === undefined) throw new Error(`no group ${label}`);
  return found;
}

function rate(report: FairnessReport, label: string, name: RateName): number {
  return valueOf(group(report, label).rates[name].value);
}

function labelled<Entry extends { label: string }>(entries: readonly Entry[] | undefined, label: string): Entry {
  const found = entries?.find((entry) => entry.label === label);
  if (found === undefined) throw new Error(`no entry labelled ${label}`);
  return found;
}

function fromTable(table: Record<string, ConfusionCounts>): GroupedConfusion {
  return { attributes: ['race'], groups: Object.entries(table).map(([race, cells]) => ({ key: [race], counts: cells })) };
}

describe('fairness report on COMPAS', () => {
  it('reproduces the ProPublica error rates', () => {
    const report = fairnessReport(compas);
    expect(percent(rate(report, 'African-American', 'falsePositiveRate'))).toBe('44.85');
    expect(percent(rate(report, 'African-American', 'falseNegativeRate'))).toBe('27.99');
    expect(percent(rate(report, 'Caucasian', 'falsePositiveRate'))).toBe('23.45');
    expect(percent(rate(report, 'Caucasian', 'falseNegativeRate'))).toBe('47.72');
    expect(rate(report, 'African-American', 'falsePositiveRate')).toBe(805 / 1795);
    expect(rate(report, 'Caucasian', 'falseNegativeRate')).toBe(461 / 966);
    expect(group(report, 'African-American').size).toBe(3696);
    expect(group(report, 'Caucasian').size).toBe(2454);
  });

  it('gives the FPR and FNR disparities between the two groups', () => {
    const report = fairnessReport(compas);
    const fpr = report.disparities.falsePositiveRate;
    expectClose(valueOf(fpr.betweenGroups.difference), 805 / 1795 - 349 / 1488);
    expectClose(valueOf(fpr.betweenGroups.ratio), 349 / 1488 / (805 / 1795));
    expect(fpr.betweenGroups.maximumGroup).toBe('African-American');
    expect(fpr.betweenGroups.minimumGroup).toBe('Caucasian');
    const overallFpr = (805 + 349) / (805 + 990 + 349 + 1139);
    expectClose(valueOf(fpr.toOverall.difference), Math.max(805 / 1795 - overallFpr, overallFpr - 349 / 1488));
  });

  it('counts the example CSV into the published table', () => {
    const tables = reference.compas.tables as Record<string, Record<string, ConfusionCounts>>;
    expect(reference.compas.rows).toBe(7214);
    const mediumOrHigh = tables.mediumOrHigh as Record<string, ConfusionCounts>;
    expect(mediumOrHigh['African-American']).toEqual(compas.groups[0]?.counts);
    expect(mediumOrHigh.Caucasian).toEqual(compas.groups[1]?.counts);

    const report = fairnessReport(fromTable(mediumOrHigh));
    expect(report.overall.size).toBe(7214);
    expect(report.overall.counts).toEqual(counts(2035, 1282, 2681, 1216));
    expect(percent(valueOf(report.overall.rates.falsePositiveRate.value))).toBe('32.35');
    expect(percent(valueOf(report.overall.rates.falseNegativeRate.value))).toBe('37.40');
  });

  it('reproduces the High-only figures', () => {
    const tables = reference.compas.tables as Record<string, Record<string, ConfusionCounts>>;
    const report = fairnessReport(fromTable(tables.highOnly as Record<string, ConfusionCounts>));
    expect(percent(rate(report, 'Caucasian', 'falsePositiveRate'))).toBe('5.44');
    expect(percent(rate(report, 'Caucasian', 'falseNegativeRate'))).toBe('79.81');
    expect(percent(rate(report, 'African-American', 'falsePositiveRate'))).toBe('15.82');
    expect(percent(rate(report, 'African-American', 'falseNegativeRate'))).toBe('61.02');
  });

  it('flags the four-fifths rule when a low risk score is favourable', () => {
    const report = fairnessReport(compas, { favourableOutcome: 'negative' });
    const rule = report.fourFifthsRule;
    expect(rule.favourableRate).toBe('negativePredictionRate');
    expect(rule.highestGroup).toBe('Caucasian');
    expectClose(valueOf(labelled(rule.groups, 'African-American').ratio), (990 + 532) / 3696 / ((1139 + 461) / 2454));
    expect(labelled(rule.groups, 'Caucasian').belowThreshold).toBe(false);
    expect(rule.flaggedGroups).toEqual(['African-American']);
    expect(rule.caveat).toBe(fourFifthsCaveat);
    expect(rule.caveat).toMatch(/not a legal test/);
    expect(rule.caveat).toMatch(/small groups/);
  });

  it('compares with a named reference group', () => {
    const report = fairnessReport(compas, { reference: { kind: 'named', key: ['Caucasian'] } });
    const fpr = report.disparities.falsePositiveRate;
    expect(fpr.toReference?.reference).toBe('Caucasian');
    expect(fpr.referenceChoice).toBe('named group');
    const africanAmerican = labelled(fpr.toReference?.groups, 'African-American');
    expectClose(valueOf(africanAmerican.ratio), 805 / 1795 / (349 / 1488));
    expectClose(valueOf(africanAmerican.difference), 805 / 1795 - 349 / 1488);
    expect(valueOf(labelled(fpr.toReference?.groups, 'Caucasian').ratio)).toBe(1);
  });
});

describe('group rates', () => {
  it('computes all eleven rates of a small group', () => {
    const rates = groupRates(counts(3, 1, 4, 2));
    const expected: Record<RateName, number> = {
      selectionRate: 4 / 10,
      baseRate: 5 / 10,
      truePositiveRate: 3 / 5,
      falsePositiveRate: 1 / 5,
      falseNegativeRate: 2 / 5,
      trueNegativeRate: 4 / 5,
      positivePredictiveValue: 3 / 4,
      negativePredictiveValue: 4 / 6,
      falseDiscoveryRate: 1 / 4,
      falseOmissionRate: 2 / 6,
      accuracy: 7 / 10,
    };
    for (const name of rateNames) expect(valueOf(rates[name]), name).toBe(expected[name]);
  });

  it('leaves rates without a denominator undefined, never 0', () => {
    const noPositives = groupRates(counts(0, 2, 8, 0));
    expect(reasonOf(noPositives.truePositiveRate)).toBe('no actual positives in the group');
    expect(reasonOf(noPositives.falseNegativeRate)).toBe('no actual positives in the group');
    expect(valueOf(noPositives.falsePositiveRate)).toBe(0.2);

    const noPredictedPositives = groupRates(counts(0, 0, 5, 3));
    expect(reasonOf(noPredictedPositives.positivePredictiveValue)).toBe('no predicted positives in the group');
    expect(reasonOf(noPredictedPositives.falseDiscoveryRate)).toBe('no predicted positives in the group');

    const empty = groupRates(counts(0, 0, 0, 0));
    for (const name of rateNames) expect(empty[name].defined, name).toBe(false);
  });

  it('rejects negative or non-finite counts', () => {
    expect(() => groupRates(counts(1, -1, 0, 0))).toThrow(/falsePositives of the confusion counts is -1/);
    expect(() => groupRates(counts(Number.NaN, 0, 0, 0))).toThrow(/truePositives/);
  });
});

interface FairlearnFrame {
  byGroup: Record<string, number>;
  overall: number;
  betweenGroups: { difference: number; ratio: number | null };
  toOverall: { difference: number; ratio: number };
}

interface FairnessCase {
  name: string;
  groups: Record<string, ConfusionCounts>;
  fairlearn: Record<string, FairlearnFrame>;
  equalizedOdds: Record<'worstCase' | 'mean', Record<'betweenGroups' | 'toOverall', { difference: number; ratio: number }>>;
}

function caseGroups(testCase: FairnessCase): GroupedConfusion {
  return { attributes: ['group'], groups: Object.entries(testCase.groups).map(([name, cells]) => ({ key: [name], counts: cells })) };
}

describe('agreement with Fairlearn', () => {
  const [allDefined, withoutPositives] = reference.fairness as FairnessCase[];

  it('matches MetricFrame with defined rates', () => {
    const testCase = allDefined as FairnessCase;
    const report = fairnessReport(caseGroups(testCase), { minimumGroupSize: 0 });
    for (const [metric, frame] of Object.entries(testCase.fairlearn)) {
      const name = metric as RateName;
      for (const [label, value] of Object.entries(frame.byGroup)) expectClose(rate(report, label, name), value);
      expectClose(valueOf(report.overall.rates[name].value), frame.overall);
      const disparity = report.disparities[name];
      expectClose(valueOf(disparity.betweenGroups.difference), frame.betweenGroups.difference);
      expectClose(valueOf(disparity.betweenGroups.ratio), frame.betweenGroups.ratio as number);
      expectClose(valueOf(disparity.toOverall.difference), frame.toOverall.difference);
      expectClose(valueOf(disparity.toOverall.ratio), frame.toOverall.ratio);
    }
  });

  it('matches the parity measures', () => {
    const testCase = allDefined as FairnessCase;
    const { parity } = fairnessReport(caseGroups(testCase));
    for (const aggregation of ['worstCase', 'mean'] as const) {
      for (const method of ['betweenGroups', 'toOverall'] as const) {
        const expected = testCase.equalizedOdds[aggregation][method];
        expectClose(valueOf(parity.equalizedOdds[aggregation][method].difference), expected.difference);
        expectClose(valueOf(parity.equalizedOdds[aggregation][method].ratio), expected.ratio);
      }
    }
    expectClose(valueOf(parity.demographicParity.betweenGroups.difference), testCase.fairlearn.selectionRate?.betweenGroups.difference as number);
    expectClose(valueOf(parity.equalOpportunity.betweenGroups.ratio), testCase.fairlearn.truePositiveRate?.betweenGroups.ratio as number);
  });

  it('skips groups Fairlearn scores as 0', () => {
    const testCase = withoutPositives as FairnessCase;
    const report = fairnessReport(caseGroups(testCase));
    const frame = testCase.fairlearn.truePositiveRate as FairlearnFrame;
    expect(frame.byGroup.C).toBe(0);
    expect(reasonOf(group(report, 'C').rates.truePositiveRate.value)).toBe('no actual positives in the group');

    const disparity = report.disparities.truePositiveRate;
    expect(disparity.skippedGroups).toEqual(['C']);
    const a = frame.byGroup.A as number;
    const b = frame.byGroup.B as number;
    expectClose(valueOf(disparity.betweenGroups.difference), Math.abs(a - b));
    expectClose(valueOf(disparity.betweenGroups.ratio), Math.min(a, b) / Math.max(a, b));
    expect(valueOf(disparity.betweenGroups.difference)).not.toBeCloseTo(frame.betweenGroups.difference, 3);
    expect(disparity.betweenGroups.difference.warnings).toContain('groups without a value were skipped: C');

    // FPR is defined in every group, so it agrees with Fairlearn including C.
    const fpr = testCase.fairlearn.falsePositiveRate as FairlearnFrame;
    expectClose(valueOf(report.disparities.falsePositiveRate.betweenGroups.difference), fpr.betweenGroups.difference);
    expect(report.disparities.falsePositiveRate.skippedGroups).toEqual([]);
  });
});

describe('groups', () => {
  const intersectional: GroupedConfusion = {
    attributes: ['race', 'sex'],
    groups: [
      { key: ['A', 'F'], counts: counts(40, 10, 30, 20) },
      { key: ['A', 'M'], counts: counts(60, 30, 50, 10) },
      { key: ['B', 'F'], counts: counts(0, 0, 0, 0) },
      { key: ['B', 'M'], counts: counts(5, 2, 8, 5) },
      { key: ['A', null], counts: counts(3, 1, 2, 1) },
    ],
  };

  it('labels intersections and the missing group', () => {
    const report = fairnessReport(intersectional);
    expect(report.groups.map((entry) => entry.label)).toEqual(['A & F', 'A & M', 'B & F', 'B & M', 'A & (missing)']);
    expect(report.groups.map((entry) => entry.isMissing)).toEqual([false, false, false, false, true]);
    expect(report.overall.size).toBe(100 + 150 + 0 + 20 + 7);
  });

  it('flags groups below the minimum size', () => {
    const report = fairnessReport(intersectional);
    expect(report.options.minimumGroupSize).toBe(30);
    expect(report.groups.filter((entry) => entry.belowMinimumSize).map((entry) => entry.label)).toEqual(['B & F', 'B & M', 'A & (missing)']);
    expect(report.warnings[0]).toBe('groups below the minimum size of 30 rows: B & F (0 rows), B & M (20 rows), A & (missing) (7 rows)');
    expect(report.disparities.selectionRate.smallGroups).toEqual(['B & M', 'A & (missing)']);
    expect(report.disparities.selectionRate.skippedGroups).toEqual(['B & F']);

    const relaxed = fairnessReport(intersectional, { minimumGroupSize: 5 });
    expect(relaxed.groups.filter((entry) => entry.belowMinimumSize).map((entry) => entry.label)).toEqual(['B & F']);
  });

  it('rejects missing values on request and names the attribute', () => {
    expect(() => fairnessReport(intersectional, { missingValues: 'error' })).toThrow(
      `Sensitive attribute values are missing: sex in 7 rows; fill in the values, or keep those rows as a "missing" group with missingValues: 'group'`,
    );
  });

  it('chooses the largest group outside the missing group as reference', () => {
    const report = fairnessReport(intersectional);
    expect(report.disparities.accuracy.toReference?.reference).toBe('A & M');
    expect(report.disparities.accuracy.referenceChoice).toBe('largest group');
  });

  it('chooses the most favourable group per rate', () => {
    const report = fairnessReport(intersectional, { reference: { kind: 'most-favourable' } });
    // Only A & F and A & M reach 30 rows. TPR: 40/60 against 60/70; FPR: 10/40 against 30/80.
    expect(report.disparities.truePositiveRate.toReference?.reference).toBe('A & M');
    expect(report.disparities.falsePositiveRate.toReference?.reference).toBe('A & F');
    expect(report.disparities.falsePositiveRate.referenceChoice).toBe('most favourable falsePositiveRate');
    // Selection rate 50/100 against 90/150: the higher one when a positive prediction is favourable.
    expect(report.disparities.selectionRate.toReference?.reference).toBe('A & M');
    const negative = fairnessReport(intersectional, { reference: { kind: 'most-favourable' }, favourableOutcome: 'negative' });
    expect(negative.disparities.selectionRate.toReference?.reference).toBe('A & F');
  });

  it('rejects a named reference group that does not exist', () => {
    expect(() => fairnessReport(intersectional, { reference: { kind: 'named', key: ['C', 'F'] } })).toThrow(/The reference group \["C","F"\] is not among the groups/);
  });

  it('compares with the missing group when it is named', () => {
    const report = fairnessReport(intersectional, { reference: { kind: 'named', key: ['A', null] } });
    expect(report.disparities.accuracy.toReference?.reference).toBe('A & (missing)');
  });

  it('rejects keys that do not fit the attributes', () => {
    const broken: GroupedConfusion = { attributes: ['race', 'sex'], groups: [{ key: ['A'], counts: counts(1, 1, 1, 1) }] };
    expect(() => fairnessReport(broken)).toThrow(/has 1 values, but there are 2 sensitive attributes \(race, sex\)/);
    const twice: GroupedConfusion = { attributes: ['race'], groups: [{ key: ['A'], counts: counts(1, 1, 1, 1) }, { key: ['A'], counts: counts(1, 1, 1, 1) }] };
    expect(() => fairnessReport(twice)).toThrow(/occurs twice/);
  });
});

describe('disparities', () => {
  it('leave the ratio undefined when every group has rate 0', () => {
    const grouped: GroupedConfusion = {
      attributes: ['g'],
      groups: [
        { key: ['x'], counts: counts(5, 0, 10, 5) },
        { key: ['y'], counts: counts(3, 0, 12, 1) },
      ],
    };
    const report = fairnessReport(grouped, { minimumGroupSize: 0 });
    expect(valueOf(report.disparities.falsePositiveRate.betweenGroups.difference)).toBe(0);
    expect(reasonOf(report.disparities.falsePositiveRate.betweenGroups.ratio)).toBe('every group has the value 0, so min / max is 0 / 0');
    expect(reasonOf(report.disparities.falsePositiveRate.toOverall.ratio)).toBe('the overall value is 0, so ratios to it are undefined');
    expect(reasonOf(report.parity.equalizedOdds.worstCase.betweenGroups.ratio)).toMatch(/^the FPR disparity is undefined/);
  });

  it('need two groups with a value', () => {
    const grouped: GroupedConfusion = { attributes: ['g'], groups: [{ key: ['x'], counts: counts(5, 1, 10, 5) }] };
    const report = fairnessReport(grouped);
    expect(reasonOf(report.disparities.accuracy.betweenGroups.difference)).toMatch(/at least two groups with a defined value, but only one group has one/);
    expect(valueOf(report.disparities.accuracy.toOverall.difference)).toBe(0);
  });

  it('attach a Wilson interval to every rate', () => {
    const report = fairnessReport(compas, { confidence: 0.9 });
    const estimate = group(report, 'African-American').rates.falsePositiveRate;
    expect(estimate.numerator).toBe(805);
    expect(estimate.denominator).toBe(1795);
    expect(estimate.interval).toEqual(wilsonInterval(805, 1795, 0.9));
  });
});
