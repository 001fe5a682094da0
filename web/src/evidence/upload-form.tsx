import { useState, type DragEvent, type FormEvent } from 'react';
import { Alert, Box, Button, FileInput, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { ApiError, type ErrorDetail } from '../api/client';
import { plainFieldMessage } from '../api/plain-words';
import { ErrorAlert } from '../components/error-alert';
import { humanize } from '../components/badges';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { confidentialityLevels, evidenceKinds, useUploadLimit } from './evidence-api';
import { formatBytes, oversizeMessage } from './format';
import { LinkTargetPicker, type LinkTargetValue } from './link-target-picker';
import { UploadProgress } from './upload-progress';
import { isRunning, startUpload, useUploads, type EvidenceMetadata, type UploadRequest } from './upload-store';

/** The metadata fields the form shows next to their API error, by the last segment of the error's path. */
const metadataFields = ['title', 'kind', 'description', 'validUntil', 'confidentiality'] as const;

export const emptyMetadata: EvidenceMetadata = { title: '', kind: 'report', description: '', validUntil: '', confidentiality: 'internal' };

/** True when the detail concerns the file part: its size, name or media type. */
function isFileDetail(detail: ErrorDetail): boolean {
  return /(^|\/)file(\/|$)/.test(detail.path);
}

/** Returns the message about the file part in plain words, if any. */
function fileMessage(error: ApiError | undefined): string | undefined {
  if (!error) return undefined;
  if (error.code === 'BODY_TOO_LARGE') return error.message;
  const messages = error.details.filter(isFileDetail).map((detail) => plainFieldMessage(detail.message));
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/**
 * Returns the part of the error that no field of the form shows, or undefined when the fields show
 * all of it, so that each message appears once: next to its field, or above the buttons.
 */
function unplacedPart(error: ApiError): ApiError | undefined {
  if (error.code === 'BODY_TOO_LARGE') return undefined;
  if (error.details.length === 0) return error;
  const placed = (detail: ErrorDetail) => isFileDetail(detail) || (metadataFields as readonly string[]).includes(detail.path.split('/').filter(Boolean).at(-1) ?? '');
  const rest = error.details.filter((detail) => !placed(detail));
  if (rest.length === 0) return undefined;
  return new ApiError(error.status, error.code, error.message, rest);
}

/**
 * Renders the upload form: a file chosen or dropped, its metadata and a first link. Sending hands
 * the upload to the upload store, so it goes on if the user leaves the screen. The form shows its
 * progress and, on failure, the API's message next to the field concerned, keeping every value.
 */
export function UploadForm({ initial, onClose }: { initial?: Extract<UploadRequest, { action: 'create' }>; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(initial?.file ?? null);
  const [metadata, setMetadata] = useState<EvidenceMetadata>(initial?.metadata ?? emptyMetadata);
  const [link, setLink] = useState<LinkTargetValue>(initial?.link ?? { targetType: 'catalogue_item', targetId: null });
  const [taskId, setTaskId] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const uploads = useUploads();
  const uploadLimit = useUploadLimit();
  const task = uploads.find((candidate) => candidate.id === taskId);
  // Checked before sending, so that a file over the limit is not sent only to be rejected with 413.
  const oversize = file ? oversizeMessage(file, uploadLimit.data?.maxFileBytes) : undefined;

  const running = task !== undefined && isRunning(task);
  const finished = task?.state === 'done';
  const error = task?.state === 'failed' ? task.error : undefined;
  const linkFailed = task?.linkFailed === true;
  const dirty = !running && !finished && (file !== null || metadata.title !== '' || metadata.description !== '' || metadata.validUntil !== '');

  const set = (field: keyof EvidenceMetadata) => (value: string | null) => setMetadata((current) => ({ ...current, [field]: value ?? '' }));
  const fieldError = (field: string) => (error && !linkFailed ? error.fieldMessage(field) : undefined);
  const unplaced = error && unplacedPart(error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file || oversize) return;
    const firstLink = link.targetId ? { targetType: link.targetType, targetId: link.targetId } : null;
    setTaskId(startUpload({ action: 'create', file, metadata, link: firstLink }));
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };

  const reset = () => {
    setFile(null);
    setMetadata(emptyMetadata);
    setLink({ targetType: 'catalogue_item', targetId: null });
    setTaskId(null);
  };

  return (
    <Paper withBorder p="md" mb="md" component="section" aria-labelledby="upload-heading">
      <UnsavedChangesGuard dirty={dirty} what="the evidence you were about to upload" />
      <Title order={2} size="h4" id="upload-heading" mb="sm">
        Upload evidence
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Box
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={drop}
            p="sm"
            style={{ border: `2px dashed var(--mantine-color-${dragging ? 'blue-6' : 'gray-4'})`, borderRadius: 'var(--mantine-radius-md)' }}
            data-testid="evidence-drop-zone"
          >
            <FileInput
              label="File"
              description={dragging ? 'Drop the file to choose it' : 'Choose a file, or drop it on this box'}
              value={file}
              onChange={setFile}
              clearable
              clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
              withAsterisk
              disabled={running}
              error={oversize ?? fileMessage(error)}
            />
            {file && (
              <Text size="xs" c="dimmed" mt={4}>
                {formatBytes(file.size)}, {file.type || 'no media type known; sent as application/octet-stream'}
              </Text>
            )}
          </Box>

          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Title" withAsterisk value={metadata.title} onChange={(event) => set('title')(event.currentTarget.value)} error={fieldError('title')} disabled={running} />
            <Select
              label="Kind"
              withAsterisk
              data={evidenceKinds.map((kind) => ({ value: kind, label: humanize(kind) }))}
              value={metadata.kind}
              onChange={set('kind')}
              allowDeselect={false}
              error={fieldError('kind')}
              disabled={running}
            />
            <TextInput
              label="Valid until"
              description="Last day the evidence counts as current; leave empty if it does not expire"
              type="date"
              value={metadata.validUntil}
              onChange={(event) => set('validUntil')(event.currentTarget.value)}
              error={fieldError('validUntil')}
              disabled={running}
            />
            <Select
              label="Confidentiality"
              description="The file of restricted evidence is only for a few roles and its uploader"
              data={confidentialityLevels.map((level) => ({ value: level, label: level }))}
              value={metadata.confidentiality}
              onChange={set('confidentiality')}
              allowDeselect={false}
              error={fieldError('confidentiality')}
              disabled={running}
            />
          </SimpleGrid>
          <Textarea
            label="Description"
            description="What the file contains and what it demonstrates"
            autosize
            minRows={2}
            value={metadata.description}
            onChange={(event) => set('description')(event.currentTarget.value)}
            error={fieldError('description')}
            disabled={running}
          />
          <LinkTargetPicker
            value={link}
            onChange={setLink}
            typeLabel="First link: what it supports"
            targetLabel="Linked record (optional)"
            error={linkFailed ? (error?.fieldMessage('targetId') ?? error?.message) : undefined}
            disabled={running}
          />

          {error && !linkFailed && unplaced && <ErrorAlert error={unplaced} />}
          {linkFailed && (
            <Alert color="orange" title="The file was stored, but the link was not made" styles={{ title: { color: 'var(--mantine-color-text)' } }}>
              Add the link from the evidence in the list below.
            </Alert>
          )}
          {task && <UploadProgress task={task} withError={false} />}

          <Group justify="flex-end" gap="sm">
            {finished ? (
              <>
                <Button variant="default" onClick={onClose}>
                  Close
                </Button>
                <Button onClick={reset}>Upload another file</Button>
              </>
            ) : (
              <>
                <Button variant="default" onClick={onClose}>
                  {running ? 'Hide the form, keep uploading' : 'Cancel'}
                </Button>
                <Button type="submit" disabled={!file || running || oversize !== undefined} loading={running}>
                  {error ? 'Send again' : 'Upload'}
                </Button>
              </>
            )}
          </Group>
          {!file && !task && (
            <Text size="xs" c="dimmed">
              Choose a file to enable the upload.
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
