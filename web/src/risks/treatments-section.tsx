import { useState } from 'react';
import { Button, Group, Paper, Select, SimpleGrid, Stack, Table, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api } from '../api/client';
import { humanize } from '../components/badges';
import { ToneBadge } from '../components/badges';
import { DateTime } from '../components/date-time';
import { ErrorAlert } from '../components/error-alert';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { PersonPicker } from '../people/person-picker';
import { fieldError, hasOtherErrors } from './field-errors';
import { treatmentOptions, treatmentStatuses, type Treatment } from './risk-types';

const treatmentFields = ['option', 'description', 'controlRefs', 'ownerPersonId', 'dueDate', 'successMetric', 'status'];

interface Draft {
  option: string;
  description: string;
  controlRefs: string[];
  ownerPersonId: string;
  dueDate: string;
  successMetric: string;
  status: string;
}

const emptyDraft = (ownerPersonId: string): Draft => ({ option: 'modify', description: '', controlRefs: [], ownerPersonId, dueDate: '', successMetric: '', status: 'planned' });

interface Props {
  riskId: string;
  riskOwnerId: string;
  treatments: readonly Treatment[];
  /** Names of the treatment owners by person id. An owner missing here shows as the id. */
  ownerNames: ReadonlyMap<string, string>;
  today: string;
  canWrite: boolean;
}

/** Lists the treatments of a risk. Roles that may write risks change a status in place and plan new treatments with the form. */
export function TreatmentsSection({ riskId, riskOwnerId, treatments, ownerNames, today, canWrite }: Props) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(riskOwnerId));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['risk-treatments', riskId] });
    void queryClient.invalidateQueries({ queryKey: ['risk', riskId] });
    void queryClient.invalidateQueries({ queryKey: ['risks'] });
  };

  const create = useMutation({
    // Every text goes as typed, blank included, so that the API reports each missing field at its path.
    mutationFn: () => api<Treatment>(`/risks/${riskId}/treatments`, { method: 'POST', body: { ...draft, controlRefs: draft.controlRefs } }),
    onSuccess: (created) => {
      notifications.show({ color: 'teal', message: `Planned the treatment "${created.description}"` });
      setDraft(emptyDraft(riskOwnerId));
      setAdding(false);
      refresh();
    },
  });

  const changeStatus = useMutation({
    mutationFn: ({ treatment, status }: { treatment: Treatment; status: string }) =>
      api<Treatment>(`/risks/${riskId}/treatments/${treatment.id}`, { method: 'PATCH', body: { status }, ifMatch: treatment.version }),
    onSuccess: () => refresh(),
    onError: () => refresh(),
  });

  const dirty = adding && JSON.stringify(draft) !== JSON.stringify(emptyDraft(riskOwnerId));
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K] | null) => setDraft((current) => ({ ...current, [key]: value ?? (key === 'controlRefs' ? [] : '') }));
  const error = create.error;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="treatments-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="treatments-heading">
          Treatments ({treatments.length})
        </Title>
        {canWrite && !adding && (
          <Button size="xs" onClick={() => setAdding(true)}>
            Add a treatment
          </Button>
        )}
      </Group>

      {changeStatus.error && <ErrorAlert error={changeStatus.error} />}
      {treatments.length === 0 ? (
        <Text size="sm">No treatment is planned for this risk.</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={6} aria-label="Treatments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Treatment</Table.Th>
                <Table.Th>Option</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {treatments.map((treatment) => {
                const overdue = (treatment.status === 'planned' || treatment.status === 'in_progress') && treatment.dueDate < today;
                return (
                  <Table.Tr key={treatment.id} data-testid="treatment-row">
                    {/* Long words without spaces, such as control ids or pasted identifiers, wrap here instead of
                        widening the page; the short columns keep their words whole. */}
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Text size="sm">{treatment.description}</Text>
                      <Text size="xs" c="dimmed">
                        Success: {treatment.successMetric}
                        {treatment.controlRefs.length > 0 ? ` · controls ${treatment.controlRefs.join(', ')}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>{humanize(treatment.option)}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{ownerNames.get(treatment.ownerPersonId) ?? treatment.ownerPersonId}</Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        <DateTime value={treatment.dueDate} />
                      </Text>
                      {overdue && (
                        <ToneBadge value="overdue" />
                      )}
                    </Table.Td>
                    <Table.Td>
                      {canWrite ? (
                        <Select
                          aria-label={`Status of the treatment "${treatment.description}"`}
                          size="xs"
                          w={140}
                          value={treatment.status}
                          data={treatmentStatuses.map((status) => ({ value: status, label: humanize(status) }))}
                          onChange={(status) => status && status !== treatment.status && changeStatus.mutate({ treatment, status })}
                          allowDeselect={false}
                          disabled={changeStatus.isPending}
                        />
                      ) : (
                        <ToneBadge value={treatment.status} />
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {canWrite && adding && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
          aria-labelledby="new-treatment-heading"
        >
          <UnsavedChangesGuard dirty={dirty} what="the new treatment" />
          <Stack gap="sm" mt="md">
            <Title order={3} size="h5" id="new-treatment-heading">
              New treatment
            </Title>
            {error && hasOtherErrors(error, treatmentFields) && <ErrorAlert error={error} />}
            <Textarea label="What will be done" withAsterisk autosize minRows={2} value={draft.description} onChange={(event) => set('description')(event.currentTarget.value)} error={fieldError(error, 'description')} />
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
              <Select label="Option" value={draft.option} data={treatmentOptions.map((option) => ({ value: option, label: humanize(option) }))} onChange={set('option')} allowDeselect={false} error={fieldError(error, 'option')} />
              <PersonPicker label="Owner" withAsterisk value={draft.ownerPersonId || null} onChange={set('ownerPersonId')} error={fieldError(error, 'ownerPersonId')} />
              <TextInput label="Due date" withAsterisk type="date" value={draft.dueDate} onChange={(event) => set('dueDate')(event.currentTarget.value)} error={fieldError(error, 'dueDate')} />
              <Select label="Status" value={draft.status} data={treatmentStatuses.map((status) => ({ value: status, label: humanize(status) }))} onChange={set('status')} allowDeselect={false} error={fieldError(error, 'status')} />
            </SimpleGrid>
            <TextInput label="Success metric" withAsterisk description="How you will know the treatment worked" value={draft.successMetric} onChange={(event) => set('successMetric')(event.currentTarget.value)} error={fieldError(error, 'successMetric')} />
            <TagsInput
              label="Controls"
              description="Annex A or own controls that carry out the treatment, such as iso42001:A.6.2.4; press Enter after each"
              value={draft.controlRefs}
              onChange={set('controlRefs')}
              error={fieldError(error, 'controlRefs')}
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                onClick={() => {
                  setAdding(false);
                  setDraft(emptyDraft(riskOwnerId));
                  create.reset();
                }}
              >
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Add the treatment
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}
