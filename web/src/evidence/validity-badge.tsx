import { Box, Group, Text } from '@mantine/core';
import { daysUntil } from './format';

/** Days before the end of validity from which evidence is flagged as expiring. */
export const expiringWithinDays = 30;

/** Describes the validity of evidence in words, so that expired and expiring evidence never depend on colour alone. */
export function describeValidity(validUntil: string | null, now: Date = new Date()): { text: string; state: 'none' | 'valid' | 'expiring' | 'expired' } {
  if (!validUntil) return { text: 'No expiry', state: 'none' };
  const days = daysUntil(validUntil, now);
  if (days < 0) return { text: `Expired on ${validUntil}`, state: 'expired' };
  if (days === 0) return { text: 'Expires today', state: 'expiring' };
  if (days <= expiringWithinDays) return { text: `Expires in ${days} day${days === 1 ? '' : 's'} (${validUntil})`, state: 'expiring' };
  return { text: `Valid until ${validUntil}`, state: 'valid' };
}

const colours = { none: 'gray', valid: 'teal', expiring: 'orange', expired: 'red' } as const;

/** Renders the validity in words after a coloured dot. The words alone name the state, and they read at full contrast. */
export function ValidityBadge({ validUntil }: { validUntil: string | null }) {
  const { text, state } = describeValidity(validUntil);
  return (
    <Group gap={6} wrap="nowrap" data-validity={state}>
      <Box w={8} h={8} bg={`${colours[state]}.6`} style={{ borderRadius: '50%', flex: 'none' }} aria-hidden />
      <Text size="xs" fw={500} style={{ whiteSpace: 'nowrap' }}>
        {text}
      </Text>
    </Group>
  );
}
