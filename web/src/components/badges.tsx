import { Badge } from '@mantine/core';

/**
 * Tier and status badges: dark text on a light fill of the value's colour with a border in that
 * colour, so that small text keeps WCAG AA contrast (white on red or orange does not). The text
 * always names the value, so colour is never the only signal.
 */
const colours: Record<string, string> = {
  prohibited: 'red',
  'high-risk': 'red',
  transparency: 'orange',
  minimal: 'teal',
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'teal',
  approved: 'teal',
  applicable: 'teal',
  implemented: 'teal',
  passed: 'teal',
  passed_with_warnings: 'yellow',
  failed: 'red',
  excluded: 'gray',
  draft: 'blue',
  superseded: 'gray',
  partially_implemented: 'yellow',
  planned: 'yellow',
  not_started: 'orange',
  treatment_planned: 'yellow',
  in_progress: 'blue',
  completed: 'teal',
  open: 'orange',
  notice: 'grape',
  in_scope: 'blue',
  identified: 'gray',
  assessed: 'blue',
  treated: 'teal',
  accepted: 'grape',
  closed: 'gray',
  cancelled: 'gray',
  overdue: 'red',
  resolved: 'gray',
  pass: 'teal',
  fail: 'red',
  breached: 'red',
  expired: 'red',
  expiring: 'orange',
  undefined: 'gray',
};

export function ToneBadge({ value, label, dashed = false, title }: { value: string; label?: string; dashed?: boolean; title?: string }) {
  const colour = colours[value] ?? 'gray';
  return (
    <Badge
      variant="outline"
      tt="none"
      title={title}
      styles={{
        label: { overflow: 'visible' },
        root: {
          flexShrink: 0,
          backgroundColor: `var(--mantine-color-${colour}-1)`,
          borderColor: `var(--mantine-color-${colour}-7)`,
          borderStyle: dashed ? 'dashed' : 'solid',
          color: 'var(--mantine-color-dark-9)',
        },
      }}
    >
      {label ?? humanize(value)}
    </Badge>
  );
}

/** An EU AI Act tier or impact level; a stale classification says so in words and with a dashed border. */
export function TierBadge({ tier, stale }: { tier: string | null | undefined; stale?: boolean }) {
  if (!tier) return <ToneBadge value="unclassified" label="not classified" />;
  return (
    <ToneBadge
      value={tier}
      label={`${humanize(tier)}${stale ? ' (stale)' : ''}`}
      dashed={stale}
      title={stale ? 'The classification is stale: an input changed since it was made' : undefined}
    />
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <ToneBadge value={status} />;
}

/** `in_progress` → `in progress`; `high-risk` stays as it is. */
export function humanize(value: string): string {
  return value.replace(/_/g, ' ');
}
