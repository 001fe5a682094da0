import { useState } from 'react';
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { apiPath } from '../api/client';
import { ErrorAlert } from '../components/error-alert';
import { downloadWithProgress, type DownloadProgress } from './download';
import { exportFormats, type ExportFormat, type SoaVersion } from './soa-api';

type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; format: ExportFormat; progress: DownloadProgress }
  | { kind: 'done'; fileName: string }
  | { kind: 'failed'; error: unknown };

/**
 * Downloads the version as CSV, XLSX or printable HTML, with the bytes received shown while the
 * file arrives. The download goes on if the user keeps working on the screen.
 */
export function SoaExportButtons({ version }: { version: SoaVersion }) {
  const [state, setState] = useState<ExportState>({ kind: 'idle' });

  const start = async (format: ExportFormat) => {
    setState({ kind: 'running', format, progress: { receivedBytes: 0, totalBytes: null } });
    try {
      const path = apiPath(`/soa/versions/${encodeURIComponent(version.id)}/export`, { format });
      const fileName = await downloadWithProgress(path, (progress) => setState({ kind: 'running', format, progress }));
      setState({ kind: 'done', fileName });
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  };

  return (
    <Stack gap={4}>
      <Group gap="xs" role="group" aria-label={`Export version ${version.number}`}>
        <Text size="sm" fw={500}>
          Export v{version.number}:
        </Text>
        {exportFormats.map(({ format, label }) => (
          <Button
            key={format}
            size="xs"
            variant="default"
            onClick={() => void start(format)}
            loading={state.kind === 'running' && state.format === format}
            disabled={state.kind === 'running'}
          >
            {label}
          </Button>
        ))}
      </Group>
      {state.kind === 'running' && <ExportProgress progress={state.progress} />}
      {state.kind === 'done' && (
        <Text size="xs" c="dimmed" role="status">
          Downloaded {state.fileName}
        </Text>
      )}
      {state.kind === 'failed' && <ErrorAlert error={state.error} />}
    </Stack>
  );
}

function ExportProgress({ progress }: { progress: DownloadProgress }) {
  const kilobytes = (progress.receivedBytes / 1024).toFixed(1);
  if (progress.totalBytes === null || progress.totalBytes === 0) {
    return (
      <Text size="xs" role="status">
        Preparing the file… {kilobytes} KB received
      </Text>
    );
  }
  const percent = Math.min(100, Math.round((progress.receivedBytes / progress.totalBytes) * 100));
  return (
    <Stack gap={2} maw={320}>
      <Progress value={percent} size="sm" aria-label="Export progress" />
      <Text size="xs" role="status">
        {percent}% · {kilobytes} of {(progress.totalBytes / 1024).toFixed(1)} KB
      </Text>
    </Stack>
  );
}
