import { Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled note in neutral colours, so that its text keeps full contrast. */
export function Notice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <Title order={3} size="h6" mb={4}>
        {title}
      </Title>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Paper>
  );
}
