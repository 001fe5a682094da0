import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { defined, undefinedBecause } from '../../../src/measurement/core/measured.js';
import { renderJsonReport } from '../../../src/measurement/reports/json-report.js';
import { renderJunitReport } from '../../../src/measurement/reports/junit-report.js';
import { renderMarkdownReport } from '../../../src/measurement/reports/markdown-report.js';
import { countOutcomes, groupLabel, judgeCheck, runResultOf, type RunOutcome } from '../../../src/measurement/reports/run-outcome.js';
import { renderTextTable } from '../../../src/measurement/reports/text-table.js';
import { outcomeOf } from './fixtures.js';

/** Text of every control character XML 1.0 forbids, the characters XML escapes, and a line break in a group name. */
const awkwardGroup = 'race=A & B <"quoted"> \'x\'\u0001\u0008\u000B\u001F\uFFFE line\nbreak\ttab|pipe';

function sampleRun(): RunOutcome {
  return {
    policyName: 'COMPAS fairness gate',
    aiSystemName: 'COMPAS recidivism risk assessment',
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:00:02.500Z',
    engineVersion: '0.1.0',
    outcomes: [
      outcomeOf('fpr', 'false_positive_rate', defined(0.448468), { group: 'race=African-American' }),
      outcomeOf('fpr', 'false_positive_rate', defined(0.234543), { group: 'race=Caucasian' }),
      outcomeOf('fpr', 'false_positive_rate', undefinedBecause('the group has no actual negatives'), { group: awkwardGroup }),
      outcomeOf('four-fifths', 'four_fifths', defined(0.61), { threshold: { operator: 'between', min: 0.8, max: 1.25 }, severity: 'warning' }),
      outcomeOf('psi-age', 'psi', defined(0.031, ['2 of 10 bins were empty and smoothed']), { column: 'age', threshold: { operator: '<', value: 0.2 } }),
      outcomeOf('kl-age', 'kl', defined(Number.POSITIVE_INFINITY), { column: 'age', threshold: { operator: '<', value: 1 }, severity: 'warning' }),
    ],
    results: { fairness: { groups: [{ key: ['African-American'], fp: 805, tn: 990 }] }, drift: { age: { psi: 0.031 } } },
  };
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses XML with saxes, a conforming non-validating parser, and throws on any well-formedness error. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, children: [], text: '' };
    stack.at(-1)!.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  return root.children[0]!;
}

describe('check outcomes', () => {
  it('judges values against thresholds', () => {
    const check = { id: 'c', family: 'fairness', metric: 'false_positive_rate', parameters: {}, threshold: { operator: '<=', value: 0.3 }, severity: 'error' } as const;
    expect(judgeCheck(check, {}, defined(0.3))).toMatchObject({ result: 'passed', message: 'false_positive_rate = 0.3 meets <= 0.3' });
    expect(judgeCheck(check, {}, defined(0.31))).toMatchObject({ result: 'failed', message: 'false_positive_rate = 0.31 does not meet <= 0.3' });
    expect(judgeCheck(check, {}, undefinedBecause('no actual negatives'))).toMatchObject({
      result: 'undefined',
      message: 'false_positive_rate is undefined (no actual negatives), so the check fails the run',
    });
    expect(judgeCheck(check, {}, defined(Number.NaN))).toMatchObject({ result: 'undefined', value: { defined: false, reason: 'the computed value is not a number (NaN)' } });
    const between = { ...check, threshold: { operator: 'between', min: 0.8, max: 1.25 } } as const;
    expect([0.79, 0.8, 1.25, 1.26].map((value) => judgeCheck(between, {}, defined(value)).result)).toEqual(['failed', 'passed', 'passed', 'failed']);
  });

  it('fails a run on errors and undefined errors only', () => {
    const passing = outcomeOf('a', 'accuracy', defined(0.2));
    const failedWarning = outcomeOf('b', 'accuracy', defined(0.9), { severity: 'warning' });
    const undefinedError = outcomeOf('c', 'accuracy', undefinedBecause('no rows'));
    expect(runResultOf([passing])).toBe('passed');
    expect(runResultOf([passing, failedWarning])).toBe('passed_with_warnings');
    expect(runResultOf([passing, failedWarning, undefinedError])).toBe('failed');
    expect(countOutcomes([passing, failedWarning, undefinedError])).toEqual({ total: 3, passed: 1, failed: 1, undefined: 1, failingRun: 1 });
  });

  it('writes groups as attribute=value', () => {
    expect(groupLabel(['race', 'sex'], ['African-American', null])).toBe('race=African-American, sex=(missing)');
  });
});

describe('JUnit report', () => {
  it('is well-formed XML with a suite per family', () => {
    const root = parseXml(renderJunitReport(sampleRun()));

    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ name: 'custos check: COMPAS fairness gate', tests: '6', failures: '2', errors: '0', time: '2.5' });
    expect(root.children.map((suite) => [suite.attributes.name, suite.attributes.tests, suite.attributes.failures])).toEqual([
      ['fairness', '4', '2'],
      ['drift', '2', '0'],
    ]);
    const fairness = root.children[0]!;
    const cases = fairness.children.filter((child) => child.name === 'testcase');
    expect(cases.map((testcase) => testcase.children.map((child) => child.name))).toEqual([['failure'], [], ['failure'], ['system-out']]);
    expect(cases[0]!.children[0]!.attributes).toEqual({ message: 'false_positive_rate = 0.448468 does not meet <= 0.3', type: 'threshold' });
    expect(cases[2]!.children[0]!.attributes.type).toBe('undefined');
    expect(cases[3]!.children[0]!.text).toContain('caveat: The four-fifths rule is a rule of thumb');
  });

  it('escapes markup and keeps control characters visible', () => {
    const root = parseXml(renderJunitReport(sampleRun()));
    const testcase = root.children[0]!.children.filter((child) => child.name === 'testcase')[2]!;
    const shown = 'race=A & B <"quoted"> \'x\'\\u0001\\u0008\\u000B\\u001F\\uFFFE line\nbreak\ttab|pipe';

    expect(testcase.attributes.name).toBe(`fpr: false_positive_rate [${shown}]`);
    expect(testcase.children[0]!.text).toContain(`target: ${shown}\n`);
    expect(testcase.children[0]!.text).toContain('value: undefined (the group has no actual negatives)');
  });

  it('keeps a carriage return in text', () => {
    const run = sampleRun();
    const withReturn = { ...run, outcomes: [outcomeOf('fpr', 'false_positive_rate', undefinedBecause('line one\r\nline two'))] };
    expect(parseXml(renderJunitReport(withReturn)).children[0]!.children[1]!.children[0]!.text).toContain('undefined (line one\r\nline two)');
  });
});

describe('Markdown report', () => {
  it('writes a table per family with escaped cells', () => {
    const markdown = renderMarkdownReport(sampleRun());

    expect(markdown).toContain('# Measurement check: COMPAS fairness gate\n\n**Result: failed.** 6 outcomes: 2 passed, 3 failed, 1 undefined; 2 fail the run.');
    expect(markdown).toContain('## Fairness\n\n| Check | Metric | Column / group | Value | Threshold | Severity | Result |\n|---|---|---|---:|---|---|---|\n');
    expect(markdown).toContain('| `fpr` | `false_positive_rate` | race=African-American | 0.4485 | &lt;= 0.3 | error | **failed** |');
    expect(markdown).toContain('| `four-fifths` | `four_fifths` | all rows | 0.61 | between 0.8 and 1.25 | warning | failed |');
    expect(markdown).toContain('| `kl-age` | `kl` | age | Infinity | &lt; 1 | warning | failed |');
    expect(markdown).toContain('race=A &amp; B &lt;"quoted"&gt; \'x\'\\\\u0001');
    expect(markdown).toContain('line break\\\\u0009tab\\|pipe');
    expect(markdown).toContain('- `psi-age` (age): 2 of 10 bins were empty and smoothed');
    expect(markdown).toContain('- `four_fifths`: The four-fifths rule is a rule of thumb');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.every((row) => row.split(/(?<!\\)\|/).length === 9)).toBe(true);
  });
});

describe('text table', () => {
  it('aligns columns and shows control characters as escapes', () => {
    const table = renderTextTable(sampleRun(), { maxCellWidth: 200 });
    const lines = table.split('\n');

    expect(lines[0]).toBe('FAIRNESS');
    expect(lines[1]).toMatch(/^RESULT\s+CHECK\s+METRIC\s+COLUMN \/ GROUP\s+VALUE\s+THRESHOLD\s+SEVERITY$/);
    // The value column is aligned right: each value ends where the header VALUE ends.
    const valueEnd = lines[1]!.indexOf('VALUE') + 'VALUE'.length;
    expect(lines[2]!.slice(0, valueEnd).endsWith('0.4485')).toBe(true);
    expect(lines[3]!.slice(0, valueEnd).endsWith('0.2345')).toBe(true);
    expect(lines[2]).toMatch(/^FAILED\s+fpr\s+false_positive_rate\s+race=African-American\s+0\.4485\s+<= 0\.3\s+error$/);
    expect(table).not.toMatch(/[\u0000-\u0008\u000B-\u001F]/);
    expect(table).toContain('line\\u000Abreak\\u0009tab');
    expect(table).toContain('Undefined values:\n  fpr (race=A & B');
    expect(lines.at(-2)).toBe('FAILED: 6 outcomes, 2 passed, 3 failed, 1 undefined; 2 fail the run.');
  });

  it('cuts long cells with an ellipsis', () => {
    const table = renderTextTable(sampleRun(), { maxCellWidth: 12 });
    expect(table).toContain('false_posit…');
  });
});

describe('JSON report', () => {
  it('keeps infinities as strings and every digit', () => {
    const report = JSON.parse(renderJsonReport(sampleRun()));
    expect(report).toMatchObject({ format: 'custos-measurement-report/1', result: 'failed', counts: { total: 6, failingRun: 2 } });
    expect(report.outcomes[0].value).toEqual({ defined: true, value: 0.448468, warnings: [] });
    expect(report.outcomes[5].value.value).toBe('Infinity');
    expect(report.results.fairness.groups[0].fp).toBe(805);
  });
});
