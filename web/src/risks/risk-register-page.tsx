import { Alert, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, apiPath, type Page } from '../api/client';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { ErrorAlert } from '../components/error-alert';
import { RiskFilters, readFilters, type Filters } from './risk-filters';
import { RiskHeatmapGrid } from './risk-heatmap-grid';
import { RiskTable, pageSizes, type SortKey } from './risk-table';
import type { Risk, RiskFacets, RiskHeatmap } from './risk-types';

/**
 * Shows the risk register with its filters, sort and page kept in the URL. A heatmap counts the
 * filtered risks, and pressing one of its cells narrows the table to that likelihood × impact cell.
 */
export function RiskRegisterPage() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const sort = (params.get('sort') ?? 'title') as SortKey;
  const pageSize = pageSizes.includes(Number(params.get('pageSize'))) ? Number(params.get('pageSize')) : 25;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);

  const update = (changes: Record<string, string>, resetPage = true) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        if (resetPage) next.delete('page');
        return next;
      },
      { replace: true },
    );
  };

  // The heatmap shows every cell of the other filters, so that a selected cell can be changed.
  const { likelihood, impact, ...heatmapFilters } = filters;
  const selectedCell = likelihood && impact ? { likelihood: Number(likelihood), impact: Number(impact) } : null;

  const facets = useQuery({ queryKey: ['risk-facets'], queryFn: () => api<RiskFacets>('/dashboard/risk-facets') });
  const heatmap = useQuery({
    queryKey: ['risk-heatmap', heatmapFilters],
    queryFn: () => api<RiskHeatmap>(apiPath('/dashboard/risk-heatmap', heatmapFilters)),
    placeholderData: keepPreviousData,
  });
  const risks = useQuery({
    queryKey: ['risks', filters, sort, page, pageSize],
    queryFn: () => api<Page<Risk>>(apiPath('/risks', { ...filters, sort, limit: pageSize, offset: (page - 1) * pageSize })),
    placeholderData: keepPreviousData,
  });

  const names = {
    aiSystems: new Map((facets.data?.aiSystems ?? []).map((system) => [system.id, system.name])),
    owners: new Map((facets.data?.owners ?? []).map((owner) => [owner.id, owner.name])),
    categories: new Map((facets.data?.categories ?? []).map((category) => [category.id, category.name])),
  };

  return (
    <>
      <PageTitle title="Risks" subtitle="Risks of AI systems and of the organization, rated on the calibrated likelihood × impact matrix" />
      {facets.isError && <ErrorAlert error={facets.error} onRetry={() => void facets.refetch()} />}
      <RiskFilters filters={filters} facets={facets.data} bands={heatmap.data?.bands ?? []} onChange={(changes: Filters) => update(changes as Record<string, string>)} />

      <Stack gap="md">
        <Paper withBorder p="md" component="section" aria-labelledby="risk-heatmap-heading" maw={720}>
          <Title order={2} size="h4" id="risk-heatmap-heading" mb="xs">
            Heatmap of the filtered risks
          </Title>
          <QueryState query={heatmap} label="the heatmap">
            {(data) => (
              <RiskHeatmapGrid
                heatmap={data}
                caption="Current rating (residual, else inherent); press a cell to list its risks"
                selected={selectedCell}
                onSelect={(cell) => update({ likelihood: cell ? String(cell.likelihood) : '', impact: cell ? String(cell.impact) : '' })}
              />
            )}
          </QueryState>
        </Paper>

        <Box miw={0}>
          {selectedCell && (
            <Alert color="indigo" variant="light" mb="sm" p="xs">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Text size="sm">
                  Showing the cell likelihood {selectedCell.likelihood}, impact {selectedCell.impact}.
                </Text>
                <Button size="xs" variant="subtle" onClick={() => update({ likelihood: '', impact: '' })}>
                  Show all cells
                </Button>
              </Group>
            </Alert>
          )}
          <QueryState query={risks} label="the risks">
            {(data) => (
              <RiskTable
                page={data}
                names={names}
                bands={heatmap.data?.bands ?? []}
                sort={sort}
                onSort={(next) => update({ sort: next === 'title' ? '' : next })}
                pageNumber={page}
                pageSize={pageSize}
                onPage={(next) => update({ page: next === 1 ? '' : String(next) }, false)}
                onPageSize={(next) => update({ pageSize: next === 25 ? '' : String(next) })}
                loading={risks.isFetching}
              />
            )}
          </QueryState>
        </Box>
      </Stack>
    </>
  );
}
