import { useState } from 'react';
import { Alert, Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, apiPath, type Page } from '../api/client';
import { humanize } from '../components/badges';
import { ToneBadge } from '../components/badges';
import { QueryState } from '../components/query-state';
import { OpenMonitoringTasks } from '../measurements/monitoring-tasks';
import type { AiSystem } from './ai-systems-api';
import { formatDateTime } from './labels';

interface MeasurementRunSummary {
  id: string;
  kind: string;
  policyName: string | null;
  finishedAt: string;
  result: string;
  counts: { outcomes: number; passed: number; failed: number; undefined: number };
}

const pageSize = 25;

/** Lists the measurement runs of the system, newest first, each linking to the run's own screen. */
export function MeasurementsTab({ system }: { system: AiSystem }) {
  const [offset, setOffset] = useState(0);
  const runs = useQuery({
    queryKey: ['ai-system', system.id, 'measurements', offset],
    queryFn: () => api<Page<MeasurementRunSummary>>(apiPath(`/ai-systems/${encodeURIComponent(system.id)}/measurements`, { limit: pageSize, offset })),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="lg">
      <QueryState query={runs} label="measurement runs">
        {(page) =>
          page.total === 0 ? (
            <Alert color="gray" title="No measurements">
              <Text size="sm">No measurement run of this AI system is recorded. Runs are recorded with the custos CLI.</Text>
            </Alert>
          ) : (
            <>
              <Table.ScrollContainer minWidth={640}>
                <Table striped verticalSpacing={6}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Finished</Table.Th>
                      <Table.Th scope="col">Kind</Table.Th>
                      <Table.Th scope="col">Policy</Table.Th>
                      <Table.Th scope="col">Outcome</Table.Th>
                      <Table.Th scope="col">Checks passed, failed, undefined</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((run) => (
                      <Table.Tr key={run.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/measurements/${run.id}`} size="sm">
                            {formatDateTime(run.finishedAt)}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{humanize(run.kind)}</Table.Td>
                        <Table.Td>{run.policyName ?? <Text span size="sm" c="dimmed">no policy</Text>}</Table.Td>
                        <Table.Td>
                          <ToneBadge value={run.result} />
                        </Table.Td>
                        <Table.Td>
                          {run.counts.passed}, {run.counts.failed}, {run.counts.undefined} of {run.counts.outcomes}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group justify="space-between" mt="sm">
                <Text size="sm">
                  {page.offset + 1}–{page.offset + page.items.length} of {page.total} runs
                </Text>
                <Group gap="xs">
                  <Button size="xs" variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
                    Newer runs
                  </Button>
                  <Button size="xs" variant="default" disabled={offset + pageSize >= page.total} onClick={() => setOffset(offset + pageSize)}>
                    Older runs
                  </Button>
                </Group>
              </Group>
            </>
          )
        }
      </QueryState>
      <OpenMonitoringTasks aiSystemId={system.id} headingLevel={3} />
    </Stack>
  );
}
