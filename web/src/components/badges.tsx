import { Badge } from '@mantine/core';

/**
 * Tier and status badges always carry their text, so colour is never the only signal.
 * Colours follow severity: red for prohibited and high-risk, orange for transparency, grey when unknown.
 */
const tierColours: Record<string, string> = {
  prohibited: 'red.9',
  'high-risk': 'red',
  transparency: 'orange',
  minimal: 'teal',
  critical: 'red.9',
  high: 'red',
  low: 'teal',
};

export function TierBadge({ tier, stale }: { tier: string | null | undefined; stale?: boolean }) {
  if (!tier) {
    return (
      <Badge color="gray" variant="outline">
        not classified
      </Badge>
    );
  }
  return (
    <Badge color={tierColours[tier] ?? 'gray'} variant={stale ? 'outline' : 'filled'} title={stale ? 'The classification is stale: an input changed since it was made' : undefined}>
      {humanize(tier)}
      {stale ? ' (stale)' : ''}
    </Badge>
  );
}

const statusColours: Record<string, string> = {
  passed: 'teal',
  pass: 'teal',
  approved: 'teal',
  implemented: 'teal',
  closed: 'gray',
  failed: 'red',
  fail: 'red',
  breached: 'red',
  overdue: 'red',
  draft: 'blue',
  open: 'orange',
  in_progress: 'yellow',
  planned: 'yellow',
  undefined: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={statusColours[status] ?? 'gray'} variant="light">
      {humanize(status)}
    </Badge>
  );
}

/** `in_progress` → `in progress`; `high-risk` stays as it is. */
export function humanize(value: string): string {
  return value.replace(/_/g, ' ');
}
