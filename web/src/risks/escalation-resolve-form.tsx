import { useState } from 'react';
import { Button, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api, ApiError } from '../api/client';
import { humanize } from '../components/badges';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { fieldError, hasOtherErrors } from './field-errors';
import { manualEscalationOutcomes, type Escalation } from './risk-types';

const resolveFields = ['outcome', 'note'];

interface Props {
  escalation: Escalation;
  riskId: string;
  /** True when the caller's roles may resolve escalations at all and the caller is not read-only. */
  mayResolve: boolean;
  roles: readonly string[];
}

/**
 * Records the decision on an open escalation, sent with If-Match on the escalation's version.
 * Only holders of the role the escalation names are offered the form, and the API checks again.
 */
export function EscalationResolveForm({ escalation, riskId, mayResolve, roles }: Props) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<string>('treatment_planned');
  const [note, setNote] = useState('');

  const resolve = useMutation({
    // The note goes as typed, blank included, so that the API names the missing value at its path.
    mutationFn: () => api<Escalation>(`/risks/escalations/${escalation.id}/resolve`, { method: 'POST', body: { outcome, note }, ifMatch: escalation.version }),
    onSuccess: () => {
      for (const key of [['risk-escalations', riskId], ['risk', riskId], ['risks']]) void queryClient.invalidateQueries({ queryKey: key });
      notifications.show({ color: 'teal', closeButtonProps: { 'aria-label': 'Close the message' }, message: 'Recorded the decision on the escalation' });
      setNote('');
      setOpen(false);
    },
  });

  const refresh = () => {
    resolve.reset();
    void queryClient.invalidateQueries({ queryKey: ['risk-escalations', riskId] });
  };

  if (!roles.includes(escalation.escalateToRole)) {
    return (
      <Text size="xs" c="dimmed">
        Only a holder of the role {humanize(escalation.escalateToRole)} may record the decision.
      </Text>
    );
  }
  if (!mayResolve) return null;
  if (!open) {
    return (
      <Group mt={4}>
        <Button size="compact-xs" variant="light" onClick={() => setOpen(true)}>
          Record a decision
        </Button>
      </Group>
    );
  }

  const error = resolve.error;
  const conflict = error instanceof ApiError && error.status === 412;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        resolve.mutate();
      }}
      aria-label="Record the decision on the escalation"
    >
      <UnsavedChangesGuard dirty={note !== ''} what="the decision on the escalation" />
      <Stack gap="xs" mt="xs">
        {conflict && <ConflictAlert onReload={refresh} />}
        {!conflict && error && hasOtherErrors(error, resolveFields) && <ErrorAlert error={error} />}
        <Select
          label="Outcome"
          description="To accept the risk, use the acceptance instead"
          value={outcome}
          data={manualEscalationOutcomes.map((entry) => ({ value: entry.value, label: entry.label }))}
          onChange={(value) => setOutcome(value ?? 'treatment_planned')}
          allowDeselect={false}
          error={fieldError(error, 'outcome')}
        />
        <Textarea label="Decision note" description="What was decided and why" withAsterisk autosize minRows={2} value={note} onChange={(event) => setNote(event.currentTarget.value)} error={fieldError(error, 'note')} />
        <Group justify="flex-end">
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              setOpen(false);
              setNote('');
              resolve.reset();
            }}
          >
            Cancel
          </Button>
          <Button size="xs" type="submit" loading={resolve.isPending}>
            Resolve the escalation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
