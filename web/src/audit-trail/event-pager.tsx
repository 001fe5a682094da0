import type { ReactNode } from 'react';
import { Button, Group, Text } from '@mantine/core';

interface Props {
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  onOffset: (offset: number) => void;
  /** Shown after the count, such as a link to the full audit trail. */
  children?: ReactNode;
}

/** Pages through a record's audit events, newest first: the range shown, then buttons for newer and older events. */
export function EventPager({ offset, shown, total, pageSize, onOffset, children }: Props) {
  return (
    <Group justify="space-between" wrap="wrap">
      <Text size="sm">
        {offset + 1}–{offset + shown} of {total} events
        {children}
      </Text>
      <Group gap="xs">
        <Button size="xs" variant="default" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
          Newer events
        </Button>
        <Button size="xs" variant="default" disabled={offset + pageSize >= total} onClick={() => onOffset(offset + pageSize)}>
          Older events
        </Button>
      </Group>
    </Group>
  );
}
