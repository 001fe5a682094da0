import { Stack, Title } from '@mantine/core';
import { QueryState } from '../components/query-state';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { useSoaEntries, type Person, type SoaEntry, type SoaVersion } from './soa-api';
import { SoaControlsTable } from './soa-controls-table';
import { SoaGroupProgress, summarizeGroups } from './soa-group-progress';
import { buildPatch, useEntryEdits } from './use-entry-edits';

/**
 * The screen keeps these controls mounted on the versions tab (`view`), and the edits are kept by
 * control, so filters that hide a row being edited lose nothing either. Only another version does.
 */
const keptAcrossParams = ['view', 'q', 'group', 'decision', 'status'];

interface Props {
  version: SoaVersion;
  people: readonly Person[];
  readOnlyReason: string | null;
}

/** The controls of one version: progress by group, then the filterable table with inline editing. */
export function SoaVersionControls({ version, people, readOnlyReason }: Props) {
  const entries = useSoaEntries(version.id);
  return (
    <QueryState query={entries} label="the controls">
      {(page) => <Controls version={version} entries={page.items} people={people} readOnlyReason={readOnlyReason} />}
    </QueryState>
  );
}

function Controls({ entries, people, readOnlyReason, version }: Props & { entries: readonly SoaEntry[] }) {
  const { edits, start, change, cancel, save, rebase } = useEntryEdits(version.id);
  const groups = summarizeGroups(entries);
  const byRef = new Map(entries.map((entry) => [entry.controlRef, entry]));
  const unsaved = Object.entries(edits).filter(([ref, edit]) => {
    const entry = byRef.get(ref);
    return entry !== undefined && Object.keys(buildPatch(entry, edit.form)).length > 0;
  });

  return (
    <Stack gap="md">
      <UnsavedChangesGuard
        dirty={unsaved.length > 0}
        what={`your changes to ${unsaved.map(([ref]) => byRef.get(ref)?.controlId ?? ref).join(', ')}`}
        keptAcross={keptAcrossParams}
      />
      <Stack gap="xs">
        <Title order={2} size="h4">
          Progress by group
        </Title>
        <SoaGroupProgress groups={groups} />
      </Stack>
      <Stack gap="xs">
        <Title order={2} size="h4">
          Controls
        </Title>
        <SoaControlsTable
          entries={entries}
          groups={groups}
          people={people}
          readOnlyReason={readOnlyReason}
          edits={edits}
          onStartEdit={start}
          onChange={change}
          onSave={(entry, edit) => void save(entry, edit.form, edit.baseVersion)}
          onCancel={cancel}
          onReload={(ref) => void rebase(ref)}
        />
      </Stack>
    </Stack>
  );
}
