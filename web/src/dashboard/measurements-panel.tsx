import { Anchor, Group, List, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { humanize } from '../components/badges';
import { DateTime } from '../components/date-time';
import type { DashboardSummary } from './dashboard-types';
import { Panel } from './panel';
import { ToneBadge } from '../components/badges';

/** Lists the latest measurement runs that failed a threshold, and the monitoring tasks that control chart breaches opened. */
export function MeasurementsPanel({ measurements }: { measurements: DashboardSummary['measurements'] }) {
  const { latestFailed, monitoringTasks } = measurements;
  return (
    <Panel title="Breached thresholds" link={{ to: '/measurements', label: 'All measurements' }} testId="panel-measurements">
      <Stack gap="sm">
        <div>
          <Text size="sm" fw={600}>
            Failed measurement runs: {measurements.failedRuns}
          </Text>
          {latestFailed.length === 0 ? (
            <Text size="sm" c="dimmed">
              No measurement run has failed.
            </Text>
          ) : (
            <List size="sm" spacing={2}>
              {latestFailed.map((run) => (
                <List.Item key={run.id}>
                  <Group gap={6} wrap="wrap" component="span">
                    <ToneBadge value="failed" />
                    <Anchor component={Link} to={`/measurements/${run.id}`} size="sm">
                      {run.aiSystemName}: {run.policyName ?? `${run.kind} measurement`}
                    </Anchor>
                    <Text span size="sm" c="dimmed">
                      {run.failed} of {run.outcomes} checks failed · <DateTime value={run.finishedAt} />
                    </Text>
                  </Group>
                </List.Item>
              ))}
            </List>
          )}
        </div>
        <div>
          <Text size="sm" fw={600}>
            Open monitoring tasks: {monitoringTasks.open} ({monitoringTasks.overdue} overdue)
          </Text>
          <List size="sm" spacing={2}>
            {monitoringTasks.items.map((task) => (
              <List.Item key={task.id}>
                <Anchor component={Link} to={`/ai-systems/${task.aiSystemId}/measurements`} size="sm">
                  {task.aiSystemName}
                </Anchor>{' '}
                <Text span size="sm" c="dimmed">
                  {humanize(task.kind)} of {humanize(task.metric)}, due <DateTime value={task.dueDate} />
                  {task.overdue ? ' (overdue)' : ''}
                </Text>
              </List.Item>
            ))}
          </List>
        </div>
      </Stack>
    </Panel>
  );
}
