import { useSearchParams } from 'react-router';
import { Alert, Button, Group, NativeSelect, Stack, Tabs, Text } from '@mantine/core';
import { useCan, useReadOnly } from '../auth/session';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { DateTime } from '../components/date-time';
import { useUserNames } from '../users/user-names';
import { usePeople, useSoaVersions, type SoaVersion } from './soa-api';
import { alertTitleStyles } from './soa-badges';
import { SoaApproveButton, SoaStartDraftButton } from './soa-version-actions';
import { SoaExportButtons } from './soa-export-buttons';
import { SoaVersionControls } from './soa-version-controls';
import { SoaVersions } from './soa-versions';

/**
 * The Statement of Applicability screen. It lists every control of one version with its decision,
 * status, owner and evidence, and edits a draft inline. It also approves drafts, compares
 * versions and exports them.
 */
export function SoaPage() {
  const versions = useSoaVersions();
  return (
    <>
      <PageTitle title="Statement of Applicability" subtitle="Which Annex A controls apply, why, and how far each is implemented" />
      <QueryState query={versions} label="the Statement of Applicability">
        {(page) => (page.items.length === 0 ? <NoVersionYet /> : <SoaWorkspace versions={page.items} />)}
      </QueryState>
    </>
  );
}

function NoVersionYet() {
  return (
    <Stack gap="sm" align="flex-start">
      <Text size="sm">There is no Statement of Applicability yet. Start a draft to decide each Annex A control.</Text>
      <SoaStartDraftButton onStarted={() => undefined} hasApproved={false} />
    </Stack>
  );
}

/**
 * Picks the version to show: the one named in the address, else the open draft (the version
 * people are working on), else the latest approved one.
 */
function chooseVersion(versions: readonly SoaVersion[], requested: string | null): SoaVersion | undefined {
  const live = versions.filter((version) => version.status !== 'discarded');
  return (
    live.find((version) => version.id === requested) ??
    live.find((version) => version.status === 'draft') ??
    live.find((version) => version.status === 'approved')
  );
}

function SoaWorkspace({ versions }: { versions: readonly SoaVersion[] }) {
  const [params, setParams] = useSearchParams();
  const can = useCan();
  const readOnly = useReadOnly();
  const people = usePeople();
  const userNames = useUserNames(versions.map((item) => item.approvedBy));
  const version = chooseVersion(versions, params.get('version'));
  const view = params.get('view') === 'versions' ? 'versions' : 'controls';
  const openDraft = versions.find((item) => item.status === 'draft');

  const show = (versionId: string, nextView: 'controls' | 'versions' = 'controls') =>
    setParams(() => {
      // The address bar, not the params of the last render, keeps the filters set just before.
      const next = new URLSearchParams(window.location.search);
      next.set('version', versionId);
      if (nextView === 'controls') next.delete('view');
      else next.set('view', nextView);
      return next;
    });

  // Switching tabs leaves the version in the address as it is, so that the move keeps the edit.
  const showView = (nextView: 'controls' | 'versions') =>
    setParams(() => {
      const next = new URLSearchParams(window.location.search);
      if (nextView === 'controls') next.delete('view');
      else next.set('view', nextView);
      return next;
    });

  if (!version) return <NoVersionYet />;
  const names = userNames.data ?? new Map<string, string>();
  const canWrite = can('soa.write') && !readOnly;
  const readOnlyReason = editBlocker(version, readOnly, canWrite);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <NativeSelect
          label="Version"
          value={version.id}
          onChange={(event) => show(event.currentTarget.value, view)}
          data={versions
            .filter((item) => item.status !== 'discarded')
            .map((item) => ({ value: item.id, label: `v${item.number} · ${item.status} · ${item.title}` }))}
          w={360}
        />
        <Group gap="xs">
          {canWrite && !openDraft && <SoaStartDraftButton hasApproved onStarted={(created) => show(created.id)} />}
          {version.status === 'draft' && can('soa.approve') && !readOnly && <SoaApproveButton version={version} />}
        </Group>
      </Group>

      <VersionNote version={version} openDraft={openDraft} readOnlyReason={readOnlyReason} approverName={names.get(version.approvedBy ?? '')} onOpenDraft={show} />
      <SoaExportButtons version={version} />

      {/* The controls stay mounted behind the versions tab so that an edit in progress survives a look at the history. */}
      <Tabs value={view} onChange={(value) => showView(value === 'versions' ? 'versions' : 'controls')} keepMounted>
        <Tabs.List>
          <Tabs.Tab value="controls">Controls of v{version.number}</Tabs.Tab>
          <Tabs.Tab value="versions">Versions and differences</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="controls" pt="md">
          <SoaVersionControls key={version.id} version={version} people={people.data?.items ?? []} readOnlyReason={readOnlyReason} />
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="md">
          {view === 'versions' && (
            <SoaVersions key={versions.map((item) => item.id).join()} versions={versions} people={people.data?.items ?? []} userNames={names} onOpen={show} />
          )}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** Returns the reason the signed-in user cannot edit the controls of this version, or null when they can. */
function editBlocker(version: SoaVersion, readOnly: boolean, canWrite: boolean): string | null {
  if (readOnly) return 'You are signed in as an internal auditor, so the Statement of Applicability is read-only for you.';
  if (version.status === 'approved') return `v${version.number} is approved and frozen, so its controls cannot change. Start a new draft to change them.`;
  if (!canWrite) return 'Your role may read the Statement of Applicability but not edit it; a risk owner or administrator edits drafts.';
  return null;
}

interface VersionNoteProps {
  version: SoaVersion;
  openDraft: SoaVersion | undefined;
  readOnlyReason: string | null;
  approverName: string | undefined;
  onOpenDraft: (versionId: string) => void;
}

function VersionNote({ version, openDraft, readOnlyReason, approverName, onOpenDraft }: VersionNoteProps) {
  const counts = version.counts;
  const summary = `${counts.controls} controls: ${counts.applicable} applicable (${counts.implemented} implemented), ${counts.excluded} excluded, ${counts.undecided} undecided.`;
  if (version.status === 'approved') {
    return (
      <Alert color="teal" styles={alertTitleStyles()} title={`v${version.number} is approved and read-only`} data-testid="soa-version-note">
        <Text size="sm">
          Approved on <DateTime value={version.approvedAt} /> by {approverName ?? version.approvedBy}. {summary}
        </Text>
        {version.approvalComment && (
          <Text size="sm" mt={4}>
            Approval note: {version.approvalComment}
          </Text>
        )}
        <Text size="sm" mt={4}>
          {readOnlyReason}
        </Text>
        {openDraft && (
          <Button size="xs" variant="light" mt="xs" onClick={() => onOpenDraft(openDraft.id)}>
            Open draft v{openDraft.number}
          </Button>
        )}
      </Alert>
    );
  }
  return (
    <Alert color="blue" styles={alertTitleStyles()} title={`v${version.number} is a draft`} data-testid="soa-version-note">
      <Text size="sm">
        {summary} Started on <DateTime value={version.createdAt} />.
      </Text>
      <Text size="sm" mt={4}>
        {readOnlyReason ??
          'Edit a control with its Edit button and save each row on its own. Approval freezes the version; the approver must be someone who did not start or edit the draft.'}
      </Text>
    </Alert>
  );
}
