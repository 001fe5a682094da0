import { Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Textarea } from '@mantine/core';
import { ApiError } from '../api/client';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { basisLabels, decisionLabels, statusLabels, type ImplementationStatus, type InclusionBasis, type Person, type SoaDecision, type SoaEntry } from './soa-api';
import { justificationForDecision, type EntryEdit, type EntryForm } from './use-entry-edits';

const editableFields = ['decision', 'justification', 'basis', 'implementationStatus', 'ownerPersonId', 'notes'] as const;

interface Props {
  entry: SoaEntry;
  edit: EntryEdit;
  people: readonly Person[];
  onChange: (values: Partial<EntryForm>) => void;
  onSave: () => void;
  onCancel: () => void;
  onReload: () => void;
}

/**
 * The inline form for one control of a draft. The API checks the decision rules; its message for
 * each field appears under that field, and anything else above the buttons.
 */
export function SoaEntryEditor({ entry, edit, people, onChange, onSave, onCancel, onReload }: Props) {
  const { form, error, saving } = edit;
  const apiError = error instanceof ApiError ? error : undefined;
  const fieldError = (field: string) => apiError?.fieldMessage(field);
  const conflict = apiError?.status === 412;
  const unplacedError = Boolean(error) && !conflict && !apiError?.concernsOnly(editableFields);
  const id = `edit-${entry.controlRef.replace(/[^A-Za-z0-9]/g, '-')}`;

  return (
    <Stack
      gap="sm"
      p="sm"
      role="group"
      aria-label={`Edit ${entry.controlId} ${entry.controlTitle}`}
      bg="var(--mantine-color-gray-0)"
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
    >
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
        <NativeSelect
          id={`${id}-decision`}
          label="Applicability"
          value={form.decision}
          data={(['undecided', 'applicable', 'excluded'] as SoaDecision[]).map((value) => ({ value, label: decisionLabels[value] }))}
          onChange={(event) => {
            const decision = event.currentTarget.value as SoaDecision;
            // The API starts a newly included control as not started; the form shows the same.
            const implementationStatus = decision === 'applicable' ? (form.implementationStatus ?? 'not_started') : null;
            onChange({ decision, implementationStatus, justification: justificationForDecision(entry, form, decision) });
          }}
          error={fieldError('decision')}
        />
        <NativeSelect
          id={`${id}-status`}
          label="Implementation status"
          value={form.implementationStatus ?? ''}
          disabled={form.decision !== 'applicable'}
          description={form.decision !== 'applicable' ? 'Only an applicable control has a status' : undefined}
          data={[
            { value: '', label: 'None' },
            ...(Object.keys(statusLabels) as ImplementationStatus[]).map((value) => ({ value, label: statusLabels[value] })),
          ]}
          onChange={(event) => onChange({ implementationStatus: (event.currentTarget.value || null) as ImplementationStatus | null })}
          error={fieldError('implementationStatus')}
        />
        <NativeSelect
          id={`${id}-owner`}
          label="Owner"
          value={form.ownerPersonId ?? ''}
          data={[{ value: '', label: 'No owner' }, ...people.map((person) => ({ value: person.id, label: person.jobTitle ? `${person.name} (${person.jobTitle})` : person.name }))]}
          onChange={(event) => onChange({ ownerPersonId: event.currentTarget.value || null })}
          error={fieldError('ownerPersonId')}
        />
      </SimpleGrid>

      <Textarea
        id={`${id}-justification`}
        label="Justification"
        description={
          form.decision === 'excluded'
            ? 'Why the control is not needed'
            : form.decision === 'applicable'
              ? 'Which risk treatment or requirement needs the control'
              : undefined
        }
        value={form.justification}
        autosize
        minRows={2}
        maxRows={8}
        onChange={(event) => onChange({ justification: event.currentTarget.value })}
        error={fieldError('justification')}
      />

      {form.decision === 'applicable' && (
        <Checkbox.Group
          label="Grounds for inclusion"
          value={form.basis}
          onChange={(values) => onChange({ basis: values as InclusionBasis[] })}
          error={fieldError('basis')}
        >
          <Group gap="md" mt={4}>
            {(Object.keys(basisLabels) as InclusionBasis[]).map((basis) => (
              <Checkbox key={basis} value={basis} label={basisLabels[basis]} size="xs" />
            ))}
          </Group>
        </Checkbox.Group>
      )}

      <Textarea
        id={`${id}-notes`}
        label="Notes"
        value={form.notes}
        autosize
        minRows={1}
        maxRows={6}
        onChange={(event) => onChange({ notes: event.currentTarget.value })}
        error={fieldError('notes')}
      />

      {conflict && <ConflictAlert onReload={onReload} />}
      {unplacedError && <ErrorAlert error={error} />}

      <Group gap="xs">
        <Button type="submit" size="xs" loading={saving}>
          Save {entry.controlId}
        </Button>
        <Button size="xs" variant="default" onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
