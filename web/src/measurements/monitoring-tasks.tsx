import { useState } from 'react';
import { Anchor, Button, Group, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { useCan, useReadOnly } from '../auth/session';
import { humanize } from '../components/badges';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { QueryState } from '../components/query-state';
import { dateTime } from './format';
import { closeTask, listOpenTasks, type MonitoringTask } from './measurement-api';

/**
 * Lists the open retraining and review tasks that control chart breaches opened, of one AI system
 * or of all, optionally of one metric. A user with monitoring_tasks.close closes a task with a
 * resolution note, and the server records the closing in the audit trail.
 */
export function OpenMonitoringTasks({ aiSystemId, metric, headingLevel = 2 }: { aiSystemId?: string; metric?: string; headingLevel?: 2 | 3 }) {
  const tasks = useQuery({ queryKey: ['monitoring-tasks', 'open', aiSystemId], queryFn: () => listOpenTasks(aiSystemId) });
  const can = useCan();
  const readOnly = useReadOnly();
  const mayClose = can('monitoring_tasks.close') && !readOnly;
  const [closing, setClosing] = useState<MonitoringTask | null>(null);
  const headingId = `open-tasks-${aiSystemId ?? 'all'}-${metric ?? 'all'}`;

  return (
    <section aria-labelledby={headingId} data-testid="open-monitoring-tasks">
      <Title order={headingLevel} size={headingLevel === 2 ? 'h4' : 'h5'} id={headingId} mb="xs">
        Open monitoring tasks
      </Title>
      <QueryState query={tasks} label="monitoring tasks">
        {(data) => {
          const shown = metric ? data.items.filter((task) => task.metric === metric) : data.items;
          if (shown.length === 0) {
            return (
              <Text size="sm" c="dimmed">
                No control chart breach has an open task.
              </Text>
            );
          }
          return (
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover aria-label="Open monitoring tasks">
                <Table.Thead>
                  <Table.Tr>
                    {!aiSystemId && <Table.Th>AI system</Table.Th>}
                    <Table.Th>Task</Table.Th>
                    <Table.Th>Metric</Table.Th>
                    <Table.Th>Breach</Table.Th>
                    <Table.Th>Due</Table.Th>
                    <Table.Th>Run that breached</Table.Th>
                    {mayClose && <Table.Th>Action</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((task) => (
                    <Table.Tr key={task.id} data-testid="monitoring-task-row">
                      {!aiSystemId && <Table.Td>{task.aiSystemName}</Table.Td>}
                      <Table.Td>{humanize(task.kind)}</Table.Td>
                      <Table.Td>{taskTarget(task)}</Table.Td>
                      <Table.Td>
                        {humanize(task.chart)}: {task.rule}
                      </Table.Td>
                      <Table.Td>
                        {dateTime(task.dueDate)}
                        {task.overdue ? ' (overdue)' : ''}
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/measurements/${task.runId}`} size="sm">
                          open the run
                        </Anchor>
                      </Table.Td>
                      {mayClose && (
                        <Table.Td>
                          <Button size="compact-xs" variant="default" onClick={() => setClosing(task)} aria-label={`Close task: ${humanize(task.kind)} for ${taskTarget(task)}`}>
                            Close task
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          );
        }}
      </QueryState>
      {closing && <CloseTaskDialog task={closing} onDone={() => setClosing(null)} onReload={() => void tasks.refetch().then(() => setClosing(null))} />}
    </section>
  );
}

function taskTarget(task: MonitoringTask): string {
  return `${humanize(task.metric)}${task.group ? ` · ${task.group}` : ''}${task.column ? ` · column ${task.column}` : ''}`;
}

function CloseTaskDialog({ task, onDone, onReload }: { task: MonitoringTask; onDone: () => void; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [resolution, setResolution] = useState('');
  const close = useMutation({
    mutationFn: () => closeTask(task, resolution),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['monitoring-tasks'] }),
        queryClient.invalidateQueries({ queryKey: ['audit-events'] }),
        queryClient.invalidateQueries({ queryKey: ['dashboard'] }),
      ]);
      onDone();
    },
  });
  const error = close.error;
  const conflict = error instanceof ApiError && error.status === 412;
  const fieldError = error instanceof ApiError ? error.fieldMessage('resolution') : undefined;
  const blank = resolution.trim() === '';

  return (
    <Modal opened onClose={onDone} title={`Close the ${humanize(task.kind)} task`}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!blank) close.mutate();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            {task.aiSystemName}: {taskTarget(task)}, {humanize(task.chart)} rule {task.rule}, due {dateTime(task.dueDate)}.
          </Text>
          <Textarea
            label="Resolution"
            description="What was done about the breach: retrained, reviewed and accepted, data fixed …"
            value={resolution}
            onChange={(event) => setResolution(event.currentTarget.value)}
            error={fieldError}
            required
            autosize
            minRows={3}
            maxLength={4000}
            data-autofocus
          />
          {conflict && <ConflictAlert onReload={onReload} />}
          {error && !conflict && !fieldError && <ErrorAlert error={error} />}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={close.isPending} disabled={blank}>
              Close the task
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
