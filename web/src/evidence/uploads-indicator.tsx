import { Button, Divider, Group, Popover, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { UploadProgress, uploadPercent } from './upload-progress';
import { clearFinishedUploads, isRunning, useUploads } from './upload-store';

/**
 * A small "Uploads" button for the app header, shown once this tab has started an upload. It
 * shows how many run and how far they are, and opens a list of every upload with its progress,
 * so that a user who left the evidence screen can follow an upload from anywhere.
 */
export function UploadsIndicator() {
  const uploads = useUploads();
  if (uploads.length === 0) return null;

  const running = uploads.filter(isRunning);
  const failed = uploads.filter((task) => task.state === 'failed').length;
  const sent = running.reduce((sum, task) => sum + task.sentBytes, 0);
  const total = running.reduce((sum, task) => sum + task.totalBytes, 0);
  const percent = total > 0 ? Math.round((sent / total) * 100) : 100;

  let label = `Uploads: ${uploads.length} finished`;
  if (running.length > 0) label = `Uploading ${running.length}: ${running.length === 1 ? uploadPercent(running[0]!) : percent} %`;
  else if (failed > 0) label = `Uploads: ${failed} failed`;

  return (
    <Popover width={340} position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Button size="xs" variant={running.length > 0 ? 'light' : 'default'} color={failed > 0 && running.length === 0 ? 'red' : 'blue'} data-testid="uploads-indicator">
          {label}
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-label="Uploads">
        <Stack gap="sm">
          {uploads.map((task) => (
            <UploadProgress key={task.id} task={task} compact />
          ))}
          <Divider />
          <Group justify="space-between">
            <Button component={Link} to="/evidence" size="compact-xs" variant="subtle">
              Open the evidence list
            </Button>
            {running.length < uploads.length && (
              <Button size="compact-xs" variant="subtle" color="gray" onClick={clearFinishedUploads}>
                Clear finished
              </Button>
            )}
          </Group>
          {running.length > 0 && (
            <Text size="xs" c="dimmed">
              Uploads go on while you use other screens; closing or reloading the tab stops them.
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
