import { Alert, Button, Group, Text } from '@mantine/core';

/**
 * What a 412 from the API means, and the way out: reload the record as it is now and apply the
 * edit again. The edit itself stays in the form, so nothing typed is lost.
 */
export function ConflictAlert({ onReload }: { onReload: () => void }) {
  return (
    <Alert
      color="orange"
      title="Someone else changed this record since you opened it"
      role="alert"
      // The orange title falls below 4.5:1 contrast on the light fill; the text colour keeps it legible.
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      <Text size="sm">
        Your edit was not saved, so that it does not overwrite their change. Reload to see the current version; what you typed stays in the form so
        you can apply it again.
      </Text>
      <Group mt="xs">
        <Button size="xs" variant="light" color="orange" onClick={onReload}>
          Reload the current version
        </Button>
      </Group>
    </Alert>
  );
}
