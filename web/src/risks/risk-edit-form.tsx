import { useEffect, useState } from 'react';
import { Button, Group, Select, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { UpdateRisk } from '../../../src/risks/risk.schemas';
import { api, ApiError } from '../api/client';
import { checkAgainstSchema } from '../api/schema-check';
import { humanize } from '../components/badges';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { PersonPicker } from '../people/person-picker';
import { fieldError, hasOtherErrors } from './field-errors';
import { settableRiskStatuses, type Risk, type RiskCategory, type RiskMatrix } from './risk-types';

interface FormValues {
  title: string;
  description: string;
  threat: string;
  category: string;
  ownerPersonId: string;
  inherentLikelihood: string;
  inherentImpact: string;
  residualLikelihood: string;
  residualImpact: string;
  status: string;
}

const formFields = ['title', 'description', 'threat', 'category', 'ownerPersonId', 'inherent', 'residual', 'status'];

function valuesOf(risk: Risk): FormValues {
  return {
    title: risk.title,
    description: risk.description,
    threat: risk.threat ?? '',
    category: risk.category,
    ownerPersonId: risk.ownerPersonId,
    inherentLikelihood: risk.inherent ? String(risk.inherent.likelihood) : '',
    inherentImpact: risk.inherent ? String(risk.inherent.impact) : '',
    residualLikelihood: risk.residual ? String(risk.residual.likelihood) : '',
    residualImpact: risk.residual ? String(risk.residual.impact) : '',
    status: risk.status,
  };
}

/** Builds a rating from two selects, or null when both are empty. A half-filled rating goes to the API, which names the missing level. */
function ratingOf(likelihood: string, impact: string): { likelihood?: number; impact?: number } | null {
  if (!likelihood && !impact) return null;
  return { ...(likelihood ? { likelihood: Number(likelihood) } : {}), ...(impact ? { impact: Number(impact) } : {}) };
}

/** Builds the PATCH body from the fields that differ from the risk as it was read. */
function patchOf(base: FormValues, values: FormValues): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of ['title', 'description', 'category', 'ownerPersonId'] as const) if (values[key] !== base[key]) patch[key] = values[key];
  if (values.threat !== base.threat) patch.threat = values.threat || null;
  if (values.inherentLikelihood !== base.inherentLikelihood || values.inherentImpact !== base.inherentImpact) patch.inherent = ratingOf(values.inherentLikelihood, values.inherentImpact);
  if (values.residualLikelihood !== base.residualLikelihood || values.residualImpact !== base.residualImpact) patch.residual = ratingOf(values.residualLikelihood, values.residualImpact);
  if (values.status !== base.status) patch.status = values.status;
  return patch;
}

interface Props {
  risk: Risk;
  matrix: RiskMatrix;
  categories: readonly RiskCategory[];
  onReload: () => Promise<unknown>;
  onClose: () => void;
}

/**
 * Edits a risk with If-Match on the version read. A 412 keeps what was typed, explains the
 * conflict and offers to reload the current version; the next save then applies the edit to it.
 */
export function RiskEditForm({ risk, matrix, categories, onReload, onClose }: Props) {
  const queryClient = useQueryClient();
  const [base, setBase] = useState(() => valuesOf(risk));
  const [values, setValues] = useState(base);
  const [baseVersion, setBaseVersion] = useState(risk.version);

  // A reload after a conflict brings a newer version: it becomes the base, and only the fields
  // typed here are applied on top of it, so the other person's changes to the rest stay.
  useEffect(() => {
    if (risk.version === baseVersion) return;
    const reloaded = valuesOf(risk);
    const edited = (Object.keys(values) as (keyof FormValues)[]).filter((key) => values[key] !== base[key]);
    setValues({ ...reloaded, ...Object.fromEntries(edited.map((key) => [key, values[key]])) });
    setBase(reloaded);
    setBaseVersion(risk.version);
  }, [risk.version]);

  const patch = patchOf(base, values);
  const dirty = Object.keys(patch).length > 0;
  // After a save found a problem in the browser, the fields are checked again as the user types.
  const [checking, setChecking] = useState(false);
  const localError = checking && dirty ? checkAgainstSchema(UpdateRisk, patch) : undefined;

  const save = useMutation({
    mutationFn: () => api<Risk>(`/risks/${risk.id}`, { method: 'PATCH', body: patch, ifMatch: baseVersion }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['risk', risk.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['risks'] });
      void queryClient.invalidateQueries({ queryKey: ['risk-heatmap'] });
      void queryClient.invalidateQueries({ queryKey: ['risk-escalations', risk.id] });
      const next = valuesOf(saved);
      setBase(next);
      setValues(next);
      setBaseVersion(saved.version);
      notifications.show({ color: 'teal', message: `Saved "${saved.title}" as version ${saved.version}` });
      onClose();
    },
  });

  const conflict = save.error instanceof ApiError && save.error.status === 412;
  const set = (key: keyof FormValues) => (value: string | null) => setValues((current) => ({ ...current, [key]: value ?? '' }));
  const levelChoices = (levels: RiskMatrix['likelihoodLevels']) => levels.map((level) => ({ value: String(level.level), label: `${level.level} ${level.label}` }));
  const error = localError ?? save.error;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!dirty) return;
        save.reset();
        setChecking(true);
        if (!checkAgainstSchema(UpdateRisk, patch)) save.mutate();
      }}
      aria-labelledby="edit-risk-heading"
    >
      <UnsavedChangesGuard dirty={dirty} what="your changes to this risk" />
      <Stack gap="sm">
        <Title order={2} size="h4" id="edit-risk-heading">
          Edit the risk
        </Title>
        {conflict && (
          <ConflictAlert
            onReload={() => {
              save.reset();
              void onReload();
            }}
          />
        )}
        {!conflict && error && hasOtherErrors(error, formFields) && <ErrorAlert error={error} />}
        <TextInput label="Title" withAsterisk value={values.title} onChange={(event) => set('title')(event.currentTarget.value)} error={fieldError(error, 'title')} />
        <Textarea label="Description" autosize minRows={2} value={values.description} onChange={(event) => set('description')(event.currentTarget.value)} error={fieldError(error, 'description')} />
        <Textarea label="Threat" description="The threat or event that could cause the risk" autosize minRows={1} value={values.threat} onChange={(event) => set('threat')(event.currentTarget.value)} error={fieldError(error, 'threat')} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select label="Category" value={values.category} data={categories.map((category) => ({ value: category.id, label: category.label }))} onChange={set('category')} allowDeselect={false} error={fieldError(error, 'category')} />
          <PersonPicker label="Owner" value={values.ownerPersonId || null} onChange={set('ownerPersonId')} error={fieldError(error, 'ownerPersonId')} />
          <Select label="Status" value={values.status} data={[...settableRiskStatuses, ...(values.status === 'accepted' ? ['accepted'] : [])].map((status) => ({ value: status, label: humanize(status) }))} onChange={set('status')} allowDeselect={false} error={fieldError(error, 'status')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Inherent likelihood" placeholder="Not rated" clearable value={values.inherentLikelihood || null} data={levelChoices(matrix.likelihoodLevels)} onChange={set('inherentLikelihood')} error={fieldError(error, 'inherent')} />
          <Select label="Inherent impact" placeholder="Not rated" clearable value={values.inherentImpact || null} data={levelChoices(matrix.impactLevels)} onChange={set('inherentImpact')} error={fieldError(error, 'inherent')} />
          <Select label="Residual likelihood" placeholder="Not assessed" clearable value={values.residualLikelihood || null} data={levelChoices(matrix.likelihoodLevels)} onChange={set('residualLikelihood')} error={fieldError(error, 'residual')} />
          <Select label="Residual impact" placeholder="Not assessed" clearable value={values.residualImpact || null} data={levelChoices(matrix.impactLevels)} onChange={set('residualImpact')} error={fieldError(error, 'residual')} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => {
              setValues(base);
              save.reset();
              onClose();
            }}
          >
            Cancel
          </Button>
          <Button type="submit" disabled={!dirty} loading={save.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
