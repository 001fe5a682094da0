import { Alert, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page } from '../api/client';
import { humanize } from '../components/badges';
import { TierBadge, ToneBadge } from '../components/badges';
import { QueryState } from '../components/query-state';
import type { AiSystem } from './ai-systems-api';
import { formatDate, formatDateTime, inputLabels } from './labels';

interface ClassificationSummary {
  id: string;
  number: number;
  status: string;
  tier: string;
  impactLevel: string;
  dpiaRequired: boolean;
  art22Applies: boolean;
  stale: boolean;
  staleSince: string | null;
  staleInputs: string[];
  approvedBy: string | null;
  approvedAt: string | null;
  createdAt: string;
}

interface TraceEntry {
  rule: string;
  citation: string;
  title: string;
  summary: string;
  effect: string;
  answers: { question: string; labels: string[]; cites: string[] }[];
  overriddenBy: string | null;
}

interface Obligation {
  ref: string;
  title: string;
  role: string;
  because: string[];
}

interface Classification extends ClassificationSummary {
  role: string;
  result: {
    euAiAct: { tier: string; tierLabel: string; transparencyDuties: string[]; trace: TraceEntry[]; obligations: Obligation[] };
    gdpr: { dpiaRequired: boolean; art22Applies: boolean; trace: TraceEntry[]; obligations: Obligation[] };
    impact: { level: string; points: number; maxPoints: number; contributions: { factor: string; label: string; points: number }[] };
  };
}

interface SystemClassification {
  current: ClassificationSummary | null;
  openDraft: ClassificationSummary | null;
  openReview: { id: string; dueDate: string; overdue: boolean; changedInputs: string[]; assignedRole: string } | null;
}

/** Shows the current classification with its stale flag and rule trace, the open draft and review, and the history. */
export function ClassificationTab({ system }: { system: AiSystem }) {
  const overview = useQuery({
    queryKey: ['ai-system', system.id, 'classification', system.version],
    queryFn: () => api<SystemClassification>(`/ai-systems/${encodeURIComponent(system.id)}/classification`),
  });
  const history = useQuery({
    queryKey: ['ai-system', system.id, 'classifications', system.version],
    queryFn: () => api<Page<ClassificationSummary>>(apiPath('/classifications', { aiSystemId: system.id, limit: 100 })),
  });

  return (
    <QueryState query={overview} label="the classification">
      {(data) => (
        <Stack gap="md">
          {data.current ? (
            <CurrentClassification summary={data.current} />
          ) : (
            <Alert color="gray" title="Not classified">
              <Text size="sm">This AI system has no approved classification yet. A draft is computed from the questionnaire with POST /api/ai-systems/{'{id}'}/classifications and approved by a second person.</Text>
            </Alert>
          )}
          {data.openReview && (
            <Alert color={data.openReview.overdue ? 'red' : 'orange'} title={data.openReview.overdue ? 'Review overdue' : 'Review open'}>
              <Text size="sm">
                A review of the classification is due by {formatDate(data.openReview.dueDate)} ({humanize(data.openReview.assignedRole)}), because these inputs changed:{' '}
                {data.openReview.changedInputs.map((input) => inputLabels[input] ?? input).join(', ')}.
              </Text>
            </Alert>
          )}
          {data.openDraft && (
            <Text size="sm">
              Draft {data.openDraft.number} is open: tier {humanize(data.openDraft.tier)}, impact {data.openDraft.impactLevel}; it applies once approved.
            </Text>
          )}
          {history.data && history.data.items.length > 0 && (
            <Paper withBorder p="md">
              <Title order={3} size="h5" mb="xs">
                All classifications of this system
              </Title>
              <Table.ScrollContainer minWidth={520}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Number</Table.Th>
                      <Table.Th scope="col">Status</Table.Th>
                      <Table.Th scope="col">Tier</Table.Th>
                      <Table.Th scope="col">Impact level</Table.Th>
                      <Table.Th scope="col">Created</Table.Th>
                      <Table.Th scope="col">Approved</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {history.data.items.map((item) => (
                      <Table.Tr key={item.id}>
                        <Table.Td>{item.number}</Table.Td>
                        <Table.Td>
                          <ToneBadge value={item.status} />
                        </Table.Td>
                        <Table.Td>
                          <TierBadge tier={item.tier} stale={item.stale} />
                        </Table.Td>
                        <Table.Td>{item.impactLevel}</Table.Td>
                        <Table.Td>{formatDate(item.createdAt)}</Table.Td>
                        <Table.Td>{item.approvedAt ? formatDate(item.approvedAt) : '—'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )}
        </Stack>
      )}
    </QueryState>
  );
}

function CurrentClassification({ summary }: { summary: ClassificationSummary }) {
  const detail = useQuery({
    queryKey: ['classification', summary.id, summary.stale],
    queryFn: () => api<Classification>(`/classifications/${encodeURIComponent(summary.id)}`),
  });

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Group gap="sm" wrap="wrap" mb="xs">
          <Title order={2} size="h4">
            Classification {summary.number}
          </Title>
          <TierBadge tier={summary.tier} stale={summary.stale} />
          <ToneBadge value={summary.impactLevel} label={`impact ${summary.impactLevel}`} />
          {summary.dpiaRequired && (
            <ToneBadge value="notice" label="DPIA required" />
          )}
          {summary.art22Applies && (
            <ToneBadge value="notice" label="GDPR Art 22 applies" />
          )}
        </Group>
        <Text size="sm">Approved {formatDateTime(summary.approvedAt)}.</Text>
        {summary.stale ? (
          <Alert color="orange" title="Stale classification" mt="sm">
            <Text size="sm">
              Since {formatDateTime(summary.staleSince)} these inputs changed: {summary.staleInputs.map((input) => inputLabels[input] ?? input).join(', ')}. Classify the system again so
              that the tier reflects the record.
            </Text>
          </Alert>
        ) : (
          <Text size="sm" c="dimmed">
            Up to date: no input it used has changed since.
          </Text>
        )}
      </Paper>
      <QueryState query={detail} label="the rule trace">
        {(classification) => (
          <>
            <TraceTable title={`EU AI Act: ${classification.result.euAiAct.tierLabel}`} trace={classification.result.euAiAct.trace} />
            <TraceTable title="GDPR" trace={classification.result.gdpr.trace} />
            <ObligationList obligations={[...classification.result.euAiAct.obligations, ...classification.result.gdpr.obligations]} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function TraceTable({ title, trace }: { title: string; trace: TraceEntry[] }) {
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="xs">
        Rule trace, {title}
      </Title>
      {trace.length === 0 ? (
        <Text size="sm" c="dimmed">
          No rule fired.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Citation</Table.Th>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">Effect</Table.Th>
                <Table.Th scope="col">Because of the answers</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {trace.map((entry) => (
                <Table.Tr key={entry.rule}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{entry.citation}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {entry.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {entry.summary}
                    </Text>
                    {entry.overriddenBy && (
                      <ToneBadge value="superseded" label={`set aside by ${entry.overriddenBy}`} />
                    )}
                  </Table.Td>
                  <Table.Td>{entry.effect}</Table.Td>
                  <Table.Td>
                    {entry.answers.map((answer) => (
                      <Text size="xs" key={answer.question}>
                        {answer.question}: {answer.labels.join(', ')}
                      </Text>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function ObligationList({ obligations }: { obligations: Obligation[] }) {
  if (obligations.length === 0) return null;
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="xs">
        Obligations that follow ({obligations.length})
      </Title>
      <Stack gap={4}>
        {obligations.map((obligation) => (
          <Text size="sm" key={`${obligation.ref}:${obligation.role}`}>
            <strong>{obligation.ref.replace(/^[^:]+:/, '')}</strong> {obligation.title}{' '}
            <Text span size="xs" c="dimmed">
              ({humanize(obligation.role)}; because of {obligation.because.join(', ')})
            </Text>
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}
