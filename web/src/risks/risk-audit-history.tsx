import { useState } from 'react';
import { Anchor, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, apiPath, type Page } from '../api/client';
import { useCan, useSession } from '../auth/session';
import { QueryState } from '../components/query-state';
import type { AuditEvent } from '../audit-trail/audit-api';
import { useUserNames } from '../users/user-names';
import { EventPager } from '../audit-trail/event-pager';
import { AuditDiff } from '../audit-trail/audit-diff';

const pageSize = 10;

/**
 * The audit events of one risk record, newest first, each with its before and after. Only roles
 * that may read the audit trail see the events; the others read a sentence that explains why.
 */
export function RiskAuditHistory({ riskId }: { riskId: string }) {
  const can = useCan();
  const session = useSession();
  const mayRead = can('audit.read');
  const [offset, setOffset] = useState(0);
  const events = useQuery({
    queryKey: ['risk-audit', riskId, offset],
    queryFn: () => api<Page<AuditEvent>>(apiPath('/audit-events', { recordType: 'risk', recordId: riskId, order: 'desc', limit: pageSize, offset })),
    placeholderData: keepPreviousData,
    enabled: mayRead,
  });
  const users = useUserNames(events.data?.items.map((event) => event.actorId) ?? []);
  const actorName = (id: string) => (id === session.user.id ? `${session.user.displayName || session.user.username} (you)` : (users.data?.get(id) ?? id));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="risk-history-heading">
      <Title order={2} size="h4" id="risk-history-heading" mb="sm">
        History
      </Title>
      {!mayRead ? (
        <Text size="sm">The audit trail is open to administrators, internal auditors, members of the oversight board and the data protection officer.</Text>
      ) : events.isPending ? (
        // Text rather than the shared loader: its span carries aria-label without a role, which axe-core 4.14 reports as serious.
        <Text size="sm" c="dimmed">
          Loading the history of the risk…
        </Text>
      ) : (
        <QueryState query={events} label="the history of the risk">
          {(page) =>
            page.total === 0 ? (
              <Text size="sm">No audit event concerns this risk.</Text>
            ) : (
              <Stack gap="md">
                {page.items.map((event) => (
                  <div key={event.seq} data-testid="risk-audit-event">
                    <Group gap="xs" mb={4} wrap="wrap">
                      <Code>{event.action}</Code>
                      <Text size="xs">
                        {event.occurredAt.slice(0, 19).replace('T', ' ')} UTC by {actorName(event.actorId)} · event {event.seq}
                      </Text>
                    </Group>
                    {event.reason && (
                      <Text size="xs" c="dimmed" mb={4}>
                        Reason: {event.reason}
                      </Text>
                    )}
                    <AuditDiff before={event.before} after={event.after} />
                  </div>
                ))}
                <EventPager offset={page.offset} shown={page.items.length} total={page.total} pageSize={pageSize} onOffset={setOffset}>
                  {' · '}
                  <Anchor component={Link} to={`/audit-trail?recordType=risk&recordId=${riskId}`} size="sm">
                    open in the audit trail
                  </Anchor>
                </EventPager>
              </Stack>
            )
          }
        </QueryState>
      )}
    </Paper>
  );
}
