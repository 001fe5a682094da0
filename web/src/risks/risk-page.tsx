import { useState, type ReactNode } from 'react';
import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, type Page } from '../api/client';
import { useCan, useReadOnly } from '../auth/session';
import { ToneBadge } from '../components/badges';
import { DateTime } from '../components/date-time';
import { ErrorAlert } from '../components/error-alert';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { RiskEditForm } from './risk-edit-form';
import { BandBadge } from './risk-heatmap-grid';
import { usePersonNames } from '../people/person-names';
import { useRiskLookups } from './risk-lookups';
import { RiskAuditHistory } from './risk-audit-history';
import { RiskStateSection } from './risk-state-section';
import type { Acceptance, Escalation, Risk, RiskMatrix, RiskRating, Treatment } from './risk-types';
import { TreatmentsSection } from './treatments-section';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function RatingText({ rating, matrix, empty }: { rating: RiskRating | null; matrix: RiskMatrix | undefined; empty: string }) {
  if (!rating) return <>{empty}</>;
  const likelihood = matrix?.likelihoodLevels.find((level) => level.level === rating.likelihood)?.label;
  const impact = matrix?.impactLevels.find((level) => level.level === rating.impact)?.label;
  return (
    <Group gap={6} wrap="wrap" component="span">
      <BandBadge band={rating.band} bands={matrix?.bands ?? [rating.band]} />
      <span>
        likelihood {rating.likelihood}
        {likelihood && rating.onActiveMatrix ? ` ${likelihood}` : ''} × impact {rating.impact}
        {impact && rating.onActiveMatrix ? ` ${impact}` : ''} = {rating.score}
      </span>
      {!rating.onActiveMatrix && (
        <Text span size="xs" c="dimmed">
          (on matrix v{rating.matrixNumber}; rate again to use the current one)
        </Text>
      )}
    </Group>
  );
}

const noNames: ReadonlyMap<string, string> = new Map();

/** One risk: what it is, its ratings, treatments, acceptances and escalation, with editing for roles that may write risks. */
export function RiskPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const readOnly = useReadOnly();
  const canWrite = can('risks.write') && !readOnly;
  const [editing, setEditing] = useState(false);

  const risk = useQuery({ queryKey: ['risk', id], queryFn: () => api<Risk>(`/risks/${id}`) });
  const treatments = useQuery({ queryKey: ['risk-treatments', id], queryFn: () => api<Treatment[]>(`/risks/${id}/treatments`) });
  const acceptances = useQuery({ queryKey: ['risk-acceptances', id], queryFn: () => api<Acceptance[]>(`/risks/${id}/acceptances`) });
  const escalations = useQuery({ queryKey: ['risk-escalations', id], queryFn: () => api<Page<Escalation>>(`/risks/escalations?riskId=${encodeURIComponent(id)}&limit=50`) });
  const { matrix, categories } = useRiskLookups();
  const aiSystemId = risk.data?.aiSystemId;
  const aiSystem = useQuery({ queryKey: ['ai-system', aiSystemId], queryFn: () => api<{ id: string; name: string }>(`/ai-systems/${aiSystemId}`), enabled: Boolean(aiSystemId) });

  const ownerIds = [risk.data?.ownerPersonId, ...(treatments.data ?? []).map((treatment) => treatment.ownerPersonId)];
  const ownerNames = usePersonNames(ownerIds).data ?? noNames;
  const personName = (personId: string) => ownerNames.get(personId) ?? personId;
  const categoryLabel = (key: string) => categories.data?.find((category) => category.id === key)?.label ?? key;
  const today = new Date().toISOString().slice(0, 10);

  return (
    <>
      <PageTitle
        title={risk.data?.title ?? 'Risk'}
        subtitle={
          <Anchor component={Link} to="/risks" size="sm">
            ← Risk register
          </Anchor>
        }
        actions={
          canWrite && risk.data && !editing ? (
            <Button onClick={() => setEditing(true)} disabled={!matrix.data || !categories.data}>
              Edit the risk
            </Button>
          ) : undefined
        }
      />
      <QueryState query={risk} label="the risk">
        {(data) => (
          <Stack gap="md">
            {editing && matrix.data && categories.data ? (
              <Paper withBorder p="md">
                <RiskEditForm risk={data} matrix={matrix.data} categories={categories.data} onReload={() => risk.refetch()} onClose={() => setEditing(false)} />
              </Paper>
            ) : (
              <Paper withBorder p="md" component="section" aria-labelledby="risk-summary-heading">
                <Title order={2} size="h4" id="risk-summary-heading" mb="sm">
                  Summary
                </Title>
                <Group gap="xs" mb="sm">
                  <ToneBadge value={data.status} />
                  {data.beyondAppetite ? (
                    <ToneBadge value="overdue" label="beyond appetite" />
                  ) : (
                    <ToneBadge value="completed" label="within appetite" />
                  )}
                  <Text size="xs" c="dimmed">
                    version {data.version} · updated <DateTime value={data.updatedAt} />
                  </Text>
                </Group>
                <Text size="sm" mb="md" style={{ whiteSpace: 'pre-wrap' }}>
                  {data.description || 'No description.'}
                </Text>
                <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
                  <Field label="AI system">
                    {data.aiSystemId ? (
                      <Anchor component={Link} to={`/ai-systems/${data.aiSystemId}`} size="sm">
                        {aiSystem.data?.name ?? data.aiSystemId}
                      </Anchor>
                    ) : (
                      'Organization-wide'
                    )}
                  </Field>
                  <Field label="Category">
                    {categoryLabel(data.category)}
                    {data.ermCategory ? ` (ERM: ${data.ermCategory})` : ''}
                  </Field>
                  <Field label="Owner">{personName(data.ownerPersonId)}</Field>
                  <Field label="Risk source">{data.riskSourceRef}</Field>
                  <Field label="Objective at stake">{data.objectiveRef}</Field>
                  <Field label="Threat">{data.threat ?? 'None recorded'}</Field>
                  <Field label="Inherent rating">
                    <RatingText rating={data.inherent} matrix={matrix.data} empty="Not rated" />
                  </Field>
                  <Field label="Residual rating">
                    <RatingText rating={data.residual} matrix={matrix.data} empty="Not assessed" />
                  </Field>
                  <Field label="History">
                    <Anchor component={Link} to={`/audit-trail?recordType=risk&recordId=${data.id}`} size="sm">
                      Audit history of this risk
                    </Anchor>
                  </Field>
                </SimpleGrid>
              </Paper>
            )}

            <QueryState query={treatments} label="the treatments">
              {(items) => <TreatmentsSection riskId={data.id} riskOwnerId={data.ownerPersonId} treatments={items} ownerNames={ownerNames} today={today} canWrite={canWrite} />}
            </QueryState>

            {acceptances.isError && <ErrorAlert error={acceptances.error} onRetry={() => void acceptances.refetch()} />}
            {escalations.isError && <ErrorAlert error={escalations.error} onRetry={() => void escalations.refetch()} />}
            <RiskStateSection risk={data} acceptances={acceptances.data} escalations={escalations.data?.items} onReloadRisk={() => risk.refetch()} />
            <RiskAuditHistory riskId={data.id} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}

