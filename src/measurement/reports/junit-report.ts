import { describeThreshold } from '../policy/thresholds.js';
import { escapeXmlAttribute, escapeXmlText, formatMeasured, formatTarget } from './report-text.js';
import { caveatOf, countOutcomes, failsRun, outcomesByFamily, type CheckOutcome, type RunOutcome } from './run-outcome.js';

/**
 * Writes a run as JUnit XML, the format CI systems (GitLab, Jenkins, GitHub test reporters) show
 * as test results: one testsuite per metric family and one testcase per check outcome. A check
 * that fails the run (severity error, failed or undefined) gets a failure element. A warning
 * that did not pass is reported in system-out and counts as passed, so that CI does not fail on it.
 */

export function renderJunitReport(run: RunOutcome): string {
  const families = outcomesByFamily(run.outcomes);
  const counts = countOutcomes(run.outcomes);
  const seconds = durationSeconds(run.startedAt, run.finishedAt);
  const name = run.policyName ? `custos check: ${run.policyName}` : `custos measure: ${run.aiSystemName}`;

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({ name, tests: counts.total, failures: counts.failingRun, errors: 0, skipped: 0, time: seconds, timestamp: run.startedAt })}>`,
  ];
  for (const [family, outcomes] of families) {
    const failures = outcomes.filter(failsRun).length;
    lines.push(`  <testsuite ${attributes({ name: family, tests: outcomes.length, failures, errors: 0, skipped: 0, time: 0, timestamp: run.startedAt })}>`);
    lines.push('    <properties>');
    lines.push(`      <property ${attributes({ name: 'aiSystem', value: run.aiSystemName })}/>`);
    if (run.policyName) lines.push(`      <property ${attributes({ name: 'policy', value: run.policyName })}/>`);
    lines.push(`      <property ${attributes({ name: 'engineVersion', value: run.engineVersion })}/>`);
    lines.push('    </properties>');
    for (const outcome of outcomes) lines.push(...testcase(family, outcome));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(family: string, outcome: CheckOutcome): string[] {
  const name = `${outcome.checkId}: ${outcome.metric} [${formatTarget(outcome)}]`;
  const open = `    <testcase ${attributes({ name, classname: `custos.${family}.${outcome.checkId}`, time: 0 })}`;
  const body: string[] = [];
  if (failsRun(outcome)) {
    const type = outcome.result === 'undefined' ? 'undefined' : 'threshold';
    body.push(`      <failure ${attributes({ message: outcome.message, type })}>${escapeXmlText(details(outcome))}</failure>`);
  } else if (outcome.result !== 'passed') {
    body.push(`      <system-out>${escapeXmlText(`warning: ${outcome.message}\n${details(outcome)}`)}</system-out>`);
  }
  if (body.length === 0) return [`${open}/>`];
  return [`${open}>`, ...body, '    </testcase>'];
}

function details(outcome: CheckOutcome): string {
  const lines = [
    `check: ${outcome.checkId}`,
    `metric: ${outcome.metric}`,
    `target: ${formatTarget(outcome)}`,
    `value: ${outcome.value.defined ? String(outcome.value.value) : `undefined (${outcome.value.reason})`}`,
    `shown as: ${formatMeasured(outcome.value)}`,
    `threshold: ${describeThreshold(outcome.threshold)}`,
    `severity: ${outcome.severity}`,
  ];
  for (const warning of outcome.value.warnings) lines.push(`warning: ${warning}`);
  const caveat = caveatOf(outcome.metric);
  if (caveat) lines.push(`caveat: ${caveat}`);
  return lines.join('\n');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${escapeXmlAttribute(String(value))}"`)
    .join(' ');
}

function durationSeconds(startedAt: string, finishedAt: string): number {
  const milliseconds = Date.parse(finishedAt) - Date.parse(startedAt);
  return Number.isFinite(milliseconds) && milliseconds >= 0 ? milliseconds / 1000 : 0;
}
