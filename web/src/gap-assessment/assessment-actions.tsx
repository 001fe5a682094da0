import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
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

/** The fields of the mock audit form, as the API names them in its errors. */
const mockAuditFields = ['title', 'sampleSize', 'seed', 'includeOrganizationControls'] as const;

/**
 * Starts a mock audit over a sample of controls. The seed is optional: the API picks and records
 * one, and the same seed over the same controls draws the same sample again.
 */
export function StartMockAuditButton({ onStarted }: { onStarted: (created: Assessment) => void }) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [title, setTitle] = useState('');
  const [sampleSize, setSampleSize] = useState('10');
  const [seed, setSeed] = useState('');
  const [includeOrganizationControls, setIncludeOrganizationControls] = useState(false);
  const create = useMutation({
    // The numbers go as typed when they are not whole numbers, so that the API names the field and the rule.
    mutationFn: () =>
      api<Assessment>('/assessments', {
        method: 'POST',
        body: {
          title,
          mode: 'mock_audit',
          includeOrganizationControls,
          sampleSize: wholeNumberOr(sampleSize),
          ...(seed.trim() === '' ? {} : { seed: wholeNumberOr(seed) }),
        },
      }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: assessmentKeys.mockAudits });
      setOpened(false);
      setTitle('');
      setSeed('');
      onStarted(created);
    },
  });
  const apiError = create.error instanceof ApiError ? create.error : undefined;
  const fieldError = (field: string) => apiError?.fieldMessage(field);
  const placed = apiError?.concernsOnly(mockAuditFields) ?? false;

  return (
    <>
      <Button size="sm" variant="light" onClick={() => setOpened(true)}>
        Start a mock audit
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Start a mock audit" centered>
        <Stack
          gap="sm"
          component="form"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Text size="sm">A random sample of Annex A controls becomes the items of the audit; record a finding on each, as an internal auditor would.</Text>
          <TextInput label="Title" value={title} onChange={(event) => setTitle(event.currentTarget.value)} error={fieldError('title')} data-autofocus />
          <TextInput
            label="Sample size"
            description="Number of controls to draw"
            inputMode="numeric"
            value={sampleSize}
            onChange={(event) => setSampleSize(event.currentTarget.value)}
            error={fieldError('sampleSize')}
          />
          <TextInput
            label="Seed"
            description="Optional whole number; the same seed draws the same sample again"
            inputMode="numeric"
            value={seed}
            onChange={(event) => setSeed(event.currentTarget.value)}
            error={fieldError('seed')}
          />
          <Checkbox
            label="Include the organization's own controls"
            checked={includeOrganizationControls}
            onChange={(event) => setIncludeOrganizationControls(event.currentTarget.checked)}
            error={fieldError('includeOrganizationControls')}
          />
          {create.isError && !placed && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Start the mock audit
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Converts `text` to a number when it is a whole number, and otherwise returns it as typed, so that the API rejects it naming the field. */
function wholeNumberOr(text: string): number | string {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
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
  const mockAudit = assessment.mode === 'mock_audit';

  return (
    <>
      <Button size="sm" color="teal.9" onClick={() => setOpened(true)}>
        {mockAudit ? 'Complete the mock audit' : 'Complete the assessment'}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Complete "${assessment.title}"?`} centered>
        <Stack gap="sm">
          <Text size="sm">{mockAudit ? 'Completing freezes every finding.' : 'Completing freezes every answer and adds the scores to the trend.'}</Text>
          {open > 0 && (
            <Text size="sm" c="orange.9" fw={500}>
              {mockAudit
                ? `${open} sampled controls have no finding yet. Completion is rejected until each has a finding or is marked not applicable.`
                : `${open} items are still unanswered. Completion is rejected until each has a level or is marked not applicable.`}
            </Text>
          )}
          {conflict && (
            <ConflictAlert
              onReload={() => {
                complete.reset();
                // The list key is a prefix of the mock audits' key, so both lists reload.
                void queryClient.invalidateQueries({ queryKey: assessmentKeys.list });
              }}
            />
          )}
          {complete.isError && !conflict && <ErrorAlert error={complete.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button color="teal.9" onClick={() => complete.mutate()} loading={complete.isPending}>
              Complete and freeze
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
