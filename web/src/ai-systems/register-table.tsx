import { Anchor, Table, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { TierBadge } from '../components/badges';
import type { AiSystem } from './ai-systems-api';
import { formatDate, stageLabel } from './labels';
import type { SortKey } from './register-query';

interface Props {
  systems: readonly AiSystem[];
  ownerNames: ReadonlyMap<string, string>;
  sort: string;
  onSort: (sort: string) => void;
  /** True while a newer page is loading and the rows shown are the previous ones. */
  stale: boolean;
}

const columns: { label: string; sortKey?: SortKey }[] = [
  { label: 'Name', sortKey: 'name' },
  { label: 'Tier', sortKey: 'classificationTier' },
  { label: 'Lifecycle stage', sortKey: 'lifecycleStage' },
  { label: 'Business unit', sortKey: 'businessUnit' },
  { label: 'Owner', sortKey: 'ownerName' },
  { label: 'Updated', sortKey: 'updatedAt' },
];

const sortArrows = { ascending: '▲', descending: '▼', none: '↕' } as const;

function sortStateOf(sortKey: SortKey | undefined, active: boolean, descending: boolean): 'ascending' | 'descending' | 'none' | undefined {
  if (!sortKey) return undefined;
  if (!active) return 'none';
  return descending ? 'descending' : 'ascending';
}

/** Renders one page of AI systems, each name linking to the system's detail page. */
export function RegisterTable({ systems, ownerNames, sort, onSort, stale }: Props) {
  const descending = sort.startsWith('-');
  const sortedBy = descending ? sort.slice(1) : sort;

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped verticalSpacing={6} aria-busy={stale} style={{ opacity: stale ? 0.6 : 1 }}>
        <Table.Caption>AI systems of the register; select a column heading with a button to sort by it</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => {
              const active = column.sortKey !== undefined && column.sortKey === sortedBy;
              const ariaSort = sortStateOf(column.sortKey, active, descending);
              return (
                <Table.Th key={column.label} aria-sort={ariaSort} scope="col">
                  {column.sortKey ? (
                    <UnstyledButton
                      onClick={() => onSort(active && !descending ? `-${column.sortKey}` : column.sortKey!)}
                      fw={700}
                      fz="sm"
                    >
                      {column.label} <span aria-hidden="true">{sortArrows[ariaSort ?? 'none']}</span>
                    </UnstyledButton>
                  ) : (
                    column.label
                  )}
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {systems.map((system) => (
            <Table.Tr key={system.id}>
              <Table.Td>
                <Anchor component={Link} to={`/ai-systems/${system.id}`} fw={500} fz="sm">
                  {system.name}
                </Anchor>
              </Table.Td>
              <Table.Td style={{ minWidth: 150 }}>
                <TierBadge tier={system.classification?.tier} stale={system.classification?.stale} />
              </Table.Td>
              <Table.Td>{stageLabel(system.lifecycleStage)}</Table.Td>
              <Table.Td>{system.businessUnit}</Table.Td>
              <Table.Td>
                {system.ownerId ? (
                  (ownerNames.get(system.ownerId) ?? system.ownerId)
                ) : (
                  <Text span c="dimmed" fz="sm">
                    no owner
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(system.updatedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
