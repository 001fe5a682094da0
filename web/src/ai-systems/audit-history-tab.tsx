import { useState } from 'react';
import { Alert, Code, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiPath, ApiError, type Page } from '../api/client';
import { useSession } from '../auth/session';
import { QueryState } from '../components/query-state';
import type { AiSystem } from './ai-systems-api';
import { formatDateTime } from './labels';
import { EventPager } from '../audit-trail/event-pager';
import { useUserNames } from '../users/user-names';

interface AuditEvent {
  seq: number;
  occurredAt: string;
  actorId: string;
  action: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

const pageSize = 25;

/** Fields whose values differ between before and after, with both values as short text. */
function changedValues(before: unknown, after: unknown): { field: string; from: string; to: string }[] {
  const left = (before ?? {}) as Record<string, unknown>;
  const right = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((field) => !['version', 'updatedAt', 'createdAt'].includes(field));
  const show = (value: unknown): string => {
    if (value === undefined) return '—';
    if (typeof value === 'string') return value;
    return JSON.stringify(value);
  };
  return fields.filter((field) => JSON.stringify(left[field]) !== JSON.stringify(right[field])).map((field) => ({ field, from: show(left[field]), to: show(right[field]) }));
}

/** Lists the audit events of this AI system's record, newest first, with the fields each one changed. */
export function AuditHistoryTab({ system }: { system: AiSystem }) {
  const session = useSession();
  const [offset, setOffset] = useState(0);
  const events = useQuery({
    queryKey: ['ai-system', system.id, 'audit-history', offset],
    queryFn: () => api<Page<AuditEvent>>(apiPath('/audit-events', { recordId: system.id, limit: pageSize, offset })),
    placeholderData: keepPreviousData,
  });
  const actorNames = useUserNames(events.data?.items.map((event) => event.actorId) ?? []);

  if (events.error instanceof ApiError && events.error.status === 403) {
    return (
      <Alert color="gray" title="Your role may not read the audit trail">
        <Text size="sm">
          The audit trail is open to administrators, internal auditors, members of the oversight board and the data protection officer. The server said: {events.error.message}
        </Text>
      </Alert>
    );
  }

  return (
    <QueryState query={events} label="audit history">
      {(page) =>
        page.total === 0 ? (
          <Text size="sm">No audit event concerns this record.</Text>
        ) : (
          <Stack gap="sm">
            <Table.ScrollContainer minWidth={720}>
              <Table striped verticalSpacing={6}>
                <Table.Caption>Audit events of this AI system, newest first; the audit trail screen verifies the hash chain</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Event</Table.Th>
                    <Table.Th scope="col">When</Table.Th>
                    <Table.Th scope="col">Action</Table.Th>
                    <Table.Th scope="col">By</Table.Th>
                    <Table.Th scope="col">What changed</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((event) => {
                    const changes = changedValues(event.before, event.after);
                    return (
                      <Table.Tr key={event.seq}>
                        <Table.Td>{event.seq}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.occurredAt)}</Table.Td>
                        <Table.Td>
                          <Code>{event.action}</Code>
                        </Table.Td>
                        <Table.Td>{event.actorId === session.user.id ? `${session.user.displayName} (you)` : (actorNames.data?.get(event.actorId) ?? event.actorId)}</Table.Td>
                        <Table.Td>
                          {event.before === null || event.before === undefined ? (
                            <Text size="xs">record created</Text>
                          ) : changes.length === 0 ? (
                            <Text size="xs" c="dimmed">
                              no field of the record changed
                            </Text>
                          ) : (
                            changes.map((change) => (
                              <Text size="xs" key={change.field} style={{ overflowWrap: 'anywhere' }}>
                                <strong>{change.field}</strong>: <del>{truncate(change.from)}</del> → <ins>{truncate(change.to)}</ins>
                              </Text>
                            ))
                          )}
                          {event.reason && (
                            <Text size="xs" c="dimmed">
                              Reason: {event.reason}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <EventPager offset={page.offset} shown={page.items.length} total={page.total} pageSize={pageSize} onOffset={setOffset} />
          </Stack>
        )
      }
    </QueryState>
  );
}

function truncate(text: string): string {
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
