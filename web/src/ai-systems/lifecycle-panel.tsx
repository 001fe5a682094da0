import { useState } from 'react';
import { Button, Group, NativeSelect, Paper, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { allowedNextStages, type LifecycleStage } from '../../../src/ai-systems/ai-system';
import { api, ApiError } from '../api/client';
import { useCan } from '../auth/session';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { aiSystemKey, aiSystemsKey, useLifecycleTransitions, type AiSystem } from './ai-systems-api';
import { formatDateTime, stageLabel } from './labels';

/** Shows the lifecycle stage and the recorded transitions, and gives editors a form to move to the next stage. */
export function LifecyclePanel({ system }: { system: AiSystem }) {
  const transitions = useLifecycleTransitions(system.id);
  const can = useCan();

  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Lifecycle
      </Title>
      <Text size="sm" mb="sm">
        Current stage: <strong>{stageLabel(system.lifecycleStage)}</strong>
      </Text>
      {transitions.isError && <ErrorAlert error={transitions.error} onRetry={() => void transitions.refetch()} />}
      {transitions.data && transitions.data.length === 0 && (
        <Text size="sm" c="dimmed">
          No stage change recorded since the system was registered.
        </Text>
      )}
      {transitions.data && transitions.data.length > 0 && (
        <Timeline bulletSize={12} lineWidth={2} mb="sm">
          {transitions.data.map((transition) => (
            <Timeline.Item key={transition.id} title={`${stageLabel(transition.fromStage)} → ${stageLabel(transition.toStage)}`}>
              <Text size="xs" c="dimmed">
                {formatDateTime(transition.occurredAt)}
              </Text>
              <Text size="sm">{transition.reason}</Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {can('ai_systems.write') && <TransitionForm key={system.lifecycleStage} system={system} />}
    </Paper>
  );
}

function TransitionForm({ system }: { system: AiSystem }) {
  const queryClient = useQueryClient();
  const nextStages = allowedNextStages(system.lifecycleStage as LifecycleStage);
  const [toStage, setToStage] = useState<string>(nextStages[0] ?? '');
  const [reason, setReason] = useState('');

  const move = useMutation({
    mutationFn: () =>
      api<{ aiSystem: AiSystem }>(`/ai-systems/${encodeURIComponent(system.id)}/lifecycle-transitions`, {
        method: 'POST',
        body: { toStage, reason },
        ifMatch: system.version,
      }),
    onSuccess: ({ aiSystem }) => {
      queryClient.setQueryData(aiSystemKey(aiSystem.id), aiSystem);
      void queryClient.invalidateQueries({ queryKey: aiSystemKey(aiSystem.id) });
      void queryClient.invalidateQueries({ queryKey: aiSystemsKey });
      setReason('');
    },
  });
  const error = move.error instanceof ApiError ? move.error : null;

  return (
    <form
      aria-label="Change lifecycle stage"
      onSubmit={(event) => {
        event.preventDefault();
        move.mutate();
      }}
    >
      <Stack gap="xs">
        {error?.status === 412 && <ConflictAlert onReload={() => void queryClient.invalidateQueries({ queryKey: aiSystemKey(system.id) }).then(() => move.reset())} />}
        {move.error && !(error && (error.status === 412 || error.fieldMessage('toStage') || error.fieldMessage('reason'))) && <ErrorAlert error={move.error} />}
        <NativeSelect
          label="Move to stage"
          value={toStage}
          onChange={(event) => setToStage(event.currentTarget.value)}
          data={nextStages.map((stage) => ({ value: stage, label: stageLabel(stage) }))}
          error={error?.fieldMessage('toStage')}
        />
        <Textarea label="Reason for the change" required value={reason} onChange={(event) => setReason(event.currentTarget.value)} error={error?.fieldMessage('reason')} autosize minRows={2} />
        <Group justify="flex-end">
          <Button type="submit" size="xs" variant="light" loading={move.isPending}>
            Record stage change
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
