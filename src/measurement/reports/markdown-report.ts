import { describeThreshold } from '../policy/thresholds.js';
import { escapeMarkdownCell, formatMeasured, formatTarget, markdownCode } from './report-text.js';
import { caveatOf, countOutcomes, failsRun, outcomesByFamily, runResultOf, type CheckOutcome, type RunOutcome, type RunResult } from './run-outcome.js';

/**
 * Writes a Markdown summary of a run, for a CI job summary or a pull request comment: the result,
 * then one table per metric family (check, metric, column or group, value, threshold, severity,
 * result), then notes with the reasons for undefined values, warnings and caveats.
 */

const resultWords: Record<RunResult, string> = {
  passed: 'passed',
  passed_with_warnings: 'passed with warnings',
  failed: 'failed',
};

const familyTitles: Record<string, string> = {
  fairness: 'Fairness',
  performance: 'Performance',
  calibration: 'Calibration',
  drift: 'Drift',
  quality: 'Data quality',
};

export function renderMarkdownReport(run: RunOutcome): string {
  const counts = countOutcomes(run.outcomes);
  const title = run.policyName ? `Measurement check: ${escapeMarkdownCell(run.policyName)}` : `Measurement of ${escapeMarkdownCell(run.aiSystemName)}`;
  const lines = [
    `# ${title}`,
    '',
    `**Result: ${resultWords[runResultOf(run.outcomes)]}.** ${counts.total} outcome${counts.total === 1 ? '' : 's'}: ${counts.passed} passed, ${counts.failed} failed, ${counts.undefined} undefined; ${counts.failingRun} fail${counts.failingRun === 1 ? 's' : ''} the run.`,
    '',
    `AI system: ${escapeMarkdownCell(run.aiSystemName)}. Run from ${run.startedAt} to ${run.finishedAt} with custos ${escapeMarkdownCell(run.engineVersion)}.`,
  ];

  for (const [family, outcomes] of outcomesByFamily(run.outcomes)) {
    lines.push('', `## ${familyTitles[family] ?? family}`, '', '| Check | Metric | Column / group | Value | Threshold | Severity | Result |', '|---|---|---|---:|---|---|---|');
    for (const outcome of outcomes) lines.push(tableRow(outcome));
  }

  const notes = notesOf(run.outcomes);
  if (notes.length > 0) lines.push('', '## Notes', '', ...notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}

function tableRow(outcome: CheckOutcome): string {
  const result = failsRun(outcome) ? `**${outcome.result}**` : outcome.result;
  const cells = [
    markdownCode(outcome.checkId),
    markdownCode(outcome.metric),
    escapeMarkdownCell(formatTarget(outcome)),
    formatMeasured(outcome.value),
    escapeMarkdownCell(describeThreshold(outcome.threshold)),
    outcome.severity,
    result,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Lists why values are undefined, the warnings the measures gave, and each caveat once. */
function notesOf(outcomes: readonly CheckOutcome[]): string[] {
  const notes: string[] = [];
  for (const outcome of outcomes) {
    const where = `${markdownCode(outcome.checkId)} (${escapeMarkdownCell(formatTarget(outcome))})`;
    if (!outcome.value.defined) notes.push(`${where}: undefined because ${escapeMarkdownCell(outcome.value.reason)}.`);
    for (const warning of outcome.value.warnings) notes.push(`${where}: ${escapeMarkdownCell(warning)}`);
  }
  const caveats = new Map<string, string>();
  for (const outcome of outcomes) {
    const caveat = caveatOf(outcome.metric);
    if (caveat) caveats.set(outcome.metric, caveat);
  }
  for (const [metric, caveat] of caveats) notes.push(`${markdownCode(metric)}: ${escapeMarkdownCell(caveat)}.`);
  return notes;
}
