import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { api, ApiError } from '../api/client';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { assessmentKeys, type Assessment, type MaturityScale } from './assessment-api';

/** Starts a gap assessment over every clause and Annex A control; the API checks the title and target level. */
export function StartAssessmentButton({ scale, onStarted }: { scale: MaturityScale; onStarted: (created: Assessment) => void }) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [title, setTitle] = useState('');
  const [targetLevel, setTargetLevel] = useState(String(scale.defaultTargetLevel));
  const create = useMutation({
    mutationFn: () => api<Assessment>('/assessments', { method: 'POST', body: { title, mode: 'gap', targetLevel: Number(targetLevel) } }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: assessmentKeys.list });
      setOpened(false);
      setTitle('');
      onStarted(created);
    },
  });
  const fieldError = (field: string) => (create.error instanceof ApiError ? create.error.fieldMessage(field) : undefined);
  const placed = fieldError('title') !== undefined || fieldError('targetLevel') !== undefined;

  return (
    <>
      <Button size="sm" variant="light" onClick={() => setOpened(true)}>
        Start a gap assessment
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Start a gap assessment" centered>
        <Stack
          gap="sm"
          component="form"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Text size="sm">Every clause of ISO/IEC 42001 and every Annex A control becomes an item to answer with a maturity level.</Text>
          <TextInput label="Title" value={title} onChange={(event) => setTitle(event.currentTarget.value)} error={fieldError('title')} data-autofocus />
          <NativeSelect
            label="Target level"
            value={targetLevel}
            onChange={(event) => setTargetLevel(event.currentTarget.value)}
            data={scale.levels.filter((level) => level.level > 0).map((level) => ({ value: String(level.level), label: `${level.level} ${level.name}` }))}
            error={fieldError('targetLevel')}
          />
          {create.isError && !placed && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Start the assessment
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Completes and freezes an assessment after a confirmation. The API rejects this while items are unanswered. */
export function CompleteAssessmentButton({ assessment }: { assessment: Assessment }) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const complete = useMutation({
    mutationFn: () => api<Assessment>(`/assessments/${encodeURIComponent(assessment.id)}/complete`, { method: 'POST', ifMatch: assessment.version }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: assessmentKeys.all });
      setOpened(false);
    },
  });
  const conflict = complete.error instanceof ApiError && complete.error.status === 412;
  const open = assessment.progress.unansweredCount;

  return (
    <>
      <Button size="sm" color="teal" onClick={() => setOpened(true)}>
        Complete the assessment
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Complete "${assessment.title}"?`} centered>
        <Stack gap="sm">
          <Text size="sm">Completing freezes every answer and adds the scores to the trend.</Text>
          {open > 0 && (
            <Text size="sm" c="orange.9" fw={500}>
              {open} items are still unanswered. Completion is rejected until each has a level or is marked not applicable.
            </Text>
          )}
          {conflict && (
            <ConflictAlert
              onReload={() => {
                complete.reset();
                void queryClient.invalidateQueries({ queryKey: assessmentKeys.list });
              }}
            />
          )}
          {complete.isError && !conflict && <ErrorAlert error={complete.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button color="teal" onClick={() => complete.mutate()} loading={complete.isPending}>
              Complete and freeze
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
