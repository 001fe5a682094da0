import { useEffect, useRef, useState } from 'react';
import { Button, Group, NativeSelect, Select, TextInput } from '@mantine/core';
import { humanize } from '../components/badges';
import type { AiSystemFacets } from './ai-systems-api';
import { stageLabel } from './labels';
import type { FilterKey, RegisterQuery } from './register-query';

interface Props {
  query: RegisterQuery;
  facets: AiSystemFacets | undefined;
  filtered: boolean;
  onChange: (changes: Partial<Record<FilterKey, string>>, options?: { replace?: boolean }) => void;
  onClear: () => void;
}

/** Search and filters of the register; the counts come from GET /api/ai-systems/facets. */
export function RegisterFilters({ query, facets, filtered, onChange, onClear }: Props) {
  const { filters } = query;
  const withCount = (label: string, count: number) => `${label} (${count})`;

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" mb="sm">
      <SearchBox value={filters.q} onSearch={(q) => onChange({ q }, { replace: true })} />
      <NativeSelect
        label="Tier"
        value={filters.classificationTier}
        onChange={(event) => onChange({ classificationTier: event.currentTarget.value })}
        data={[{ value: '', label: 'Any tier' }, ...(facets?.classificationTiers ?? []).map((tier) => ({ value: tier.value, label: withCount(humanize(tier.value), tier.count) }))]}
        w={170}
      />
      <NativeSelect
        label="Lifecycle stage"
        value={filters.lifecycleStage}
        onChange={(event) => onChange({ lifecycleStage: event.currentTarget.value })}
        data={[{ value: '', label: 'Any stage' }, ...(facets?.lifecycleStages ?? []).map((stage) => ({ value: stage.value, label: withCount(stageLabel(stage.value), stage.count) }))]}
        w={170}
      />
      <Select
        label="Business unit"
        placeholder="Any business unit"
        searchable
        clearable
        value={filters.businessUnit || null}
        onChange={(value) => onChange({ businessUnit: value ?? '' })}
        data={(facets?.businessUnits ?? []).map((unit) => ({ value: unit.value, label: withCount(unit.value, unit.count) }))}
        nothingFoundMessage="No business unit matches"
        w={240}
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        label="Owner"
        placeholder={facets && facets.owners.length === 0 ? 'No system has an owner' : 'Any owner'}
        searchable
        clearable
        disabled={facets !== undefined && facets.owners.length === 0 && !filters.ownerId}
        value={filters.ownerId || null}
        onChange={(value) => onChange({ ownerId: value ?? '' })}
        data={(facets?.owners ?? []).map((owner) => ({ value: owner.personId, label: withCount(owner.name, owner.count) }))}
        nothingFoundMessage="No owner matches"
        w={200}
      />
      <NativeSelect
        label="Classification"
        value={filters.classificationStale}
        onChange={(event) => onChange({ classificationStale: event.currentTarget.value })}
        data={[
          { value: '', label: 'Any' },
          { value: 'true', label: facets ? withCount('Stale, review due', facets.stale) : 'Stale, review due' },
          { value: 'false', label: 'Up to date' },
        ]}
        w={180}
      />
      {filtered && (
        <Button variant="subtle" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}

/**
 * Renders the search box, which searches on every change: the request for the previous text is
 * cancelled and its rows stay on screen until the new ones arrive, so typing neither waits for a
 * pause nor blanks the table. A change of the address from elsewhere (back button, clear filters)
 * replaces the text. The echo of the box's own searches does not, so a key typed while the address
 * catches up is kept.
 */
function SearchBox({ value, onSearch }: { value: string; onSearch: (text: string) => void }) {
  const [text, setText] = useState(value);
  const sent = useRef(value);

  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);

  const change = (next: string) => {
    setText(next);
    const trimmed = next.trim();
    if (trimmed !== sent.current) {
      sent.current = trimmed;
      onSearch(trimmed);
    }
  };

  return (
    <TextInput
      label="Search"
      type="search"
      placeholder="Name, purpose or business unit"
      value={text}
      onChange={(event) => change(event.currentTarget.value)}
      w={260}
    />
  );
}
