import { Fragment, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Anchor, Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { basisLabels, decisionLabels, groupLabel, statusLabels, type ImplementationStatus, type Person, type SoaEntry } from './soa-api';
import { DecisionBadge, ImplementationBadge } from './soa-badges';
import { SoaEntryEditor } from './soa-entry-editor';
import type { GroupSummary } from './soa-group-progress';
import type { EntryEdit, EntryForm } from './use-entry-edits';
import { ScrollRegion } from './scroll-region';

interface Filters {
  q: string;
  group: string;
  decision: string;
  status: string;
}

interface Props {
  entries: readonly SoaEntry[];
  groups: readonly GroupSummary[];
  people: readonly Person[];
  /** The reason the rows cannot be edited, or null when they can. */
  readOnlyReason: string | null;
  edits: Record<string, EntryEdit>;
  onStartEdit: (entry: SoaEntry) => void;
  onChange: (ref: string, values: Partial<EntryForm>) => void;
  onSave: (entry: SoaEntry, edit: EntryEdit) => void;
  onCancel: (ref: string) => void;
  onReload: (ref: string) => void;
}

/** Every control of the version, grouped by Annex A group, with filters kept in the address. */
export function SoaControlsTable({ entries, groups, people, readOnlyReason, edits, onStartEdit, onChange, onSave, onCancel, onReload }: Props) {
  const [params, setParams] = useSearchParams();
  const filters: Filters = { q: params.get('q') ?? '', group: params.get('group') ?? '', decision: params.get('decision') ?? '', status: params.get('status') ?? '' };
  const setFilter = (name: keyof Filters, value: string) => {
    // The address bar, not the params of the last render, so that two quick changes both stay.
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const shown = useMemo(() => entries.filter((entry) => matches(entry, filters)), [entries, filters.q, filters.group, filters.decision, filters.status]);
  const shownGroups = groups.filter((group) => shown.some((entry) => (entry.groupRef ?? entry.frameworkId) === group.key));

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search controls"
          placeholder="Control, title, justification or owner"
          value={filters.q}
          onChange={(event) => setFilter('q', event.currentTarget.value)}
          w={260}
        />
        <NativeSelect
          label="Group"
          value={filters.group}
          onChange={(event) => setFilter('group', event.currentTarget.value)}
          data={[{ value: '', label: 'All groups' }, ...groups.map((group) => ({ value: group.key, label: group.label }))]}
          w={240}
        />
        <NativeSelect
          label="Applicability"
          value={filters.decision}
          onChange={(event) => setFilter('decision', event.currentTarget.value)}
          data={[{ value: '', label: 'Any' }, ...Object.entries(decisionLabels).map(([value, label]) => ({ value, label }))]}
          w={150}
        />
        <NativeSelect
          label="Implementation status"
          value={filters.status}
          onChange={(event) => setFilter('status', event.currentTarget.value)}
          data={[{ value: '', label: 'Any' }, ...Object.entries(statusLabels).map(([value, label]) => ({ value, label }))]}
          w={190}
        />
      </Group>
      <Text size="sm" c="dimmed" role="status">
        Showing {shown.length} of {entries.length} controls
      </Text>

      {shownGroups.map((group) => (
        <ScrollRegion minWidth={860} key={group.key} label={`Controls of ${group.label}`}>
          <Table withTableBorder verticalSpacing={6} fz="sm" layout="fixed" data-testid={`soa-group-${group.key}`}>
            <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
              <Text span fw={600} c="dark">
                {group.label}
              </Text>{' '}
              · {group.implemented} of {group.applicable} applicable controls implemented{group.excluded > 0 ? `, ${group.excluded} excluded` : ''}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w={190}>
                  Control
                </Table.Th>
                <Table.Th scope="col" w={120}>
                  Applicability
                </Table.Th>
                <Table.Th scope="col">Justification</Table.Th>
                <Table.Th scope="col" w={130}>
                  Status
                </Table.Th>
                <Table.Th scope="col" w={120}>
                  Owner
                </Table.Th>
                <Table.Th scope="col" w={130}>
                  Evidence
                </Table.Th>
                {!readOnlyReason && (
                  <Table.Th scope="col" w={80}>
                    Action
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown
                .filter((entry) => (entry.groupRef ?? entry.frameworkId) === group.key)
                .map((entry) => {
                  const edit = edits[entry.controlRef];
                  return (
                    <Fragment key={entry.controlRef}>
                      <EntryRow entry={entry} editing={edit !== undefined} readOnlyReason={readOnlyReason} onEdit={() => onStartEdit(entry)} />
                      {edit && (
                        <Table.Tr>
                          <Table.Td colSpan={readOnlyReason ? 6 : 7} p={0}>
                            <SoaEntryEditor
                              entry={entry}
                              edit={edit}
                              people={people}
                              onChange={(values) => onChange(entry.controlRef, values)}
                              onSave={() => onSave(entry, edit)}
                              onCancel={() => onCancel(entry.controlRef)}
                              onReload={() => onReload(entry.controlRef)}
                            />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      ))}
      {shown.length === 0 && <Text size="sm">No control matches these filters. Clear a filter to see more.</Text>}
    </Stack>
  );
}

function EntryRow({ entry, editing, readOnlyReason, onEdit }: { entry: SoaEntry; editing: boolean; readOnlyReason: string | null; onEdit: () => void }) {
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Table.Tr data-testid={`soa-row-${entry.controlId}`} style={{ verticalAlign: 'top' }}>
      <Table.Th scope="row" fw={400}>
        <Text span fw={600} size="sm">
          {entry.controlId}
        </Text>{' '}
        <Text span size="sm">
          {entry.controlTitle}
        </Text>
      </Table.Th>
      <Table.Td>
        <DecisionBadge decision={entry.decision} />
      </Table.Td>
      <Table.Td>
        <Text size="xs">{entry.justification || <em>No justification yet</em>}</Text>
        {entry.basis.length > 0 && (
          <Text size="xs" c="dimmed" mt={2}>
            Grounds: {entry.basis.map((basis) => basisLabels[basis]).join(', ')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{entry.implementationStatus ? <ImplementationBadge status={entry.implementationStatus} /> : <Text size="xs">None</Text>}</Table.Td>
      <Table.Td>
        <Text size="xs">{entry.ownerName ?? 'No owner'}</Text>
      </Table.Td>
      <Table.Td>
        {entry.evidence.length === 0 ? (
          <Text size="xs">None</Text>
        ) : (
          <Stack gap={2}>
            <Text size="xs" fw={500}>
              {entry.evidence.length} {entry.evidence.length === 1 ? 'item' : 'items'}
            </Text>
            {entry.evidence.map((item) => (
              <Anchor component={Link} to={`/evidence?id=${encodeURIComponent(item.id)}`} size="xs" key={item.id}>
                {item.title}
                {item.validUntil && item.validUntil < today ? ' (expired)' : ''}
              </Anchor>
            ))}
          </Stack>
        )}
      </Table.Td>
      {!readOnlyReason && (
        <Table.Td>
          <Button size="compact-xs" variant="light" onClick={onEdit} disabled={editing} aria-label={editing ? `Editing ${entry.controlId}` : `Edit ${entry.controlId}`}>
            {editing ? 'Editing' : 'Edit'}
          </Button>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

function matches(entry: SoaEntry, filters: Filters): boolean {
  if (filters.group && (entry.groupRef ?? entry.frameworkId) !== filters.group) return false;
  if (filters.decision && entry.decision !== filters.decision) return false;
  if (filters.status && entry.implementationStatus !== (filters.status as ImplementationStatus)) return false;
  const query = filters.q.trim().toLowerCase();
  if (!query) return true;
  return [entry.controlId, entry.controlTitle, entry.justification, entry.ownerName ?? '', entry.notes, groupLabel(entry)].some((text) => text.toLowerCase().includes(query));
}
