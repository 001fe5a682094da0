import { useEffect, useState } from 'react';
import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { humanize } from '../components/badges';
import { riskStatuses, treatmentStates, type Band, type RiskFacets } from './risk-types';

/** The register's filters as the URL carries them; the names are those of GET /api/risks. */
export const filterKeys = ['q', 'aiSystemId', 'scope', 'category', 'band', 'status', 'ownerPersonId', 'treatment', 'escalated', 'beyondAppetite', 'likelihood', 'impact'] as const;
export type FilterKey = (typeof filterKeys)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export function readFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

/** The AI system select also offers organization-wide risks, which the API filters by scope. */
const organizationWide = '__organization__';

interface Props {
  filters: Filters;
  facets: RiskFacets | undefined;
  bands: readonly Band[];
  onChange: (changes: Filters) => void;
}

export function RiskFilters({ filters, facets, bands, onChange }: Props) {
  const [search, setSearch] = useState(filters.q ?? '');
  const [debouncedSearch] = useDebouncedValue(search, 250);
  useEffect(() => {
    if ((filters.q ?? '') !== debouncedSearch) onChange({ q: debouncedSearch });
    // Only a change of the typed text writes the URL; a URL change updates the box below.
  }, [debouncedSearch]);
  useEffect(() => {
    setSearch(filters.q ?? '');
  }, [filters.q]);

  const systemValue = filters.scope === 'organization' ? organizationWide : (filters.aiSystemId ?? null);
  const anyFilter = filterKeys.some((key) => filters[key]);

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" mb="md">
      <TextInput label="Search" placeholder="Title, description or threat" value={search} onChange={(event) => setSearch(event.currentTarget.value)} w={240} />
      <Select
        label="AI system"
        placeholder="Any"
        searchable
        clearable
        value={systemValue}
        data={[{ value: organizationWide, label: 'Organization-wide risks' }, ...(facets?.aiSystems ?? []).map((system) => ({ value: system.id, label: `${system.name} (${system.count})` }))]}
        onChange={(value) => onChange(value === organizationWide ? { scope: 'organization', aiSystemId: '' } : { aiSystemId: value ?? '', scope: '' })}
        w={240}
      />
      <Select
        label="Category"
        placeholder="Any"
        clearable
        value={filters.category ?? null}
        data={(facets?.categories ?? []).map((category) => ({ value: category.id, label: `${category.name} (${category.count})` }))}
        onChange={(value) => onChange({ category: value ?? '' })}
        w={170}
      />
      <Select
        label="Band (current rating)"
        placeholder="Any"
        clearable
        value={filters.band ?? null}
        data={bands.map((band) => ({ value: band.key, label: band.label }))}
        onChange={(value) => onChange({ band: value ?? '' })}
        w={170}
      />
      <Select
        label="Status"
        placeholder="Any"
        clearable
        value={filters.status ?? null}
        data={riskStatuses.map((status) => ({ value: status, label: humanize(status) }))}
        onChange={(value) => onChange({ status: value ?? '' })}
        w={170}
      />
      <Select
        label="Owner"
        placeholder="Anyone"
        searchable
        clearable
        value={filters.ownerPersonId ?? null}
        data={(facets?.owners ?? []).map((owner) => ({ value: owner.id, label: `${owner.name} (${owner.count})` }))}
        onChange={(value) => onChange({ ownerPersonId: value ?? '' })}
        w={200}
      />
      <Select
        label="Treatment"
        placeholder="Any"
        clearable
        value={filters.treatment ?? null}
        data={treatmentStates.map((state) => ({ value: state.value, label: state.label }))}
        onChange={(value) => onChange({ treatment: value ?? '' })}
        w={190}
      />
      <Select
        label="Escalation"
        placeholder="Any"
        clearable
        value={filters.escalated ?? null}
        data={[
          { value: 'true', label: 'Escalated (open)' },
          { value: 'false', label: 'Not escalated' },
        ]}
        onChange={(value) => onChange({ escalated: value ?? '' })}
        w={170}
      />
      <Select
        label="Appetite"
        placeholder="Any"
        clearable
        value={filters.beyondAppetite ?? null}
        data={[
          { value: 'true', label: 'Beyond appetite' },
          { value: 'false', label: 'Within appetite' },
        ]}
        onChange={(value) => onChange({ beyondAppetite: value ?? '' })}
        w={170}
      />
      {anyFilter && (
        <Button variant="subtle" onClick={() => onChange(Object.fromEntries(filterKeys.map((key) => [key, ''])))}>
          Clear all filters
        </Button>
      )}
    </Group>
  );
}
