import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { api, ApiError, type Page } from '../api/client';
import { ToneBadge } from '../components/badges';
import { ConflictAlert } from '../components/conflict-alert';
import { DateTime } from '../components/date-time';
import { ErrorAlert } from '../components/error-alert';
import { QueryState } from '../components/query-state';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { usePersonNames } from '../people/person-names';
import { PersonPicker } from '../people/person-picker';
import { ScrollRegion } from '../soa/scroll-region';
import {
  actionPath,
  assessmentKeys,
  effortLabels,
  remediationStatusLabels,
  useRemediationActions,
  useRemediationPlan,
  type Assessment,
  type RemediationAction,
  type RemediationPlanEntry,
  type RemediationStatus,
} from './assessment-api';

const statuses = Object.keys(remediationStatusLabels) as RemediationStatus[];
const noNames = new Map<string, string>();

/**
 * Shows the remediation plan of an assessment (its items below the target level, highest
 * priority first) and the actions raised from it, with owner, due date and status. Actions stay editable
 * after the assessment is completed, because they track the work that follows it.
 */
export function RemediationSection({ assessment, canWrite }: { assessment: Assessment; canWrite: boolean }) {
  const plan = useRemediationPlan(assessment.id);
  const actions = useRemediationActions(assessment.id);
  const [raising, setRaising] = useState<string | null>(null);
  const ownerIds = actions.data?.items.map((action) => action.ownerPersonId) ?? [];
  const ownerNames = usePersonNames(ownerIds).data ?? noNames;

  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h4">
            Remediation actions
          </Title>
          {canWrite && plan.data && plan.data.items.length > 0 && (
            <Button size="sm" variant="light" onClick={() => setRaising('')}>
              Add a remediation action
            </Button>
          )}
        </Group>
        <QueryState query={actions} label="the remediation actions">
          {(page) => <ActionsTable assessmentId={assessment.id} actions={page.items} plan={plan.data?.items ?? []} ownerNames={ownerNames} canWrite={canWrite} />}
        </QueryState>
      </Stack>

      <Stack gap="xs">
        <Title order={2} size="h4">
          Remediation plan
        </Title>
        <Text size="sm">Items below target level {assessment.targetLevel}, by priority: the gap to the target times the item&apos;s weight.</Text>
        <QueryState query={plan} label="the remediation plan">
          {(page) => <PlanTable entries={page.items} canWrite={canWrite} onRaise={(ref) => setRaising(ref)} />}
        </QueryState>
      </Stack>

      {raising !== null && plan.data && (
        <ActionDialog assessmentId={assessment.id} entries={plan.data.items} initialRef={raising} onClose={() => setRaising(null)} />
      )}
    </Stack>
  );
}

/** `A.6.2.4` for `iso42001:A.6.2.4`: the plan shows item ids, and actions name their item by ref. */
function itemLabel(ref: string, plan: readonly RemediationPlanEntry[]): string {
  const entry = plan.find((candidate) => candidate.ref === ref);
  if (entry) return `${entry.itemId} ${entry.title}`;
  return ref.slice(ref.indexOf(':') + 1);
}

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

interface ActionsTableProps {
  assessmentId: string;
  actions: readonly RemediationAction[];
  plan: readonly RemediationPlanEntry[];
  ownerNames: ReadonlyMap<string, string>;
  canWrite: boolean;
}

function ActionsTable({ assessmentId, actions, plan, ownerNames, canWrite }: ActionsTableProps) {
  if (actions.length === 0) {
    return <Text size="sm">No remediation action has been raised from this assessment yet.</Text>;
  }
  const counts = statuses.map((status) => `${actions.filter((action) => action.status === status).length} ${remediationStatusLabels[status].toLowerCase()}`);
  return (
    <>
      <Text size="sm">
        {actions.length} action{actions.length === 1 ? '' : 's'}: {counts.join(', ')}.
      </Text>
      <ScrollRegion minWidth={860} label="Remediation actions">
        <Table withTableBorder fz="sm" verticalSpacing={5} layout="fixed" data-testid="remediation-actions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={200}>
                Item
              </Table.Th>
              <Table.Th scope="col">Action</Table.Th>
              <Table.Th scope="col" w={160}>
                Owner
              </Table.Th>
              <Table.Th scope="col" w={120}>
                Due
              </Table.Th>
              <Table.Th scope="col" w={70}>
                Priority
              </Table.Th>
              <Table.Th scope="col" w={170}>
                Status
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {actions.map((action) => (
              <ActionRow
                key={action.id}
                assessmentId={assessmentId}
                action={action}
                item={itemLabel(action.itemRef, plan)}
                owner={ownerNames.get(action.ownerPersonId) ?? action.ownerPersonId}
                canWrite={canWrite}
              />
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </>
  );
}

interface ActionRowProps {
  assessmentId: string;
  action: RemediationAction;
  item: string;
  owner: string;
  canWrite: boolean;
}

/** Shows one action. A writer changes its status in place, and the change is sent at once with If-Match. */
function ActionRow({ assessmentId, action, item, owner, canWrite }: ActionRowProps) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (status: RemediationStatus) =>
      api<RemediationAction>(actionPath(assessmentId, action.id), { method: 'PATCH', body: { status }, ifMatch: action.version }),
    onSuccess: async (saved) => {
      queryClient.setQueryData<Page<RemediationAction>>(assessmentKeys.actions(assessmentId), (page) =>
        page ? { ...page, items: page.items.map((candidate) => (candidate.id === saved.id ? saved : candidate)) } : page,
      );
      // The plan lists each item's actions with their status.
      await queryClient.invalidateQueries({ queryKey: assessmentKeys.plan(assessmentId) });
    },
  });
  const error = change.error instanceof ApiError ? change.error : undefined;
  const conflict = error?.status === 412;
  const overdue = action.status !== 'done' && action.dueDate < today();

  return (
    <>
      <Table.Tr style={{ verticalAlign: 'top' }} data-testid="remediation-action-row">
        <Table.Td>{item}</Table.Td>
        <Table.Th scope="row" fw={400}>
          <Text span fw={600} size="sm">
            {action.title}
          </Text>
          {action.description && (
            <Text size="xs" mt={2}>
              {action.description}
            </Text>
          )}
        </Table.Th>
        <Table.Td>{owner}</Table.Td>
        <Table.Td>
          <DateTime value={action.dueDate} />
          {overdue && (
            <Text size="xs" c="red.9" fw={600}>
              overdue
            </Text>
          )}
        </Table.Td>
        <Table.Td>{action.priority}</Table.Td>
        <Table.Td>
          {canWrite ? (
            <NativeSelect
              size="xs"
              aria-label={`Status of ${action.title}`}
              value={change.isPending && change.variables ? change.variables : action.status}
              data={statuses.map((status) => ({ value: status, label: remediationStatusLabels[status] }))}
              onChange={(event) => change.mutate(event.currentTarget.value as RemediationStatus)}
              disabled={change.isPending}
              error={conflict ? undefined : (error?.fieldMessage('status') ?? (change.isError ? 'Not saved; see the message below the row' : undefined))}
            />
          ) : (
            <ToneBadge value={action.status} label={remediationStatusLabels[action.status]} />
          )}
          {action.doneAt && (
            <Text size="xs" mt={2}>
              Done <DateTime value={action.doneAt} />
            </Text>
          )}
        </Table.Td>
      </Table.Tr>
      {change.isError && !error?.fieldMessage('status') && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            {conflict ? (
              <ConflictAlert
                onReload={() => {
                  change.reset();
                  void queryClient.invalidateQueries({ queryKey: assessmentKeys.actions(assessmentId) });
                }}
              />
            ) : (
              <ErrorAlert error={change.error} />
            )}
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function PlanTable({ entries, canWrite, onRaise }: { entries: readonly RemediationPlanEntry[]; canWrite: boolean; onRaise: (ref: string) => void }) {
  if (entries.length === 0) {
    return <Text size="sm">No answered item is below the target level, so the plan is empty.</Text>;
  }
  return (
    <ScrollRegion minWidth={760} label="Remediation plan">
      <Table withTableBorder fz="sm" verticalSpacing={5} layout="fixed" data-testid="remediation-plan">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Item</Table.Th>
            <Table.Th scope="col" w={90}>
              Level
            </Table.Th>
            <Table.Th scope="col" w={70}>
              Weight
            </Table.Th>
            <Table.Th scope="col" w={70}>
              Priority
            </Table.Th>
            <Table.Th scope="col" w={80}>
              Effort
            </Table.Th>
            <Table.Th scope="col" w={90}>
              Actions
            </Table.Th>
            {canWrite && (
              <Table.Th scope="col" w={120}>
                <VisuallyHidden>Raise an action</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.ref} style={{ verticalAlign: 'top' }} data-testid={`plan-row-${entry.itemId}`}>
              <Table.Th scope="row" fw={400}>
                <Text span fw={600} size="sm">
                  {entry.itemId}
                </Text>{' '}
                {entry.title}
              </Table.Th>
              <Table.Td>
                {entry.maturity} of {entry.targetLevel}
              </Table.Td>
              <Table.Td>{entry.weight}</Table.Td>
              <Table.Td>{entry.priority}</Table.Td>
              <Table.Td>{entry.effort ? effortLabels[entry.effort] : '—'}</Table.Td>
              <Table.Td>{entry.actions.length === 0 ? 'none' : entry.actions.length}</Table.Td>
              {canWrite && (
                <Table.Td>
                  <Button size="compact-xs" variant="light" onClick={() => onRaise(entry.ref)} aria-label={`Raise action for ${entry.itemId}`}>
                    Raise action
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

interface ActionForm {
  itemRef: string;
  title: string;
  description: string;
  ownerPersonId: string;
  dueDate: string;
  status: RemediationStatus;
}

const actionFields = ['itemRef', 'title', 'description', 'ownerPersonId', 'dueDate', 'status'] as const;

/** Raises an action for an item of the plan. The API checks every field and names the one it rejects. */
function ActionDialog({ assessmentId, entries, initialRef, onClose }: { assessmentId: string; entries: readonly RemediationPlanEntry[]; initialRef: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ActionForm>({ itemRef: initialRef, title: '', description: '', ownerPersonId: '', dueDate: '', status: 'open' });
  const set = (values: Partial<ActionForm>) => setForm((current) => ({ ...current, ...values }));
  const create = useMutation({
    // Empty choices are left out, so that the API reports them as required rather than as too short.
    mutationFn: () =>
      api<RemediationAction>(actionPath(assessmentId), {
        method: 'POST',
        body: {
          title: form.title,
          status: form.status,
          ...(form.description ? { description: form.description } : {}),
          ...(form.itemRef ? { itemRef: form.itemRef } : {}),
          ...(form.ownerPersonId ? { ownerPersonId: form.ownerPersonId } : {}),
          ...(form.dueDate ? { dueDate: form.dueDate } : {}),
        },
      }),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assessmentKeys.actions(assessmentId) }),
        queryClient.invalidateQueries({ queryKey: assessmentKeys.plan(assessmentId) }),
      ]);
      onClose();
    },
  });
  const apiError = create.error instanceof ApiError ? create.error : undefined;
  const fieldError = (field: string) => apiError?.fieldMessage(field);
  const placed = apiError?.concernsOnly(actionFields) ?? false;
  const dirty = form.title !== '' || form.description !== '' || form.ownerPersonId !== '' || form.dueDate !== '';

  return (
    <Modal opened onClose={onClose} title="Add a remediation action" centered size="lg">
      <UnsavedChangesGuard dirty={dirty && !create.isSuccess} what="the remediation action you are adding" />
      <Stack
        gap="sm"
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <NativeSelect
          label="Item"
          description="An item of the plan, below the target level"
          value={form.itemRef}
          onChange={(event) => set({ itemRef: event.currentTarget.value })}
          data={[{ value: '', label: 'Choose an item' }, ...entries.map((entry) => ({ value: entry.ref, label: `${entry.itemId} ${entry.title} (priority ${entry.priority})` }))]}
          error={fieldError('itemRef')}
        />
        <TextInput label="Title" description="What will be done" value={form.title} onChange={(event) => set({ title: event.currentTarget.value })} error={fieldError('title')} data-autofocus />
        <Textarea
          label="Description"
          description="Details of the work and how completion will be shown"
          value={form.description}
          autosize
          minRows={2}
          maxRows={6}
          onChange={(event) => set({ description: event.currentTarget.value })}
          error={fieldError('description')}
        />
        <Group grow align="flex-start">
          <PersonPicker
            label="Owner"
            placeholder="Choose a person"
            value={form.ownerPersonId || null}
            onChange={(ownerPersonId) => set({ ownerPersonId: ownerPersonId ?? '' })}
            error={fieldError('ownerPersonId')}
          />
          <TextInput label="Due date" type="date" value={form.dueDate} onChange={(event) => set({ dueDate: event.currentTarget.value })} error={fieldError('dueDate')} />
          <NativeSelect
            label="Status"
            value={form.status}
            onChange={(event) => set({ status: event.currentTarget.value as RemediationStatus })}
            data={statuses.map((status) => ({ value: status, label: remediationStatusLabels[status] }))}
            error={fieldError('status')}
          />
        </Group>
        {create.isError && !placed && <ErrorAlert error={create.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Add the action
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
