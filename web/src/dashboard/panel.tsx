import type { ReactNode } from 'react';
import { Anchor, Group, Paper, Title } from '@mantine/core';
import { Link } from 'react-router';

/** One dashboard panel: a titled section with a link to the screen that has the details. */
export function Panel({ title, link, children, testId }: { title: string; link?: { to: string; label: string }; children: ReactNode; testId?: string }) {
  const headingId = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <Paper withBorder p="md" radius="sm" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Group justify="space-between" align="baseline" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h4" id={headingId}>
          {title}
        </Title>
        {link && (
          <Anchor component={Link} to={link.to} size="sm">
            {link.label}
          </Anchor>
        )}
      </Group>
      {children}
    </Paper>
  );
}
