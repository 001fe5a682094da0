import { useState } from 'react';
import { Button, Grid, Group, NativeSelect, Paper, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UpdateAiSystem } from '../../../src/ai-systems/ai-system.schemas';
import { api, ApiError } from '../api/client';
import { checkAgainstSchema } from '../api/schema-check';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { PersonPicker } from '../people/person-picker';
import { aiSystemKey, aiSystemsKey, type AiSystem } from './ai-systems-api';

/** The fields the form edits; the lifecycle stage changes through a recorded transition instead. */
const textFields = ['name', 'purpose', 'intendedUse', 'foreseeableMisuse', 'businessUnit', 'decisionDomain', 'scopeJustification', 'legalBasis'] as const;
type FormValues = Pick<AiSystem, (typeof textFields)[number] | 'ownerId' | 'inScope' | 'organizationRole' | 'autonomy'>;
type FieldName = keyof FormValues;
const fieldNames: readonly FieldName[] = [...textFields, 'ownerId', 'inScope', 'organizationRole', 'autonomy'];

const organizationRoles = ['provider', 'deployer', 'importer', 'distributor'];
const autonomyLevels = [
  { value: 'human_in_the_loop', label: 'Human in the loop' },
  { value: 'human_on_the_loop', label: 'Human on the loop' },
  { value: 'autonomous', label: 'Autonomous' },
];

function valuesOf(system: AiSystem): FormValues {
  return Object.fromEntries(fieldNames.map((name) => [name, system[name]])) as FormValues;
}

function changedFields(base: FormValues, values: FormValues): Partial<FormValues> {
  return Object.fromEntries(fieldNames.filter((name) => values[name] !== base[name]).map((name) => [name, values[name]])) as Partial<FormValues>;
}

/**
 * Edits the register fields with PATCH and If-Match. After a 412 the form keeps what was typed.
 * Reloading takes the current record as the new base and keeps the user's changes on top, so
 * they can be saved again. Validation errors appear under the field they name.
 */
export function AiSystemEditForm({ system, onDone }: { system: AiSystem; onDone: (saved: boolean) => void }) {
  const queryClient = useQueryClient();
  const [base, setBase] = useState<AiSystem>(system);
  const [values, setValues] = useState<FormValues>(() => valuesOf(system));
  const changes = changedFields(valuesOf(base), values);
  const dirty = Object.keys(changes).length > 0;
  // After a save found a problem in the browser, the fields are checked again as the user types.
  const [checking, setChecking] = useState(false);
  const localError = checking && dirty ? checkAgainstSchema(UpdateAiSystem, changes) : undefined;

  const save = useMutation({
    mutationFn: () => api<AiSystem>(`/ai-systems/${encodeURIComponent(base.id)}`, { method: 'PATCH', body: changes, ifMatch: base.version }),
    onSuccess: (updated) => {
      queryClient.setQueryData(aiSystemKey(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: aiSystemsKey });
      void queryClient.invalidateQueries({ queryKey: [...aiSystemKey(updated.id), 'audit-history'] });
      setBase(updated);
      setValues(valuesOf(updated));
      onDone(true);
    },
  });

  const reload = async () => {
    const current = await queryClient.fetchQuery({ queryKey: aiSystemKey(base.id), queryFn: () => api<AiSystem>(`/ai-systems/${encodeURIComponent(base.id)}`), staleTime: 0 });
    const mine = changedFields(valuesOf(base), values);
    setBase(current);
    setValues({ ...valuesOf(current), ...mine });
    save.reset();
  };

  const error = localError ?? save.error;
  const conflict = error instanceof ApiError && error.status === 412;
  const fieldError = (name: FieldName) => (error instanceof ApiError ? error.fieldMessage(name) : undefined);
  const unplacedError = error && !conflict && !(error instanceof ApiError && error.concernsOnly(fieldNames));
  const set = <K extends FieldName>(name: K, value: FormValues[K]) => setValues((current) => ({ ...current, [name]: value }));
  const text = (name: (typeof textFields)[number], label: string, multiline = false, required = false) => {
    const props = {
      label,
      required,
      value: values[name],
      error: fieldError(name),
      onChange: (event: { currentTarget: { value: string } }) => set(name, event.currentTarget.value),
    };
    return multiline ? <Textarea {...props} autosize minRows={2} maxRows={10} /> : <TextInput {...props} />;
  };

  return (
    <Paper
      withBorder
      p="md"
      component="form"
      aria-label="Edit AI system"
      onSubmit={(event) => {
        event.preventDefault();
        if (!dirty) return;
        save.reset();
        setChecking(true);
        if (!checkAgainstSchema(UpdateAiSystem, changes)) save.mutate();
      }}
    >
      <UnsavedChangesGuard dirty={dirty && !save.isPending} what="your changes to this AI system" />
      <Title order={2} size="h4" mb="sm">
        Edit AI system
      </Title>
      <Stack gap="sm">
        {conflict && <ConflictAlert onReload={() => void reload()} />}
        {unplacedError && <ErrorAlert error={error} />}
        {error instanceof ApiError && error.status === 400 && !unplacedError && (
          <Text size="sm" c="red.8" role="alert">
            Nothing was saved; correct the fields marked below.
          </Text>
        )}
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('name', 'Name', false, true)}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('businessUnit', 'Business unit', false, true)}</Grid.Col>
          <Grid.Col span={12}>{text('purpose', 'Purpose', true, true)}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('intendedUse', 'Intended use', true)}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('foreseeableMisuse', 'Reasonably foreseeable misuse', true)}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <PersonPicker label="Owner" placeholder="No owner" clearable value={values.ownerId} onChange={(value) => set('ownerId', value)} error={fieldError('ownerId')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('decisionDomain', 'Decision domain')}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NativeSelect
              label="Organization's role (EU AI Act)"
              value={values.organizationRole}
              onChange={(event) => set('organizationRole', event.currentTarget.value)}
              data={organizationRoles}
              error={fieldError('organizationRole')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NativeSelect
              label="Human oversight"
              value={values.autonomy}
              onChange={(event) => set('autonomy', event.currentTarget.value)}
              data={autonomyLevels}
              error={fieldError('autonomy')}
            />
          </Grid.Col>
          <Grid.Col span={12}>
            <Switch
              label="Inside the AIMS scope"
              checked={values.inScope}
              onChange={(event) => set('inScope', event.currentTarget.checked)}
              error={fieldError('inScope')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('scopeJustification', 'Scope justification', true)}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('legalBasis', 'Legal basis', true)}</Grid.Col>
        </Grid>
        <Text size="xs" c="dimmed">
          Changing the purpose, decision domain, human oversight or the organization's role can make the current classification stale, which opens a review of it.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!dirty || conflict}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
