import { Alert, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page } from '../api/client';
import { humanize } from '../components/badges';
import { TierBadge, ToneBadge } from '../components/badges';
import { QueryState } from '../components/query-state';
import type { AiSystem, LinkedClassification } from './ai-systems-api';
import { formatDate } from './labels';

interface ImpactAssessmentSummary {
  id: string;
  number: number;
  status: string;
  title: string;
  fria: boolean;
  classification: LinkedClassification | null;
  riskIds: string[];
  approvedAt: string | null;
  updatedAt: string;
  impactCount: number;
}

interface Impact {
  id: string;
  position: number;
  affectedParty: string;
  description: string;
  nature: string;
  severity: string;
  likelihood: string;
  reversibility: string | null;
  residualSeverity: string | null;
  residualLikelihood: string | null;
}

/** Shows the impact assessments of the system, newest first, with the impacts of the latest one. */
export function ImpactAssessmentTab({ system }: { system: AiSystem }) {
  const assessments = useQuery({
    queryKey: ['ai-system', system.id, 'impact-assessments'],
    queryFn: () => api<Page<ImpactAssessmentSummary>>(apiPath('/impact-assessments', { aiSystemId: system.id, sort: '-number', limit: 50 })),
  });

  return (
    <QueryState query={assessments} label="impact assessments">
      {(page) =>
        page.items.length === 0 ? (
          <Alert color="gray" title="No impact assessment">
            <Text size="sm">No impact assessment of this AI system is recorded. The register record says: {humanize(system.impactAssessmentStatus)}.</Text>
          </Alert>
        ) : (
          <Stack gap="md">
            <LatestAssessment summary={page.items[0]!} />
            {page.items.length > 1 && (
              <Paper withBorder p="md">
                <Title order={3} size="h5" mb="xs">
                  Earlier versions
                </Title>
                {page.items.slice(1).map((item) => (
                  <Text size="sm" key={item.id}>
                    Version {item.number}: {item.title} — {humanize(item.status)}
                    {item.approvedAt ? `, approved ${formatDate(item.approvedAt)}` : ''}
                  </Text>
                ))}
              </Paper>
            )}
          </Stack>
        )
      }
    </QueryState>
  );
}

function LatestAssessment({ summary }: { summary: ImpactAssessmentSummary }) {
  const detail = useQuery({
    queryKey: ['impact-assessment', summary.id, summary.updatedAt],
    queryFn: () => api<{ impacts: Impact[] }>(`/impact-assessments/${encodeURIComponent(summary.id)}`),
  });

  return (
    <Paper withBorder p="md">
      <Group gap="sm" wrap="wrap" mb="xs">
        <Title order={2} size="h4">
          {summary.title}
        </Title>
        <ToneBadge value={summary.status} />
        {summary.fria && (
          <ToneBadge value="notice" label="serves as FRIA (EU AI Act Art 27)" />
        )}
      </Group>
      <Text size="sm" mb="sm">
        Version {summary.number}
        {summary.approvedAt ? `, approved ${formatDate(summary.approvedAt)}` : ', not approved yet'}; {summary.impactCount} impacts, {summary.riskIds.length} linked risks. Relies on
        classification: {summary.classification ? <TierBadge tier={summary.classification.tier} stale={summary.classification.stale} /> : 'none'}
      </Text>
      <QueryState query={detail} label="the impacts">
        {(assessment) => (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing={6}>
              <Table.Caption>Impacts identified, with severity and likelihood before and after the measures</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Affected party</Table.Th>
                  <Table.Th scope="col">Impact</Table.Th>
                  <Table.Th scope="col">Nature</Table.Th>
                  <Table.Th scope="col">Severity</Table.Th>
                  <Table.Th scope="col">Likelihood</Table.Th>
                  <Table.Th scope="col">Reversibility</Table.Th>
                  <Table.Th scope="col">After measures</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {assessment.impacts.map((impact) => (
                  <Table.Tr key={impact.id}>
                    <Table.Td>{impact.affectedParty}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{impact.description}</Text>
                    </Table.Td>
                    <Table.Td>{impact.nature}</Table.Td>
                    <Table.Td>{humanize(impact.severity)}</Table.Td>
                    <Table.Td>{humanize(impact.likelihood)}</Table.Td>
                    <Table.Td>{impact.reversibility ? humanize(impact.reversibility) : '—'}</Table.Td>
                    <Table.Td>
                      {impact.residualSeverity || impact.residualLikelihood
                        ? `${humanize(impact.residualSeverity ?? '—')}, ${humanize(impact.residualLikelihood ?? '—')}`
                        : 'not assessed'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Paper>
  );
}
