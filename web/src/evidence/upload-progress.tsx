import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { errorLines, errorTitle } from '../components/error-alert';
import { formatBytes } from './format';
import { cancelUpload, isRunning, type UploadTask } from './upload-store';

/** Percentage of the request body sent, 0 to 100. */
export function uploadPercent(task: UploadTask): number {
  if (task.totalBytes === 0) return task.state === 'uploading' ? 0 : 100;
  return Math.min(100, Math.round((task.sentBytes / task.totalBytes) * 100));
}

export function uploadName(task: UploadTask): string {
  return task.request.action === 'create' ? task.request.metadata.title || task.request.file.name : `New file for "${task.request.evidenceTitle}"`;
}

/**
 * Describes the state of one upload in words, with the percentage the bar shows. A form that shows
 * the error next to its fields passes `withError: false`, so the message appears only once.
 */
export function describeUpload(task: UploadTask, withError = true): string {
  const percent = uploadPercent(task);
  switch (task.state) {
    case 'uploading':
      return `${percent} % sent (${formatBytes(task.sentBytes)} of ${formatBytes(task.totalBytes)})`;
    case 'storing':
      return '100 % sent; the server is computing the SHA-256 and storing the file';
    case 'linking':
      return 'Stored; adding the link';
    case 'done':
      return `${task.request.action === 'create' ? 'Uploaded' : 'File replaced'}; SHA-256 ${task.evidence?.sha256 ?? 'not returned'}`;
    case 'cancelled':
      return 'Cancelled; nothing was stored';
    case 'failed':
      if (!withError) return task.linkFailed ? 'Stored, but the link was not made' : 'Not stored';
      return task.linkFailed ? `Stored, but the link failed: ${errorLines(task.error).join('; ')}` : `${errorTitle(task.error)}: ${errorLines(task.error).join('; ')}`;
  }
}

/** Renders one upload with its progress bar, its state in words and, while it sends, a cancel button. */
export function UploadProgress({ task, compact = false, withError = true }: { task: UploadTask; compact?: boolean; withError?: boolean }) {
  const percent = uploadPercent(task);
  const failed = task.state === 'failed';
  let colour = 'blue';
  if (failed) colour = 'red';
  else if (task.state === 'done') colour = 'teal';
  return (
    <Stack gap={4} data-testid="upload-progress">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={500} truncate="end">
          {uploadName(task)}
        </Text>
        {isRunning(task) && task.state === 'uploading' && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => cancelUpload(task.id)}>
            Cancel
          </Button>
        )}
      </Group>
      <Progress
        value={percent}
        aria-label={`Upload of ${task.request.file.name}`}
        color={colour}
        striped={task.state === 'storing' || task.state === 'linking'}
        animated={task.state === 'storing' || task.state === 'linking'}
        size={compact ? 'sm' : 'md'}
      />
      <Text size="xs" c={failed ? 'red.8' : 'dimmed'} role={failed && withError ? 'alert' : undefined} data-testid="upload-state">
        {describeUpload(task, withError)}
      </Text>
    </Stack>
  );
}
