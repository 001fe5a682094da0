import { useState } from 'react';
import { Select, Text, type ComboboxItem } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page } from '../api/client';
import { usePersonNames } from './person-names';

/** People offered per search; typing narrows the list, so a register of any size stays reachable. */
const matchesShown = 20;

/** The value of the disabled option that says how many more people match. */
const moreOption = '#more-matches';

interface PersonMatch {
  id: string;
  name: string;
  jobTitle: string;
}

interface Props {
  label: string;
  /** Id of the chosen person, or null for nobody. */
  value: string | null;
  onChange: (personId: string | null) => void;
  placeholder?: string;
  error?: string;
  /** Whether the user may clear the choice (an optional owner). */
  clearable?: boolean;
  withAsterisk?: boolean;
}

/**
 * Picks a person from the people register. What the user types is searched on the server (name,
 * email and job title) and the first matches are offered. The chosen person's name comes from
 * the name lookup, so it shows even when that person is not among the matches.
 */
export function PersonPicker({ label, value, onChange, placeholder, error, clearable = false, withAsterisk }: Props) {
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const names = usePersonNames([value]);
  const chosenName = value ? names.data?.get(value) : undefined;

  // While the user is not typing, the box shows the chosen name. Searching for it would offer only that person, so the list starts from everyone.
  const text = debouncedSearch === chosenName ? '' : debouncedSearch;
  const matches = useQuery({
    queryKey: ['people', 'search', text],
    queryFn: ({ signal }) => api<Page<PersonMatch>>(apiPath('/people', { q: text, sort: 'name', limit: matchesShown }), { signal }),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });

  const jobTitles = new Map((matches.data?.items ?? []).map((person) => [person.id, person.jobTitle]));
  const options: ComboboxItem[] = (matches.data?.items ?? []).map((person) => ({ value: person.id, label: person.name }));
  if (value && !jobTitles.has(value)) options.unshift({ value, label: chosenName ?? (names.isPending ? 'Loading the name…' : value) });
  const more = (matches.data?.total ?? 0) - (matches.data?.items.length ?? 0);
  if (more > 0) options.push({ value: moreOption, label: `${more.toLocaleString('en-US')} more match. Type to narrow the list`, disabled: true });

  return (
    <Select
      label={label}
      withAsterisk={withAsterisk}
      placeholder={placeholder}
      searchable
      clearable={clearable}
      allowDeselect={clearable}
      value={value}
      onChange={(id) => onChange(id === moreOption ? value : id)}
      searchValue={search}
      onSearchChange={setSearch}
      data={options}
      // The server has matched the text already, also in emails and job titles the labels do not show.
      filter={({ options: all }) => all}
      renderOption={({ option }) => (
        <div>
          <Text size="sm">{option.label}</Text>
          {jobTitles.get(option.value) && (
            <Text size="xs" c="dimmed">
              {jobTitles.get(option.value)}
            </Text>
          )}
        </div>
      )}
      nothingFoundMessage={matches.isError ? 'Reading the people register failed. Check the connection and open the list again' : 'No person matches'}
      error={error}
    />
  );
}
