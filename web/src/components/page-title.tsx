import { useEffect, type ReactNode } from 'react';
import { Group, Text, Title } from '@mantine/core';

/**
 * The screen's heading, also used as the browser tab's title. It takes focus programmatically
 * (tabindex -1) when the app moves to another screen.
 */
export function PageTitle({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · custos`;
  }, [title]);
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
      <div>
        <Title order={1} size="h2" tabIndex={-1}>
          {title}
        </Title>
        {subtitle && (
          <Text c="dimmed" size="sm">
            {subtitle}
          </Text>
        )}
      </div>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}
