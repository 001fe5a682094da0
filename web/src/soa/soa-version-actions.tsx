import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { api, ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { soaKeys, type SoaVersion } from './soa-api';

/** Starts a draft copied from the latest approved version (or an empty one when none is approved), after a confirmation. */
export function SoaStartDraftButton({ onStarted, hasApproved }: { onStarted: (created: SoaVersion) => void; hasApproved: boolean }) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const start = useMutation({
    mutationFn: () => api<SoaVersion>('/soa/versions', { method: 'POST', body: hasApproved ? { basedOn: 'latest-approved' } : { basedOn: 'empty' } }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: soaKeys.all });
      setOpened(false);
      onStarted(created);
    },
  });

  return (
    <>
      <Button size="sm" variant="light" onClick={() => setOpened(true)}>
        Start a new draft
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Start a new draft?" centered>
        <Stack gap="sm">
          <Text size="sm">
            {hasApproved
              ? 'The draft copies every decision of the latest approved version. The approved version stays as it is until the draft is approved.'
              : 'The draft starts with every control undecided.'}
          </Text>
          {start.isError && <ErrorAlert error={start.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button onClick={() => start.mutate()} loading={start.isPending} data-autofocus>
              Start the draft
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/**
 * Approves a draft after a confirmation with an optional note. The API rejects an approver who
 * started or edited the draft, so for them the button is disabled with the reason next to it.
 * It also rejects a draft with undecided controls; the dialog shows that message.
 */
export function SoaApproveButton({ version }: { version: SoaVersion }) {
  const session = useSession();
  if (version.authors.includes(session.user.id)) {
    const reasonId = `approve-v${version.number}-reason`;
    return (
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" id={reasonId} maw={340} ta="right">
          You started or edited v{version.number}, so you may not approve it. An approver who did not write the draft must approve it.
        </Text>
        <Button size="sm" color="teal.9" disabled aria-describedby={reasonId}>
          Approve v{version.number}
        </Button>
      </Group>
    );
  }
  return <ApproveDialogButton version={version} />;
}

function ApproveDialogButton({ version }: { version: SoaVersion }) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [comment, setComment] = useState('');
  const approve = useMutation({
    mutationFn: () =>
      api<SoaVersion>(`/soa/versions/${encodeURIComponent(version.id)}/approve`, {
        method: 'POST',
        body: comment.trim() ? { comment: comment.trim() } : {},
        ifMatch: version.version,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: soaKeys.all });
      setOpened(false);
      setComment('');
    },
  });
  const conflict = approve.error instanceof ApiError && approve.error.status === 412;

  return (
    <>
      <Button size="sm" color="teal.9" onClick={() => setOpened(true)}>
        Approve v{version.number}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Approve v${version.number}?`} centered>
        <Stack gap="sm">
          <Text size="sm">
            Approval freezes all {version.counts.controls} controls of this version: {version.counts.applicable} applicable and {version.counts.excluded} excluded.
            Later changes need a new draft.
          </Text>
          {version.counts.undecided > 0 && (
            <Text size="sm" c="orange.9" fw={500}>
              {version.counts.undecided} controls are still undecided. Approval is rejected until every control is decided.
            </Text>
          )}
          <Textarea label="Approval note (optional)" value={comment} onChange={(event) => setComment(event.currentTarget.value)} autosize minRows={2} maxLength={2000} />
          {conflict && (
            <ConflictAlert
              onReload={() => {
                approve.reset();
                void queryClient.invalidateQueries({ queryKey: soaKeys.all });
              }}
            />
          )}
          {approve.isError && !conflict && <ErrorAlert error={approve.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button color="teal.9" onClick={() => approve.mutate()} loading={approve.isPending}>
              Approve and freeze
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
