import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../src/measurement/core/confidence-intervals.js';
import { labelRateDisparity, representation, type RepresentationReport } from '../../../src/measurement/core/representation.js';
import { expectClose, reasonOf, valueOf } from './fixtures.js';

const census = new Map([
  ['female', 0.5],
  ['male', 0.48],
  ['diverse', 0.02],
]);

function named(report: RepresentationReport, group: string) {
  const found = report.groups.find((entry) => entry.group === group);
  if (found === undefined) throw new Error(`no group ${group}`);
  return found;
}

describe('representation against a reference population', () => {
  it('computes shares, differences and ratios', () => {
    const report = representation({ counts: new Map([['female', 300], ['male', 690], ['diverse', 10]]), missing: 0 }, census);
    const female = named(report, 'female');
    expect(valueOf(female.share)).toBe(0.3);
    expectClose(valueOf(female.difference), 0.3 - 0.5);
    expectClose(valueOf(female.ratio), 0.6);
    expect(female.flagged).toBe(true);
    expect(female.flagReasons).toEqual(['share / reference share is 0.600, outside [0.8, 1.250]']);
    expectClose(valueOf(named(report, 'male').ratio), 0.69 / 0.48);
    expect(named(report, 'male').flagged).toBe(true);
    expectClose(valueOf(named(report, 'diverse').ratio), 0.5);
    expect(report.options).toEqual({ minimumRatio: 0.8, maximumAbsoluteDifference: null });
  });

  it('passes a representative sample', () => {
    const report = representation({ counts: new Map([['female', 495], ['male', 485], ['diverse', 20]]), missing: 0 }, census);
    expect(report.groups.map((group) => group.flagged)).toEqual([false, false, false]);
    const strict = representation({ counts: new Map([['female', 495], ['male', 485], ['diverse', 20]]), missing: 0 }, census, { maximumAbsoluteDifference: 0.001 });
    expect(strict.groups.map((group) => group.flagged)).toEqual([true, true, false]);
  });

  it('flags groups absent on one side', () => {
    const report = representation({ counts: new Map([['female', 60], ['male', 40], ['unknown code', 5]]), missing: 15 }, census);
    expect(named(report, 'unknown code').flagReasons).toEqual(['the group occurs in the data but not in the reference population']);
    expect(reasonOf(named(report, 'unknown code').ratio)).toBe('the reference population does not list this group');
    expect(named(report, 'diverse').count).toBe(0);
    expect(named(report, 'diverse').flagReasons[0]).toBe('the reference population has the group but the data has no row of it');
    expectClose(valueOf(named(report, 'female').share), 60 / 105);
    expect(report.missing.count).toBe(15);
    expectClose(valueOf(report.missing.shareOfAllRows), 15 / 120);
    expect(report.warnings).toEqual(['the value is missing in 15 of 120 rows, which are left out of the shares']);
  });

  it('rejects reference shares that are percentages', () => {
    expect(() => representation({ counts: new Map(), missing: 0 }, new Map([['a', 50], ['b', 50]]))).toThrow(/must lie in \[0, 1\], but group a has 50/);
    expect(() => representation({ counts: new Map(), missing: 0 }, new Map([['a', 0.7], ['b', 0.7]]))).toThrow(/sum to at most 1, but they sum to 1.4/);
  });
});

describe('label-rate disparity', () => {
  it('compares the rate of positive labels between groups', () => {
    const report = labelRateDisparity([
      { group: 'A', positives: 120, negatives: 280 },
      { group: 'B', positives: 45, negatives: 255 },
      { group: 'C', positives: 3, negatives: 7 },
    ]);
    const [a, , c] = report.groups;
    if (a === undefined || c === undefined) throw new Error('groups A and C are missing');
    expect(valueOf(a.labelRate)).toBe(0.3);
    expectClose(valueOf(report.disparity.betweenGroups.difference), 0.3 - 0.15);
    expectClose(valueOf(report.disparity.betweenGroups.ratio), 0.5);
    expectClose(valueOf(report.overall), 168 / 710);
    expect(report.flagged).toBe(true);
    expect(report.flagReasons).toEqual(['lowest / highest label rate is 0.500, below 0.8']);
    expect(c.belowMinimumSize).toBe(true);
    expect(report.disparity.smallGroups).toEqual(['C']);
    expect(a.interval).toEqual(wilsonInterval(120, 400, 0.95));
  });

  it('does not flag similar label rates', () => {
    const report = labelRateDisparity([
      { group: 'A', positives: 100, negatives: 300 },
      { group: 'B', positives: 90, negatives: 310 },
    ]);
    expect(report.flagged).toBe(false);
    const strict = labelRateDisparity(
      [
        { group: 'A', positives: 100, negatives: 300 },
        { group: 'B', positives: 90, negatives: 310 },
      ],
      { maximumDifference: 0.01 },
    );
    expect(strict.flagReasons).toEqual(['highest − lowest label rate is 0.0250, above 0.01']);
  });
});
