import { useMemo } from 'react';
import { Alert, Paper, Text } from '@mantine/core';
import { ErrorAlert } from '../components/error-alert';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { usePersonNames } from '../people/person-names';
import { useAiSystemFacets, useAiSystemPage } from './ai-systems-api';
import { RegisterFilters } from './register-filters';
import { RegisterPagination } from './register-pagination';
import { useRegisterQuery } from './register-query';
import { RegisterTable } from './register-table';

const noNames: ReadonlyMap<string, string> = new Map();

/** Shows the AI system register with search, filters, sorting and paging, all kept in the address. */
export function RegisterPage() {
  const { query, apiQuery, update, filtered, clear } = useRegisterQuery();
  const systems = useAiSystemPage(apiQuery);
  const facets = useAiSystemFacets();
  const ownerIds = useMemo(() => (systems.data?.items ?? []).map((system) => system.ownerId), [systems.data]);
  const ownerNames = usePersonNames(ownerIds).data ?? noNames;

  return (
    <>
      <PageTitle
        title="AI systems"
        subtitle={facets.data ? `${facets.data.total} AI systems in the register, ${facets.data.stale} with a stale classification` : 'The AI system register'}
      />
      <RegisterFilters query={query} facets={facets.data} filtered={filtered} onChange={update} onClear={clear} />
      {facets.isError && <ErrorAlert error={facets.error} onRetry={() => void facets.refetch()} />}
      <Paper withBorder p="xs">
        <QueryState query={systems} label="AI systems">
          {(page) => (
            <>
              {page.items.length === 0 ? (
                <Alert color="gray" title="No AI system matches">
                  <Text size="sm">{filtered ? 'Change the search or clear the filters to see more systems.' : 'The register is empty; register a system through the API or import a register file.'}</Text>
                </Alert>
              ) : (
                <RegisterTable
                  systems={page.items}
                  ownerNames={ownerNames}
                  sort={query.sort}
                  onSort={(sort) => update({ sort })}
                  stale={systems.isPlaceholderData}
                />
              )}
              <RegisterPagination
                total={page.total}
                limit={query.limit}
                offset={query.offset}
                onPage={(offset) => update({ offset })}
                onPageSize={(limit) => update({ limit })}
              />
            </>
          )}
        </QueryState>
      </Paper>
    </>
  );
}
