import { Anchor, Button, Group, Pagination, Select, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { humanize } from '../components/badges';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { dateTime, shortSha } from './format';
import { listRuns, type RunKind, type RunListItem, type RunResult } from './measurement-api';
import { OpenMonitoringTasks } from './monitoring-tasks';
import { RunResultBadge } from './run-badges';

const pageSize = 25;
const kindOptions: { value: RunKind; label: string }[] = [
  { value: 'check', label: 'policy check' },
  { value: 'fairness', label: 'fairness' },
  { value: 'performance', label: 'performance' },
  { value: 'calibration', label: 'calibration' },
  { value: 'drift', label: 'drift' },
  { value: 'quality', label: 'data quality' },
];
const resultOptions: { value: RunResult; label: string }[] = [
  { value: 'failed', label: 'failed' },
  { value: 'passed_with_warnings', label: 'passed with warnings' },
  { value: 'passed', label: 'passed' },
];

/** Every measurement run of every AI system, newest first, with filters, and the open monitoring tasks. */
export function MeasurementsPage() {
  const [params, setParams] = useSearchParams();
  const aiSystemId = params.get('aiSystemId') ?? undefined;
  const kind = (params.get('kind') as RunKind | null) ?? undefined;
  const result = (params.get('result') as RunResult | null) ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);

  const runs = useQuery({
    queryKey: ['measurement-runs', { aiSystemId, kind, result, page }],
    queryFn: () => listRuns({ aiSystemId, kind, result, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });

  const setFilter = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('page');
    setParams(next);
  };

  return (
    <Stack gap="lg">
      <PageTitle title="Measurements" subtitle="Fairness, performance, calibration, drift and data quality runs of every AI system, newest first" />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select label="Kind" placeholder="any kind" data={kindOptions} value={kind ?? null} onChange={(value) => setFilter('kind', value)} clearable w={180} />
        <Select label="Outcome" placeholder="any outcome" data={resultOptions} value={result ?? null} onChange={(value) => setFilter('result', value)} clearable w={210} />
        {aiSystemId && (
          <Button variant="default" onClick={() => setFilter('aiSystemId', null)}>
            Show every AI system
          </Button>
        )}
      </Group>

      <QueryState query={runs} label="measurement runs">
        {(data) => (
          <Stack gap="xs">
            <Text size="sm" c="dimmed" aria-live="polite">
              {data.total === 0 ? 'No run matches these filters.' : `Runs ${data.offset + 1}–${data.offset + data.items.length} of ${data.total}`}
            </Text>
            {data.items.length > 0 && <RunTable runs={data.items} onSystem={(id) => setFilter('aiSystemId', id)} />}
            {data.total > pageSize && (
              <Pagination
                total={Math.ceil(data.total / pageSize)}
                value={page}
                onChange={(value) => {
                  const next = new URLSearchParams(params);
                  next.set('page', String(value));
                  setParams(next);
                }}
                getControlProps={(control) => ({ 'aria-label': `${control} page` })}
                getItemProps={(value) => ({ 'aria-label': `Page ${value}` })}
              />
            )}
          </Stack>
        )}
      </QueryState>

      <OpenMonitoringTasks aiSystemId={aiSystemId} />
    </Stack>
  );
}

function RunTable({ runs, onSystem }: { runs: RunListItem[]; onSystem: (id: string) => void }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Run</Table.Th>
            <Table.Th>AI system</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Finished</Table.Th>
            <Table.Th>Model version</Table.Th>
            <Table.Th>Data files (SHA-256)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td>
                <Anchor component={Link} to={`/measurements/${run.id}`}>
                  {run.policyName ?? `${humanize(run.kind)} measurement`}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Anchor component="button" type="button" size="sm" onClick={() => onSystem(run.aiSystemId)} title={`Show only the runs of ${run.aiSystemName}`}>
                  {run.aiSystemName}
                </Anchor>
              </Table.Td>
              <Table.Td>{run.kind === 'check' ? 'policy check' : humanize(run.kind)}</Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <RunResultBadge result={run.result} />
                  <Text size="xs" c="dimmed">
                    {run.counts.failed} failed, {run.counts.undefined} undefined of {run.counts.outcomes}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>{dateTime(run.finishedAt)}</Table.Td>
              <Table.Td>{run.modelVersionLabel ? `${run.modelName ?? ''} ${run.modelVersionLabel}`.trim() : '—'}</Table.Td>
              <Table.Td>
                {run.files.map((file) => (
                  <Text key={file.role} size="xs" ff="monospace">
                    {file.role}: {file.fileName} {shortSha(file.sha256)}
                  </Text>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
