import { Anchor, Group, Loader, Pagination, Select, Table, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import type { Page } from '../api/client';
import { ToneBadge } from '../components/badges';
import { DateTime } from '../components/date-time';
import { BandBadge } from './risk-heatmap-grid';
import { currentRating, type Band, type Risk } from './risk-types';

export const sortKeys = ['title', 'status', 'score', 'updatedAt'] as const;
export type SortKey = (typeof sortKeys)[number] | `-${(typeof sortKeys)[number]}`;
export const pageSizes = [10, 25, 50, 100];

interface Names {
  aiSystems: Map<string, string>;
  owners: Map<string, string>;
  categories: Map<string, string>;
}

interface Props {
  page: Page<Risk>;
  names: Names;
  bands: readonly Band[];
  sort: SortKey;
  onSort: (sort: SortKey) => void;
  pageNumber: number;
  pageSize: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
  loading: boolean;
}

function SortableHeader({ label, sortKey, sort, onSort }: { label: string; sortKey: (typeof sortKeys)[number]; sort: SortKey; onSort: (sort: SortKey) => void }) {
  const active = sort === sortKey || sort === `-${sortKey}`;
  const descending = sort === `-${sortKey}`;
  const next: SortKey = active && !descending ? `-${sortKey}` : sortKey;
  return (
    <Table.Th aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(next)} fw={700} fz="sm">
        {label} {active ? (descending ? '↓' : '↑') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

/** One page of risks with sortable headers and the pager; each title opens the risk. */
export function RiskTable({ page, names, bands, sort, onSort, pageNumber, pageSize, onPage, onPageSize, loading }: Props) {
  const first = page.total === 0 ? 0 : page.offset + 1;
  const last = page.offset + page.items.length;
  const pageCount = Math.max(1, Math.ceil(page.total / pageSize));

  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover verticalSpacing={6} aria-label="Risks" aria-busy={loading}>
          <Table.Thead>
            <Table.Tr>
              <SortableHeader label="Risk" sortKey="title" sort={sort} onSort={onSort} />
              <Table.Th>AI system</Table.Th>
              <Table.Th>Category</Table.Th>
              <SortableHeader label="Current rating" sortKey="score" sort={sort} onSort={onSort} />
              <SortableHeader label="Status" sortKey="status" sort={sort} onSort={onSort} />
              <Table.Th>Owner</Table.Th>
              <SortableHeader label="Updated" sortKey="updatedAt" sort={sort} onSort={onSort} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text size="sm">No risk matches these filters.</Text>
                </Table.Td>
              </Table.Tr>
            )}
            {page.items.map((risk) => {
              const rating = currentRating(risk);
              return (
                <Table.Tr key={risk.id} data-testid="risk-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/risks/${risk.id}`} size="sm" fw={500}>
                      {risk.title}
                    </Anchor>
                    {risk.beyondAppetite && (
                      <ToneBadge value="overdue" label="beyond appetite" />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{risk.aiSystemId ? (names.aiSystems.get(risk.aiSystemId) ?? risk.aiSystemId) : 'Organization-wide'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{names.categories.get(risk.category) ?? risk.category}</Text>
                  </Table.Td>
                  <Table.Td>
                    {rating ? (
                      <Group gap={6} wrap="nowrap">
                        <BandBadge band={rating.band} bands={bands} />
                        <Text size="xs" c="dimmed" title="likelihood × impact = score">
                          {rating.likelihood}×{rating.impact}={rating.score}
                          {risk.residual ? ' residual' : ' inherent'}
                        </Text>
                      </Group>
                    ) : (
                      <Text size="sm" c="dimmed">
                        not rated
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ToneBadge value={risk.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{names.owners.get(risk.ownerPersonId) ?? risk.ownerPersonId}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      <DateTime value={risk.updatedAt} />
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Group justify="space-between" mt="sm" wrap="wrap" gap="sm">
        <Group gap="xs">
          <Text size="sm" data-testid="risk-count">
            {first}–{last} of {page.total} {page.total === 1 ? 'risk' : 'risks'}
          </Text>
          {loading && <Loader size="xs" role="status" aria-label="Loading the risks" />}
        </Group>
        <Group gap="sm" wrap="wrap">
          <Select
            label="Rows per page"
            size="xs"
            w={110}
            value={String(pageSize)}
            data={pageSizes.map((size) => ({ value: String(size), label: String(size) }))}
            onChange={(value) => value && onPageSize(Number(value))}
            allowDeselect={false}
          />
          <Pagination total={pageCount} value={pageNumber} onChange={onPage} size="sm" getControlProps={(control) => ({ 'aria-label': `${control} page` })} getItemProps={(item) => ({ 'aria-label': `Page ${item}` })} />
        </Group>
      </Group>
    </>
  );
}

