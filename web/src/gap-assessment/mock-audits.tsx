import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { api, ApiError, type Page } from '../api/client';
import { ToneBadge } from '../components/badges';
import { ConflictAlert } from '../components/conflict-alert';
import { DateTime } from '../components/date-time';
import { ErrorAlert } from '../components/error-alert';
import { QueryState } from '../components/query-state';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { ScrollRegion } from '../soa/scroll-region';
import { alertTitleStyles } from '../soa/soa-badges';
import { CompleteAssessmentButton, StartMockAuditButton } from './assessment-actions';
import { answerPath, assessmentKeys, findingLabels, formatDate, useAnswers, useMockAudits, type Answer, type AnswerPatch, type Assessment, type FindingKind } from './assessment-api';

const findingKinds = Object.keys(findingLabels) as FindingKind[];

/** Badge colours by finding: nonconformities stand out, and the text always names the finding. */
const findingTones: Record<FindingKind, string> = {
  conformity: 'passed',
  observation: 'notice',
  minor_nonconformity: 'high',
  major_nonconformity: 'critical',
  opportunity_for_improvement: 'in_progress',
};

/**
 * Mock audits: a seeded random sample of controls, each given an audit finding as an internal
 * auditor would record it, to rehearse a certification audit.
 */
export function MockAuditWorkspace({ canWrite, readOnly }: { canWrite: boolean; readOnly: boolean }) {
  const audits = useMockAudits();
  return (
    <QueryState query={audits} label="the mock audits">
      {(page) => <MockAuditList audits={page.items} canWrite={canWrite} readOnly={readOnly} />}
    </QueryState>
  );
}

function MockAuditList({ audits, canWrite, readOnly }: { audits: readonly Assessment[]; canWrite: boolean; readOnly: boolean }) {
  const [params, setParams] = useSearchParams();
  const audit = audits.find((item) => item.id === params.get('audit')) ?? audits[0];
  const show = (auditId: string) =>
    setParams(() => {
      const next = new URLSearchParams(window.location.search);
      next.set('audit', auditId);
      return next;
    });
  const readOnlyReason = audit ? findingBlocker(audit, readOnly, canWrite) : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        {audit ? (
          <NativeSelect
            label="Mock audit"
            value={audit.id}
            onChange={(event) => show(event.currentTarget.value)}
            data={audits.map((item) => ({ value: item.id, label: `${item.title} · ${item.status === 'completed' ? `completed ${formatDate(item.completedAt)}` : 'in progress'}` }))}
            w={480}
            maw="100%"
          />
        ) : (
          <Text size="sm">No mock audit has been started yet.{canWrite ? ' Start one to draw a sample of controls and record a finding for each.' : ''}</Text>
        )}
        <Group gap="xs">
          {canWrite && <StartMockAuditButton onStarted={(created) => show(created.id)} />}
          {canWrite && audit?.status === 'in_progress' && <CompleteAssessmentButton assessment={audit} />}
        </Group>
      </Group>
      {audit && <MockAuditSummary audit={audit} readOnlyReason={readOnlyReason} />}
      {audit && <Findings key={audit.id} audit={audit} readOnlyReason={readOnlyReason} />}
    </Stack>
  );
}

function findingBlocker(audit: Assessment, readOnly: boolean, canWrite: boolean): string | null {
  if (readOnly) return 'You are signed in as an internal auditor, so the mock audit is read-only for you.';
  if (audit.status === 'completed') return `This mock audit was completed on ${formatDate(audit.completedAt)} and its findings are frozen; start a new mock audit to record more.`;
  if (!canWrite) return 'Your role may read mock audits but not record findings; a risk owner, validator or administrator records them.';
  return null;
}

function MockAuditSummary({ audit, readOnlyReason }: { audit: Assessment; readOnlyReason: string | null }) {
  const { itemCount, answeredCount, notApplicableCount, unansweredCount, findingCounts } = audit.progress;
  const counted = findingKinds.filter((kind) => (findingCounts[kind] ?? 0) > 0).map((kind) => `${findingCounts[kind]} ${findingLabels[kind].toLowerCase()}`);
  return (
    <Alert
      color={audit.status === 'completed' ? 'teal' : 'blue'}
      styles={alertTitleStyles()}
      title={audit.status === 'completed' ? 'Completed and frozen' : 'In progress'}
      data-testid="mock-audit-summary"
    >
      <Stack gap={4}>
        <Text size="sm">
          {answeredCount} of {itemCount} sampled controls have a finding, {notApplicableCount} are not applicable and {unansweredCount} have none yet. Sample of{' '}
          {audit.sampleSize ?? itemCount} drawn with seed {audit.seed ?? '—'}
          {audit.includeOrganizationControls ? ", including the organization's own controls" : ''}. Started on {formatDate(audit.startedAt)}.
        </Text>
        <Text size="sm">Findings: {counted.length > 0 ? counted.join(', ') : 'none recorded yet'}.</Text>
        {audit.description && <Text size="sm">{audit.description}</Text>}
        <Text size="sm">{readOnlyReason ?? 'Record the finding on each sampled control with its Record finding button; each control is saved on its own.'}</Text>
      </Stack>
    </Alert>
  );
}

function Findings({ audit, readOnlyReason }: { audit: Assessment; readOnlyReason: string | null }) {
  const answers = useAnswers(audit.id);
  const [editing, setEditing] = useState<ReadonlySet<string>>(new Set());
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set());
  const toggle = (set: ReadonlySet<string>, ref: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(ref);
    else next.delete(ref);
    return next;
  };
  const close = (ref: string) => {
    setEditing((current) => toggle(current, ref, false));
    setDirty((current) => toggle(current, ref, false));
  };

  return (
    <QueryState query={answers} label="the sampled controls">
      {(page) => (
        <ScrollRegion minWidth={760} label="Sampled controls and their findings">
          <UnsavedChangesGuard dirty={dirty.size > 0} what="the findings you are recording" />
          <Table withTableBorder fz="sm" verticalSpacing={5} layout="fixed" data-testid="mock-audit-findings">
            <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
              <Text span fw={600} c="dark">
                Sampled controls and their findings
              </Text>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w={260}>
                  Control
                </Table.Th>
                <Table.Th scope="col" w={190}>
                  Finding
                </Table.Th>
                <Table.Th scope="col">Statement</Table.Th>
                <Table.Th scope="col" w={110}>
                  Recorded
                </Table.Th>
                {!readOnlyReason && (
                  <Table.Th scope="col" w={140}>
                    Action
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((answer) => (
                <FindingRow
                  key={answer.ref}
                  auditId={audit.id}
                  answer={answer}
                  editable={!readOnlyReason}
                  editing={editing.has(answer.ref)}
                  onEdit={() => setEditing((current) => toggle(current, answer.ref, true))}
                  onDirty={(changed) => setDirty((current) => toggle(current, answer.ref, changed))}
                  onClose={() => close(answer.ref)}
                />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
    </QueryState>
  );
}

interface FindingRowProps {
  auditId: string;
  answer: Answer;
  editable: boolean;
  editing: boolean;
  onEdit: () => void;
  onDirty: (dirty: boolean) => void;
  onClose: () => void;
}

function FindingRow({ auditId, answer, editable, editing, onEdit, onDirty, onClose }: FindingRowProps) {
  return (
    <>
      <Table.Tr style={{ verticalAlign: 'top' }} data-testid={`finding-row-${answer.itemId}`}>
        <Table.Th scope="row" fw={400}>
          <Text span fw={600} size="sm">
            {answer.itemId}
          </Text>{' '}
          {answer.title}
        </Table.Th>
        <Table.Td>
          {answer.notApplicable ? (
            <ToneBadge value="excluded" label="Not applicable" />
          ) : answer.finding ? (
            <ToneBadge value={findingTones[answer.finding]} label={findingLabels[answer.finding]} />
          ) : (
            <ToneBadge value="undefined" label="No finding yet" dashed />
          )}
        </Table.Td>
        <Table.Td>
          <Text size="xs">{answer.notApplicable ? `Not applicable: ${answer.notApplicableReason ?? ''}` : answer.findingText || '—'}</Text>
        </Table.Td>
        <Table.Td>
          <DateTime value={answer.answeredAt} fallback="—" />
        </Table.Td>
        {editable && (
          <Table.Td>
            <Button size="compact-xs" variant="light" onClick={onEdit} disabled={editing} aria-label={`Record finding on ${answer.itemId}`}>
              {editing ? 'Editing' : 'Record finding'}
            </Button>
          </Table.Td>
        )}
      </Table.Tr>
      {editing && (
        <Table.Tr>
          <Table.Td colSpan={5} p={0}>
            <FindingEditor auditId={auditId} answer={answer} onDirty={onDirty} onClose={onClose} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

interface FindingForm {
  finding: FindingKind | null;
  findingText: string;
  notApplicable: boolean;
  notApplicableReason: string;
}

const findingFields = ['finding', 'findingText', 'notApplicable', 'notApplicableReason'] as const;

function formOf(answer: Answer): FindingForm {
  return { finding: answer.finding, findingText: answer.findingText, notApplicable: answer.notApplicable, notApplicableReason: answer.notApplicableReason ?? '' };
}

/** Builds the PATCH body from the fields the form changed. A finding is left out while the control is marked not applicable. */
function buildFindingPatch(answer: Answer, form: FindingForm): AnswerPatch {
  const patch: AnswerPatch = {};
  if (form.notApplicable !== answer.notApplicable) patch.notApplicable = form.notApplicable;
  if (form.notApplicable) {
    if (form.notApplicableReason !== (answer.notApplicableReason ?? '') || patch.notApplicable !== undefined) patch.notApplicableReason = form.notApplicableReason;
    return patch;
  }
  if (form.finding !== answer.finding) patch.finding = form.finding;
  // The API needs the statement again whenever the finding changes, because the old one described the old finding.
  if (form.findingText !== answer.findingText || (patch.finding !== undefined && form.finding !== null)) patch.findingText = form.findingText;
  return patch;
}

/** Records the finding on one sampled control, saved on its own with If-Match. After a 412 the form keeps what was typed. */
function FindingEditor({ auditId, answer, onDirty, onClose }: { auditId: string; answer: Answer; onDirty: (dirty: boolean) => void; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<FindingForm>(() => formOf(answer));
  const [baseVersion, setBaseVersion] = useState(answer.version);
  const replaceAnswer = (saved: Answer) =>
    queryClient.setQueryData<Page<Answer>>(assessmentKeys.answers(auditId), (page) =>
      page ? { ...page, items: page.items.map((item) => (item.ref === saved.ref ? saved : item)) } : page,
    );
  const save = useMutation({
    mutationFn: (patch: AnswerPatch) => api<Answer>(answerPath(auditId, answer.ref), { method: 'PATCH', body: patch, ifMatch: baseVersion }),
    onSuccess: async (saved) => {
      replaceAnswer(saved);
      onClose();
      // The progress and finding counts in the summary move with every finding.
      await queryClient.invalidateQueries({ queryKey: assessmentKeys.mockAudits });
    },
  });
  const reload = useMutation({
    mutationFn: () => api<Answer>(answerPath(auditId, answer.ref)),
    onSuccess: (current) => {
      replaceAnswer(current);
      setBaseVersion(current.version);
      save.reset();
    },
  });

  const change = (values: Partial<FindingForm>) => {
    const next = { ...form, ...values };
    setForm(next);
    onDirty(Object.keys(buildFindingPatch(answer, next)).length > 0);
  };
  const apiError = save.error instanceof ApiError ? save.error : undefined;
  const fieldError = (field: string) => apiError?.fieldMessage(field);
  const conflict = apiError?.status === 412;
  const placed = apiError?.concernsOnly(findingFields) ?? false;

  return (
    <Stack
      gap="sm"
      p="sm"
      role="group"
      aria-label={`Finding on ${answer.itemId} ${answer.title}`}
      bg="var(--mantine-color-gray-0)"
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        const patch = buildFindingPatch(answer, form);
        if (Object.keys(patch).length === 0) onClose();
        else save.mutate(patch);
      }}
    >
      <Checkbox
        label="Not applicable to this organization"
        checked={form.notApplicable}
        onChange={(event) => change({ notApplicable: event.currentTarget.checked })}
        error={fieldError('notApplicable')}
      />
      {form.notApplicable ? (
        <TextInput
          label="Why it does not apply"
          value={form.notApplicableReason}
          onChange={(event) => change({ notApplicableReason: event.currentTarget.value })}
          error={fieldError('notApplicableReason')}
        />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <NativeSelect
            label="Finding"
            value={form.finding ?? ''}
            data={[{ value: '', label: 'No finding' }, ...findingKinds.map((kind) => ({ value: kind, label: findingLabels[kind] }))]}
            onChange={(event) => change({ finding: (event.currentTarget.value || null) as FindingKind | null })}
            error={fieldError('finding')}
          />
          <Textarea
            label="Statement of the finding"
            description="What was found and against which requirement; optional for a conformity"
            value={form.findingText}
            autosize
            minRows={2}
            maxRows={8}
            onChange={(event) => change({ findingText: event.currentTarget.value })}
            error={fieldError('findingText')}
          />
        </SimpleGrid>
      )}
      {conflict && <ConflictAlert onReload={() => reload.mutate()} />}
      {reload.isError && <ErrorAlert error={reload.error} />}
      {save.isError && !conflict && !placed && <ErrorAlert error={save.error} />}
      <Group gap="xs">
        <Button type="submit" size="xs" loading={save.isPending || reload.isPending}>
          Save {answer.itemId}
        </Button>
        <Button size="xs" variant="default" onClick={onClose} disabled={save.isPending}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
