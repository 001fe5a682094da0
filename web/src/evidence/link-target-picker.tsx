import { useState } from 'react';
import { Group, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { linkTargetLabels, linkTargetTypes, searchLinkTargets, type LinkTargetOption, type LinkTargetType } from './evidence-api';

export interface LinkTargetValue {
  targetType: LinkTargetType;
  targetId: string | null;
}

/**
 * Two linked fields: the kind of record, then a searchable list of records of that kind, filled
 * from the API as the user types. `error` appears under the record field.
 */
export function LinkTargetPicker({
  value,
  onChange,
  typeLabel = 'Link to',
  targetLabel = 'Record',
  error,
  disabled,
}: {
  value: LinkTargetValue;
  onChange: (value: LinkTargetValue) => void;
  typeLabel?: string;
  targetLabel?: string;
  error?: string;
  disabled?: boolean;
}) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<LinkTargetOption | null>(null);
  // Once a record is chosen, the field shows its label as the search text; that lists everything again.
  const [debounced] = useDebouncedValue(chosen && search === chosen.label ? '' : search, 250);
  const options = useQuery({
    queryKey: ['link-targets', value.targetType, debounced],
    queryFn: ({ signal }) => searchLinkTargets(value.targetType, debounced, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

  // The chosen record stays in the list while another search runs, so the field keeps showing it.
  const found = options.data ?? [];
  const selected = value.targetId;
  let data = found;
  if (selected && !found.some((option) => option.value === selected)) {
    // A record named by the URL has no label until a search finds it, so its id is shown instead.
    data = [chosen?.value === selected ? chosen : { value: selected, label: selected }, ...found];
  }

  return (
    <Group align="flex-start" grow wrap="wrap" gap="sm">
      <Select
        label={typeLabel}
        data={linkTargetTypes.map((type) => ({ value: type, label: linkTargetLabels[type] }))}
        value={value.targetType}
        onChange={(type) => {
          if (!type) return;
          setSearch('');
          setChosen(null);
          onChange({ targetType: type as LinkTargetType, targetId: null });
        }}
        allowDeselect={false}
        disabled={disabled}
        miw={160}
      />
      <Select
        label={targetLabel}
        placeholder="Type to search"
        searchable
        clearable
        data={data}
        value={value.targetId}
        onChange={(targetId) => {
          setChosen(data.find((option) => option.value === targetId) ?? null);
          onChange({ ...value, targetId });
        }}
        searchValue={search}
        onSearchChange={setSearch}
        nothingFoundMessage={options.isFetching ? 'Searching…' : 'Nothing found'}
        filter={({ options: all }) => all}
        error={error}
        disabled={disabled}
        miw={220}
      />
    </Group>
  );
}
