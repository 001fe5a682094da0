import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Anchor, Button, Drawer, Group, Pagination, Paper, Select, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCan } from '../auth/session';
import { humanize } from '../components/badges';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { EvidenceDetail } from './evidence-detail';
import { evidenceKinds, evidencePageSize, linkTargetLabels, linkTargetTypes, useEvidenceList, type Evidence, type LinkTargetType } from './evidence-api';
import { formatBytes, formatInstant } from './format';
import { LinkTargetPicker } from './link-target-picker';
import { UploadForm } from './upload-form';
import { UploadProgress } from './upload-progress';
import { dismissUpload, useUploads, type UploadRequest } from './upload-store';
import { ValidityBadge } from './validity-badge';

const expiryChoices = [
  { value: '', label: 'Any validity' },
  { value: '0', label: 'Expired or ending today' },
  { value: '30', label: 'Expired or ending within 30 days' },
  { value: '90', label: 'Expired or ending within 90 days' },
];

/** Renders the evidence list with its filters in the URL, the upload form, the uploads of this tab, and the record the URL names in a drawer. */
export function EvidencePage() {
  const [params, setParams] = useSearchParams();
  const mayWrite = useCan()('evidence.write');
  const [uploadOpen, setUploadOpen] = useState(false);
  // While the details of the open evidence have unsaved changes, closing the drawer requests a confirmation first.
  const [detailsDirty, setDetailsDirty] = useState(false);
  const [closeRequested, setCloseRequested] = useState(false);
  const closeDrawer = () => {
    setDetailsDirty(false);
    setCloseRequested(false);
    setParam({ id: null }, true);
  };
  const [retry, setRetry] = useState<Extract<UploadRequest, { action: 'create' }> | undefined>();
  // A new key each time the form opens, so that it starts from its initial values.
  const [formKey, setFormKey] = useState(0);
  const openUpload = (initial?: Extract<UploadRequest, { action: 'create' }>) => {
    setRetry(initial);
    setFormKey((key) => key + 1);
    setUploadOpen(true);
  };

  const filters = {
    q: params.get('q') ?? '',
    kind: params.get('kind') ?? '',
    linkedTo: params.get('linkedTo') ?? '',
    expiresWithinDays: params.get('expires') ?? '',
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
  };
  const selectedId = params.get('id');
  const list = useEvidenceList(filters);

  /** Sets URL parameters; a filter change returns to the first page. */
  const setParam = (changes: Record<string, string | null>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!keepPage) next.delete('page');
    setParams(next, { replace: !('id' in changes) });
  };

  const [search, setSearch] = useState(filters.q);
  const [debouncedSearch] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debouncedSearch !== filters.q) setParam({ q: debouncedSearch });
    // Only a change of the typed text updates the URL; a URL change alone leaves it as it is.
  }, [debouncedSearch]);

  const [linkedType, linkedId] = splitLinkedTo(filters.linkedTo);

  return (
    <>
      <PageTitle
        title="Evidence"
        subtitle="Files that show controls work, with their SHA-256 fingerprint, validity and what they support"
        actions={
          mayWrite && !uploadOpen ? (
            <Button onClick={() => openUpload()}>Upload evidence</Button>
          ) : undefined
        }
      />

      {mayWrite && uploadOpen && <UploadForm key={formKey} initial={retry} onClose={() => setUploadOpen(false)} />}
      {mayWrite && !uploadOpen && <TabUploads onRetry={openUpload} />}

      <Paper withBorder p="sm" mb="md" component="section" aria-label="Filters">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput label="Search" placeholder="Title, description or file name" value={search} onChange={(event) => setSearch(event.currentTarget.value)} w={240} />
          <Select
            label="Kind"
            placeholder="Any kind"
            data={evidenceKinds.map((kind) => ({ value: kind, label: humanize(kind) }))}
            value={filters.kind || null}
            onChange={(kind) => setParam({ kind })}
            clearable
            w={170}
          />
          <Select label="Validity" data={expiryChoices} value={filters.expiresWithinDays} onChange={(value) => setParam({ expires: value })} allowDeselect={false} w={250} />
          <div style={{ flex: 1, minWidth: 380 }}>
            <LinkTargetPicker
              value={{ targetType: linkedType, targetId: linkedId }}
              onChange={(value) => setParam({ linkedTo: value.targetId ? `${value.targetType}:${value.targetId}` : null })}
              typeLabel="Linked to"
              targetLabel="Linked record"
            />
          </div>
        </Group>
      </Paper>

      <QueryState query={list} label="the evidence list">
        {(page) => (
          <>
            <Text size="sm" c="dimmed" mb="xs" aria-live="polite" data-testid="evidence-count">
              {page.total === 1 ? '1 evidence file' : `${page.total} evidence files`}
              {list.isFetching ? ' (updating…)' : ''}
            </Text>
            <EvidenceTable items={page.items} onOpen={(id) => setParam({ id }, true)} />
            {page.total > evidencePageSize && (
              <Group justify="center" mt="md">
                <Pagination
                  total={Math.ceil(page.total / evidencePageSize)}
                  value={filters.page}
                  onChange={(value) => setParam({ page: String(value) }, true)}
                  getControlProps={(control) => ({ 'aria-label': `${control} page` })}
                  getItemProps={(value) => ({ 'aria-label': `Page ${value}` })}
                />
              </Group>
            )}
          </>
        )}
      </QueryState>

      <Drawer
        opened={selectedId !== null}
        onClose={() => (detailsDirty ? setCloseRequested(true) : closeDrawer())}
        position="right"
        size="lg"
        title="Evidence"
        closeButtonProps={{ 'aria-label': 'Close the evidence' }}
      >
        {closeRequested && (
          <Alert color="orange" title="Close without saving the details?" mb="md" role="alert" styles={{ title: { color: 'var(--mantine-color-text)' } }}>
            <Group gap="sm" mt="xs">
              <Button size="xs" variant="default" onClick={() => setCloseRequested(false)} data-autofocus>
                Keep editing
              </Button>
              <Button size="xs" color="red.9" onClick={closeDrawer}>
                Discard and close
              </Button>
            </Group>
          </Alert>
        )}
        {selectedId && <EvidenceDetail key={selectedId} id={selectedId} onDirtyChange={setDetailsDirty} />}
      </Drawer>
    </>
  );
}

function splitLinkedTo(value: string): [LinkTargetType, string | null] {
  const colon = value.indexOf(':');
  const type = value.slice(0, colon) as LinkTargetType;
  if (colon > 0 && linkTargetTypes.includes(type)) return [type, value.slice(colon + 1)];
  return ['catalogue_item', null];
}

function EvidenceTable({ items, onOpen }: { items: Evidence[]; onOpen: (id: string) => void }) {
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="md">
        No evidence matches these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover verticalSpacing="xs" fz="sm" aria-label="Evidence files">
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={220}>Title and file</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Validity</Table.Th>
            <Table.Th>Supports</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th>SHA-256</Table.Th>
            <Table.Th>Collected</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((evidence) => (
            <Table.Tr key={evidence.id} data-testid="evidence-row">
              <Table.Td>
                <UnstyledButton onClick={() => onOpen(evidence.id)} aria-label={`Open ${evidence.title}`}>
                  <Anchor component="span" fw={500} size="sm">
                    {evidence.title}
                  </Anchor>
                </UnstyledButton>
                <Text size="xs" c="dimmed">
                  {evidence.fileName} · {evidence.mediaType}
                  {evidence.confidentiality === 'restricted' ? ' · restricted' : ''}
                </Text>
              </Table.Td>
              <Table.Td>{humanize(evidence.kind)}</Table.Td>
              <Table.Td>
                <ValidityBadge validUntil={evidence.validUntil} />
              </Table.Td>
              <Table.Td>
                <LinkSummary evidence={evidence} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatBytes(evidence.sizeBytes)}</Table.Td>
              <Table.Td>
                <Text span ff="monospace" size="xs" title={evidence.sha256} data-testid="evidence-sha256-short">
                  {evidence.sha256.slice(0, 12)}…
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(evidence.collectedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function LinkSummary({ evidence }: { evidence: Evidence }) {
  if (evidence.links.length === 0) return <Text size="xs">no links</Text>;
  const shown = evidence.links.slice(0, 3).map((link) => (link.targetType === 'catalogue_item' ? link.targetId.replace(/^iso42001:/, '') : linkTargetLabels[link.targetType]));
  const more = evidence.links.length - shown.length;
  return (
    <Text size="xs" title={evidence.links.map((link) => `${linkTargetLabels[link.targetType]} ${link.targetId}`).join('\n')}>
      {shown.join(', ')}
      {more > 0 ? ` and ${more} more` : ''}
    </Text>
  );
}

/** Uploads started in this tab, so one that failed after the user left the screen can be corrected and sent again. */
function TabUploads({ onRetry }: { onRetry: (request: Extract<UploadRequest, { action: 'create' }>) => void }) {
  const uploads = useUploads();
  if (uploads.length === 0) return null;
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="tab-uploads-heading">
      <Title order={2} size="h5" id="tab-uploads-heading" mb="xs">
        Uploads in this tab
      </Title>
      <Stack gap="sm">
        {uploads.map((task) => (
          <Group key={task.id} align="flex-end" gap="sm" wrap="nowrap">
            <div style={{ flex: 1, minWidth: 0 }}>
              <UploadProgress task={task} compact />
            </div>
            {task.state === 'failed' && task.request.action === 'create' && !task.linkFailed && (
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => {
                  if (task.request.action === 'create') onRetry(task.request);
                  dismissUpload(task.id);
                }}
              >
                Correct and send again
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
