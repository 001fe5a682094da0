import { useEffect, useState } from 'react';
import { Button, Group, Select, SimpleGrid, Stack, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { humanize } from '../components/badges';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { confidentialityLevels, evidenceKinds, usePeopleNames, type Evidence } from './evidence-api';

interface MetadataDraft {
  title: string;
  kind: string;
  description: string;
  validUntil: string;
  confidentiality: string;
  collectedByPersonId: string;
}

const fields = ['title', 'kind', 'description', 'validUntil', 'confidentiality', 'collectedByPersonId'] as const;

function draftOf(evidence: Evidence): MetadataDraft {
  return {
    title: evidence.title,
    kind: evidence.kind,
    description: evidence.description,
    validUntil: evidence.validUntil ?? '',
    confidentiality: evidence.confidentiality,
    collectedByPersonId: evidence.collectedByPersonId ?? '',
  };
}

/** Builds the PATCH body from the fields that differ from the record; an emptied date or person becomes null. */
function changesOf(draft: MetadataDraft, evidence: Evidence): Record<string, string | null> {
  const original = draftOf(evidence);
  const changes: Record<string, string | null> = {};
  for (const field of fields) {
    if (draft[field] === original[field]) continue;
    const nullable = field === 'validUntil' || field === 'collectedByPersonId';
    changes[field] = nullable && draft[field] === '' ? null : draft[field];
  }
  return changes;
}

/**
 * Edits the metadata of evidence with If-Match on the version shown. On a 412 the draft stays in
 * the form, and reloading brings the current version underneath it so the user can save again.
 */
export function EvidenceMetadataForm({
  evidence,
  onReload,
  onDone,
  onDirtyChange,
}: {
  evidence: Evidence;
  onReload: () => void;
  onDone: () => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const people = usePeopleNames();
  const [draft, setDraft] = useState<MetadataDraft>(() => draftOf(evidence));
  const changes = changesOf(draft, evidence);
  const dirty = Object.keys(changes).length > 0;
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const save = useMutation({
    mutationFn: () => api<Evidence>(`/evidence/${encodeURIComponent(evidence.id)}`, { method: 'PATCH', body: changes, ifMatch: evidence.version }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['evidence', 'one', evidence.id], saved);
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['evidence', 'list'] }), queryClient.invalidateQueries({ queryKey: ['audit-events'] })]);
      onDone();
    },
  });

  const error = save.error instanceof ApiError ? save.error : undefined;
  const conflict = error?.status === 412;
  const fieldError = (field: string) => error?.fieldMessage(field);
  const shownAtField = error?.concernsOnly(fields) ?? false;
  const set = (field: keyof MetadataDraft) => (value: string | null) => setDraft((current) => ({ ...current, [field]: value ?? '' }));
  const personOptions = [...(people.data ?? new Map<string, string>())].map(([id, name]) => ({ value: id, label: name }));

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (dirty) save.mutate();
      }}
      aria-labelledby="metadata-heading"
    >
      <UnsavedChangesGuard dirty={dirty && !save.isSuccess} what="your changes to the evidence details" />
      <Stack gap="sm">
        <Title order={3} size="h5" id="metadata-heading">
          Edit details
        </Title>
        <TextInput label="Title" withAsterisk value={draft.title} onChange={(event) => set('title')(event.currentTarget.value)} error={fieldError('title')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label="Kind"
            data={evidenceKinds.map((kind) => ({ value: kind, label: humanize(kind) }))}
            value={draft.kind}
            onChange={set('kind')}
            allowDeselect={false}
            error={fieldError('kind')}
          />
          <Select
            label="Confidentiality"
            data={confidentialityLevels.map((level) => ({ value: level, label: level }))}
            value={draft.confidentiality}
            onChange={set('confidentiality')}
            allowDeselect={false}
            error={fieldError('confidentiality')}
          />
          <TextInput
            label="Valid until"
            description="Leave empty if it does not expire"
            type="date"
            value={draft.validUntil}
            onChange={(event) => set('validUntil')(event.currentTarget.value)}
            error={fieldError('validUntil')}
          />
          <Select
            label="Collected by"
            placeholder="Not recorded"
            data={personOptions}
            value={draft.collectedByPersonId || null}
            onChange={set('collectedByPersonId')}
            searchable
            clearable
            error={fieldError('collectedByPersonId')}
          />
        </SimpleGrid>
        <Textarea label="Description" autosize minRows={2} value={draft.description} onChange={(event) => set('description')(event.currentTarget.value)} error={fieldError('description')} />

        {conflict && (
          <ConflictAlert
            onReload={() => {
              save.reset();
              onReload();
            }}
          />
        )}
        {error && !conflict && !shownAtField && <ErrorAlert error={error} />}

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" disabled={!dirty} loading={save.isPending}>
            Save details
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
