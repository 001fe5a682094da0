import { Badge } from '@mantine/core';
import type { CheckResult, RunResult } from './measurement-api';

/** Outcome badges carry their text; colour only repeats it. */

// Mantine cuts a badge's label with an ellipsis when its box is narrow; these badges keep their
// whole text and do not shrink, so a narrow table cell grows or its table scrolls instead.
const wholeText = { root: { flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible', textOverflow: 'clip' } } as const;

// Outline badges with dark text keep a contrast of at least 4.5:1 on white, striped and hovered rows.
const textColours: Record<string, string> = { 'teal.9': '#065f46', 'red.9': '#9b1c1c', 'orange.9': '#212529', 'gray.7': '#343a40' };
const runColours: Record<RunResult, string> = { passed: 'teal.9', passed_with_warnings: 'orange.9', failed: 'red.9' };
const runText: Record<RunResult, string> = { passed: 'passed', passed_with_warnings: 'passed with warnings', failed: 'failed' };

export function RunResultBadge({ result }: { result: RunResult }) {
  return (
    <Badge color={runColours[result]} c={textColours[runColours[result]]} variant="outline" styles={wholeText}>
      {runText[result]}
    </Badge>
  );
}

const checkColours: Record<CheckResult, string> = { passed: 'teal.9', failed: 'red.9', undefined: 'gray.7' };

export function CheckResultBadge({ result, severity }: { result: CheckResult; severity?: 'error' | 'warning' }) {
  const suffix = severity === 'warning' && result !== 'passed' ? ' (warning)' : '';
  return (
    <Badge color={checkColours[result]} c={textColours[checkColours[result]]} variant="outline" styles={wholeText}>
      {result}
      {suffix}
    </Badge>
  );
}

/** Yes or no in words, with a colour that repeats it. */
export function FlagBadge({ flagged, yes, no }: { flagged: boolean; yes: string; no: string }) {
  return (
    <Badge color={flagged ? 'red.9' : 'teal.9'} c={flagged ? textColours['red.9'] : textColours['teal.9']} variant="outline" styles={wholeText}>
      {flagged ? yes : no}
    </Badge>
  );
}
