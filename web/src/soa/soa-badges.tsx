import { Badge } from '@mantine/core';
import { decisionLabels, statusLabels, type ImplementationStatus, type SoaDecision, type SoaStatus } from './soa-api';

/**
 * Decision and status badges carry their text, which may wrap inside a narrow table column. The
 * dot variant draws the text in the body colour, so that the colour of the dot is never needed to read it.
 */
const wrapping = { root: { height: 'auto', paddingBlock: 2 }, label: { whiteSpace: 'normal', overflow: 'visible' } } as const;

const decisionColours: Record<SoaDecision, string> = { applicable: 'blue', excluded: 'gray', undecided: 'orange' };

export function DecisionBadge({ decision }: { decision: SoaDecision }) {
  return (
    <Badge color={decisionColours[decision]} variant="dot" tt="none" styles={wrapping}>
      {decisionLabels[decision]}
    </Badge>
  );
}

const statusColours: Record<ImplementationStatus, string> = { not_started: 'red', planned: 'yellow', partially_implemented: 'orange', implemented: 'teal' };

export function ImplementationBadge({ status }: { status: ImplementationStatus }) {
  return (
    <Badge color={statusColours[status]} variant="dot" tt="none" styles={wrapping}>
      {statusLabels[status]}
    </Badge>
  );
}

const versionColours: Record<SoaStatus, string> = { draft: 'blue', approved: 'teal', discarded: 'gray' };

export function VersionStatusBadge({ status }: { status: SoaStatus }) {
  return (
    <Badge color={versionColours[status]} variant="dot" tt="none">
      {status}
    </Badge>
  );
}

/**
 * Alert titles in the body text colour: Mantine draws them in shade 9 of the alert's colour on a
 * shade 2 background, which is 4.3:1 for teal, below WCAG AA's 4.5:1.
 */
export function alertTitleStyles() {
  const color = 'var(--mantine-color-text)';
  return { title: { color }, label: { color } };
}
