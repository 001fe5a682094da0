import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Anchor, Badge, Button, Code, Divider, FileInput, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { useCan, useSession } from '../auth/session';
import { humanize } from '../components/badges';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert, errorLines } from '../components/error-alert';
import { QueryState } from '../components/query-state';
import { linkTargetLabels, linkTargetPath, useEvidence, usePeopleNames, useUploadLimit, type Evidence, type EvidenceLink } from './evidence-api';
import { EvidenceMetadataForm } from './evidence-metadata-form';
import { formatBytes, formatInstant, oversizeMessage } from './format';
import { LinkTargetPicker, type LinkTargetValue } from './link-target-picker';
import { UploadProgress } from './upload-progress';
import { isRunning, startUpload, useUploads } from './upload-store';
import { ValidityBadge } from './validity-badge';

/** Renders one evidence record: its metadata, download and links, and for roles that may change evidence, link changes and file replacement. */
export function EvidenceDetail({ id, onDirtyChange }: { id: string; onDirtyChange: (dirty: boolean) => void }) {
  const evidence = useEvidence(id);
  return (
    <QueryState query={evidence} label="the evidence">
      {(record) => <EvidenceRecordView evidence={record} onReload={() => void evidence.refetch()} onDirtyChange={onDirtyChange} />}
    </QueryState>
  );
}

function EvidenceRecordView({ evidence, onReload, onDirtyChange }: { evidence: Evidence; onReload: () => void; onDirtyChange: (dirty: boolean) => void }) {
  const can = useCan();
  const session = useSession();
  const mayWrite = can('evidence.write');
  // The same rule as the API's download check; the server enforces it either way.
  const mayDownload = evidence.confidentiality !== 'restricted' || can('evidence.read_restricted') || evidence.uploadedBy === session.user.id;
  const people = usePeopleNames();
  const [editing, setEditing] = useState(false);
  const edit = (value: boolean) => {
    setEditing(value);
    if (!value) onDirtyChange(false);
  };
  const collectedBy = evidence.collectedByPersonId ? (people.data?.get(evidence.collectedByPersonId) ?? evidence.collectedByPersonId) : 'not recorded';

  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          {evidence.title}
        </Title>
        <Group gap="xs" mt={4}>
          <Badge variant="outline" color="gray.7" tt="none">
            {humanize(evidence.kind)}
          </Badge>
          <Badge variant="outline" color={evidence.confidentiality === 'restricted' ? 'red.9' : 'gray.7'} tt="none">
            {evidence.confidentiality}
          </Badge>
          <ValidityBadge validUntil={evidence.validUntil} />
        </Group>
        {evidence.description && (
          <Text size="sm" mt="xs">
            {evidence.description}
          </Text>
        )}
      </div>

      <Table variant="vertical" layout="fixed" withTableBorder fz="sm">
        <Table.Tbody>
          <Row label="File">{evidence.fileName}</Row>
          <Row label="Media type">{evidence.mediaType}</Row>
          <Row label="Size">
            {formatBytes(evidence.sizeBytes)} ({evidence.sizeBytes.toLocaleString()} bytes)
          </Row>
          <Row label="SHA-256">
            <Code style={{ wordBreak: 'break-all' }} data-testid="evidence-sha256">
              {evidence.sha256}
            </Code>
          </Row>
          <Row label="Collected">{formatInstant(evidence.collectedAt)}</Row>
          <Row label="Collected by">{collectedBy}</Row>
          <Row label="Valid until">{evidence.validUntil ?? 'does not expire'}</Row>
          <Row label="Version">
            {evidence.version}, changed {formatInstant(evidence.updatedAt)}
          </Row>
        </Table.Tbody>
      </Table>

      <Group>
        {mayDownload ? (
          <Button component="a" href={`/api/evidence/${encodeURIComponent(evidence.id)}/content`} download={evidence.fileName} variant="light">
            Download {evidence.fileName}
          </Button>
        ) : (
          <Text size="sm">The file is restricted: only its uploader and the roles that may read restricted evidence can download it.</Text>
        )}
        {mayWrite && !editing && (
          <Button variant="default" onClick={() => edit(true)}>
            Edit details
          </Button>
        )}
      </Group>
      {mayWrite && editing && <EvidenceMetadataForm evidence={evidence} onReload={onReload} onDone={() => edit(false)} onDirtyChange={onDirtyChange} />}

      <Divider />
      <EvidenceLinks evidence={evidence} mayWrite={mayWrite} />
      {mayWrite && (
        <>
          <Divider />
          <ReplaceFile evidence={evidence} onReload={onReload} />
        </>
      )}
      {!mayWrite && (
        <Text size="sm" c="dimmed">
          Your role reads evidence only, so links and files cannot be changed here.
        </Text>
      )}
    </Stack>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={120}>{label}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

function EvidenceLinks({ evidence, mayWrite }: { evidence: Evidence; mayWrite: boolean }) {
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<LinkTargetValue>({ targetType: 'catalogue_item', targetId: null });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['evidence'] }), queryClient.invalidateQueries({ queryKey: ['audit-events'] })]);

  const addLink = useMutation({
    mutationFn: (link: { targetType: string; targetId: string }) =>
      api<EvidenceLink>(`/evidence/${encodeURIComponent(evidence.id)}/links`, { method: 'POST', body: link }),
    onSuccess: async () => {
      setTarget((current) => ({ ...current, targetId: null }));
      await refresh();
    },
  });
  const removeLink = useMutation({
    mutationFn: (link: EvidenceLink) =>
      api<void>(`/evidence/${encodeURIComponent(evidence.id)}/links/${link.targetType}/${encodeURIComponent(link.targetId)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });

  const addError = addLink.error instanceof ApiError ? (addLink.error.fieldMessage('targetId') ?? addLink.error.message) : undefined;

  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Supports ({evidence.links.length})
      </Title>
      {evidence.links.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not linked to any control, AI system or risk yet.
        </Text>
      ) : (
        <List size="sm" spacing={4} listStyleType="none" p={0} data-testid="evidence-links">
          {evidence.links.map((link) => {
            const path = linkTargetPath(link);
            return (
              <List.Item key={`${link.targetType}:${link.targetId}`}>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" span>
                    {linkTargetLabels[link.targetType]}:{' '}
                    {path ? (
                      <Anchor component={Link} to={path} size="sm">
                        {link.targetId}
                      </Anchor>
                    ) : (
                      link.targetId
                    )}
                  </Text>
                  {mayWrite && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove the link to ${link.targetId}`}
                      loading={removeLink.isPending && removeLink.variables === link}
                      onClick={() => removeLink.mutate(link)}
                    >
                      Remove
                    </Button>
                  )}
                </Group>
              </List.Item>
            );
          })}
        </List>
      )}
      {removeLink.error && <ErrorAlert error={removeLink.error} />}
      {mayWrite && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (target.targetId) addLink.mutate({ targetType: target.targetType, targetId: target.targetId });
          }}
        >
          <Stack gap="xs">
            <LinkTargetPicker value={target} onChange={setTarget} typeLabel="Add a link to" targetLabel="Record to link" error={addError} />
            <Group justify="flex-end">
              <Button type="submit" size="xs" disabled={!target.targetId} loading={addLink.isPending}>
                Add link
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** Replaces the file with If-Match on the version shown, so a change made meanwhile by someone else is reported and not overwritten. */
function ReplaceFile({ evidence, onReload }: { evidence: Evidence; onReload: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [taskId, setTaskId] = useState<number | null>(null);
  const task = useUploads().find((candidate) => candidate.id === taskId);
  const running = task !== undefined && isRunning(task);
  const error = task?.state === 'failed' ? task.error : undefined;
  const conflict = error?.status === 412;
  const uploadLimit = useUploadLimit();
  const oversize = file ? oversizeMessage(file, uploadLimit.data?.maxFileBytes) : undefined;

  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Replace the file
      </Title>
      <Text size="xs" c="dimmed">
        The new file gets its own SHA-256 and the version goes up by one; the previous file stays in the evidence store, named by the audit trail.
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!file || oversize) return;
          setTaskId(startUpload({ action: 'replace', file, evidenceId: evidence.id, evidenceTitle: evidence.title, version: evidence.version }));
        }}
      >
        <Group align="flex-end" gap="sm" wrap="wrap">
          <FileInput
            label="New file"
            value={file}
            onChange={setFile}
            clearable
            clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
            disabled={running}
            error={oversize ?? (error && !conflict ? errorLines(error).join('; ') : undefined)}
            style={{ flex: 1, minWidth: 200 }}
          />
          <Button type="submit" variant="light" disabled={!file || running || oversize !== undefined} loading={running}>
            Replace file
          </Button>
        </Group>
      </form>
      {conflict && (
        <ConflictAlert
          onReload={() => {
            setTaskId(null);
            onReload();
          }}
        />
      )}
      {task && <UploadProgress task={task} withError={false} />}
    </Stack>
  );
}
