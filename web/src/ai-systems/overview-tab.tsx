import { useState, type ReactNode } from 'react';
import { Anchor, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useCan } from '../auth/session';
import { humanize } from '../components/badges';
import { ToneBadge } from '../components/badges';
import { usePersonNames } from '../people/person-names';
import type { AiSystem } from './ai-systems-api';
import { AiSystemEditForm } from './ai-system-edit-form';
import { formatDate, formatDateTime } from './labels';
import { LifecyclePanel } from './lifecycle-panel';

/** Shows the register record: what the system is for, who owns it, its scope and its lifecycle. */
export function OverviewTab({ system }: { system: AiSystem }) {
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const ownerNames = usePersonNames([system.ownerId]);
  const owner = system.ownerId ? (ownerNames.data?.get(system.ownerId) ?? system.ownerId) : null;
  const mayEdit = can('ai_systems.write');

  if (editing) {
    return (
      <AiSystemEditForm
        system={system}
        onDone={(wasSaved) => {
          setEditing(false);
          setSaved(wasSaved);
        }}
      />
    );
  }

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Paper withBorder p="md">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              Register record
            </Title>
            {mayEdit && (
              <Button
                size="xs"
                onClick={() => {
                  setSaved(false);
                  setEditing(true);
                }}
              >
                Edit AI system
              </Button>
            )}
          </Group>
          {saved && (
            <Text size="sm" c="teal.8" role="status" mb="sm">
              Saved as version {system.version}.
            </Text>
          )}
          <dl className="record-fields">
            <Field label="Purpose">{system.purpose}</Field>
            <Field label="Intended use">{system.intendedUse}</Field>
            <Field label="Reasonably foreseeable misuse">{system.foreseeableMisuse}</Field>
            <Field label="Decision domain">{system.decisionDomain}</Field>
            <Field label="Affected groups">{system.affectedGroups.join(', ')}</Field>
            <Field label="Legal basis">{system.legalBasis}</Field>
          </dl>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="md">
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="sm">
              Ownership and scope
            </Title>
            <dl className="record-fields">
              <Field label="Business unit">{system.businessUnit}</Field>
              <Field label="Owner">{owner}</Field>
              <Field label="Organization's role">{humanize(system.organizationRole)}</Field>
              <Field label="Deployment environments">{system.deploymentEnvironments.join(', ')}</Field>
              <Field label="Human oversight">{humanize(system.autonomy)}</Field>
              <Field label="AIMS scope">
                <ToneBadge value={system.inScope ? 'in_scope' : 'out_of_scope'} label={system.inScope ? 'in scope' : 'out of scope'} />{' '}
                {system.scopeJustification}
              </Field>
              <Field label="Impact assessment carried out">{humanize(system.impactAssessmentStatus)}</Field>
              <Field label="Source">
                {system.sourceUrl ? (
                  <Anchor href={system.sourceUrl} target="_blank" rel="noreferrer noopener" size="sm">
                    {system.sourceUrl}
                  </Anchor>
                ) : null}
                {system.externalId ? ` (id ${system.externalId})` : ''}
              </Field>
              <Field label="Published">{system.publishedAt ? formatDate(system.publishedAt) : null}</Field>
              <Field label="Record">
                version {system.version}, updated {formatDateTime(system.updatedAt)}
              </Field>
            </dl>
          </Paper>
          <LifecyclePanel system={system} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div style={{ marginBottom: 'var(--mantine-spacing-xs)' }}>
      <Text component="dt" size="xs" fw={700} c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {empty ? <Text span c="dimmed" size="sm">not recorded</Text> : children}
      </Text>
    </div>
  );
}
