import { Fragment, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Anchor, Autocomplete, Button, Code, Group, Pagination, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCan } from '../auth/session';
import { DateTime } from '../components/date-time';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { auditPageSize, recordPath, suggestedRecordTypes, useActorOptions, useAuditEvents, type AuditEvent, type AuditFilters } from './audit-api';
import { useUserNames } from '../users/user-names';
import { AuditDiff } from './audit-diff';
import { VerifyChain } from './verify-chain';

/** Text filters that update the URL as the user types, after a short pause. */
const typedFilters = ['recordType', 'recordId', 'action'] as const;

/** Renders the audit trail: events filtered by the URL, each expandable to its changes, with chain verification and export. */
export function AuditTrailPage() {
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = {
    recordType: params.get('recordType') ?? '',
    recordId: params.get('recordId') ?? '',
    actorId: params.get('actorId') ?? '',
    action: params.get('action') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
  };
  const events = useAuditEvents(filters);
  const allEvents = useAuditEvents({ recordType: '', recordId: '', actorId: '', action: '', from: '', to: '', page: 1 });
  const mayListUsers = useCan()('users.read');
  const users = useActorOptions(mayListUsers);
  const actorNames = useUserNames(events.data?.items.map((event) => event.actorId) ?? []);

  const setParam = (changes: Record<string, string | null>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!keepPage) next.delete('page');
    setParams(next, { replace: true });
  };

  const [typed, setTyped] = useState(() => Object.fromEntries(typedFilters.map((key) => [key, filters[key]])) as Record<(typeof typedFilters)[number], string>);
  const [debounced] = useDebouncedValue(typed, 300);
  useEffect(() => {
    const changes = Object.fromEntries(typedFilters.filter((key) => debounced[key].trim() !== filters[key]).map((key) => [key, debounced[key].trim()]));
    if (Object.keys(changes).length > 0) setParam(changes);
    // Only typing updates the URL here; a URL change alone leaves the typed text as it is.
  }, [debounced]);

  const actorOptions = users.data ? [{ value: 'system', label: 'system' }, ...[...users.data].map(([id, name]) => ({ value: id, label: name }))] : [];
  const actorName = (id: string) => actorNames.data?.get(id) ?? id;

  return (
    <>
      <PageTitle
        title="Audit trail"
        subtitle="Every change to a governed record, with who made it, when, and the record before and after; chained by SHA-256"
        actions={
          <Button component="a" href="/api/audit-events/export" download="custos-audit-events.jsonl" variant="default">
            Export as JSON Lines
          </Button>
        }
      />

      <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="verify-heading">
        <Title order={2} size="h5" id="verify-heading" mb="xs">
          Chain verification
        </Title>
        <VerifyChain eventCount={allEvents.data?.total} />
      </Paper>

      <Paper withBorder p="sm" mb="md" component="section" aria-label="Filters">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Autocomplete
            label="Record type"
            placeholder="Any"
            data={suggestedRecordTypes}
            value={typed.recordType}
            onChange={(recordType) => setTyped((current) => ({ ...current, recordType }))}
            w={190}
          />
          <TextInput label="Record id" placeholder="Any" value={typed.recordId} onChange={(event) => setTyped({ ...typed, recordId: event.currentTarget.value })} w={220} />
          <TextInput label="Action" placeholder="For example evidence.created" value={typed.action} onChange={(event) => setTyped({ ...typed, action: event.currentTarget.value })} w={210} />
          {mayListUsers ? (
            <Select label="Actor" placeholder="Anyone" data={actorOptions} value={filters.actorId || null} onChange={(actorId) => setParam({ actorId })} clearable searchable w={220} />
          ) : (
            <TextInput label="Actor (user id)" placeholder="Anyone" defaultValue={filters.actorId} onBlur={(event) => setParam({ actorId: event.currentTarget.value.trim() })} w={220} />
          )}
          <TextInput label="From" type="date" value={filters.from} onChange={(event) => setParam({ from: event.currentTarget.value })} w={160} />
          <TextInput label="To (inclusive)" type="date" value={filters.to} onChange={(event) => setParam({ to: event.currentTarget.value })} w={160} />
          <Button
            variant="subtle"
            onClick={() => {
              setTyped({ recordType: '', recordId: '', action: '' });
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            Clear filters
          </Button>
        </Group>
      </Paper>

      <QueryState query={events} label="the audit events">
        {(page) => (
          <>
            <Text size="sm" c="dimmed" mb="xs" aria-live="polite" data-testid="audit-count">
              {page.total === 1 ? '1 event' : `${page.total.toLocaleString()} events`}, newest first
              {events.isFetching ? ' (updating…)' : ''}
            </Text>
            <EventTable items={page.items} actorName={actorName} />
            {page.total > auditPageSize && (
              <Group justify="center" mt="md">
                <Pagination
                  total={Math.ceil(page.total / auditPageSize)}
                  value={filters.page}
                  onChange={(value) => setParam({ page: String(value) }, true)}
                  getControlProps={(control) => ({ 'aria-label': `${control} page` })}
                  getItemProps={(value) => ({ 'aria-label': `Page ${value}` })}
                />
              </Group>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}

function EventTable({ items, actorName }: { items: AuditEvent[]; actorName: (id: string) => string }) {
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const toggle = (seq: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="md">
        No events match these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" fz="sm" aria-label="Audit events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>Event</Table.Th>
            <Table.Th w={170}>When</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Record</Table.Th>
            <Table.Th w={130}>Changes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((event) => {
            const open = expanded.has(event.seq);
            const path = recordPath(event);
            return (
              <Fragment key={event.seq}>
                <Table.Tr data-testid="audit-row" data-record-type={event.recordType}>
                  <Table.Td>{event.seq}</Table.Td>
                  <Table.Td>
                    <DateTime value={event.occurredAt} withTime />
                  </Table.Td>
                  <Table.Td>{actorName(event.actorId)}</Table.Td>
                  <Table.Td>
                    <Code>{event.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" span>
                      {event.recordType}{' '}
                    </Text>
                    {path ? (
                      <Anchor component={Link} to={path} size="xs" ff="monospace">
                        {event.recordId}
                      </Anchor>
                    ) : (
                      <Text span size="xs" ff="monospace">
                        {event.recordId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="light" onClick={() => toggle(event.seq)} aria-expanded={open} aria-controls={`event-${event.seq}`}>
                      {open ? 'Hide changes' : 'Show changes'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {open && (
                  <Table.Tr id={`event-${event.seq}`}>
                    <Table.Td colSpan={6} bg="var(--mantine-color-gray-0)">
                      <EventDetail event={event} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function EventDetail({ event }: { event: AuditEvent }) {
  return (
    <Stack gap="xs" data-testid="audit-event-detail">
      <AuditDiff before={event.before} after={event.after} />
      <Text size="xs">
        <strong>Reason:</strong> {event.reason ?? 'none given'} · <strong>Request:</strong> {event.requestId ?? 'none (not made through the API)'}
      </Text>
      <Text size="xs" style={{ wordBreak: 'break-all' }}>
        <strong>Hash:</strong> <Code>{event.hash}</Code> <strong>links to the previous hash</strong> <Code>{event.previousHash}</Code>
      </Text>
    </Stack>
  );
}
