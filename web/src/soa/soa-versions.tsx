import { useState } from 'react';
import { Anchor, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { QueryState } from '../components/query-state';
import { VersionStatusBadge } from './soa-badges';
import { DateTime } from '../components/date-time';
import { basisLabels, decisionLabels, fieldLabels, statusLabels, useSoaDiff, type Person, type SoaDiff, type SoaVersion } from './soa-api';
import { ScrollRegion } from './scroll-region';

interface Props {
  versions: readonly SoaVersion[];
  people: readonly Person[];
  userNames: ReadonlyMap<string, string>;
  onOpen: (versionId: string) => void;
}

/** The version history and the control-by-control difference between two versions. */
export function SoaVersions({ versions, people, userNames, onOpen }: Props) {
  const comparable = versions.filter((version) => version.status !== 'discarded');
  const [toId, setToId] = useState<string | null>(comparable[0]?.id ?? null);
  const [fromId, setFromId] = useState<string | null>(comparable[1]?.id ?? null);
  const diff = useSoaDiff(fromId, toId);
  const options = comparable.map((version) => ({ value: version.id, label: `v${version.number} · ${version.status} · ${version.title}` }));

  return (
    <Stack gap="lg">
      <ScrollRegion minWidth={760} label="Statement of Applicability versions">
        <Table striped withTableBorder fz="sm" verticalSpacing={6} aria-label="Statement of Applicability versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Version</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Started</Table.Th>
              <Table.Th scope="col">Approved</Table.Th>
              <Table.Th scope="col" ta="right">
                Applicable
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Excluded
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Implemented
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Undecided
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((version) => (
              <Table.Tr key={version.id}>
                <Table.Th scope="row" fw={400}>
                  {version.status === 'discarded' ? (
                    `v${version.number} ${version.title}`
                  ) : (
                    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(version.id)}>
                      v{version.number} {version.title}
                    </Anchor>
                  )}
                </Table.Th>
                <Table.Td>
                  <VersionStatusBadge status={version.status} />
                </Table.Td>
                <Table.Td>
                  <DateTime value={version.createdAt} />
                </Table.Td>
                <Table.Td>
                  {version.approvedAt && (
                    <>
                      <DateTime value={version.approvedAt} /> by {userNames.get(version.approvedBy ?? '') ?? version.approvedBy}
                    </>
                  )}
                </Table.Td>
                <Table.Td ta="right">{version.counts.applicable}</Table.Td>
                <Table.Td ta="right">{version.counts.excluded}</Table.Td>
                <Table.Td ta="right">{version.counts.implemented}</Table.Td>
                <Table.Td ta="right">{version.counts.undecided}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>

      <Stack gap="sm">
        <Title order={2} size="h4">
          Differences between two versions
        </Title>
        {comparable.length < 2 ? (
          <Text size="sm">There is only one version so far; start a new draft to compare versions.</Text>
        ) : (
          <>
            <Group gap="sm" align="flex-end">
              <NativeSelect label="Older version" value={fromId ?? ''} data={options} onChange={(event) => setFromId(event.currentTarget.value)} w={320} />
              <NativeSelect label="Newer version" value={toId ?? ''} data={options} onChange={(event) => setToId(event.currentTarget.value)} w={320} />
            </Group>
            {fromId === toId ? (
              <Text size="sm">Pick two different versions to compare.</Text>
            ) : (
              <QueryState query={diff} label="the differences">
                {(data) => <DiffTable diff={data} people={people} />}
              </QueryState>
            )}
          </>
        )}
      </Stack>
    </Stack>
  );
}

function DiffTable({ diff, people }: { diff: SoaDiff; people: readonly Person[] }) {
  if (diff.differences.length === 0) {
    return (
      <Text size="sm" role="status">
        v{diff.from.number} and v{diff.to.number} decide every control the same way.
      </Text>
    );
  }
  const names = new Map(people.map((person) => [person.id, person.name]));
  return (
    <ScrollRegion minWidth={760} label={`Changes from v${diff.from.number} to v${diff.to.number}`}>
      <Table withTableBorder fz="sm" verticalSpacing={6} layout="fixed" aria-label={`Changes from v${diff.from.number} to v${diff.to.number}`} data-testid="soa-diff">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={220}>
              Control
            </Table.Th>
            <Table.Th scope="col" w={170}>
              Field
            </Table.Th>
            <Table.Th scope="col">v{diff.from.number} (before)</Table.Th>
            <Table.Th scope="col">v{diff.to.number} (after)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {diff.differences.flatMap((difference) =>
            difference.fields.map((field, index) => (
              <Table.Tr key={`${difference.controlRef}:${field.field}`} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  {index === 0 && (
                    <>
                      <Text span fw={600} size="sm">
                        {difference.controlRef.split(':')[1]}
                      </Text>{' '}
                      {difference.controlTitle}
                      {difference.change !== 'changed' && <Text size="xs">({difference.change})</Text>}
                    </>
                  )}
                </Table.Td>
                <Table.Td>{fieldLabels[field.field]}</Table.Td>
                <Table.Td bg="var(--mantine-color-red-0)">
                  <Text size="xs">{showValue(field.field, field.before, names)}</Text>
                </Table.Td>
                <Table.Td bg="var(--mantine-color-green-0)">
                  <Text size="xs">{showValue(field.field, field.after, names)}</Text>
                </Table.Td>
              </Table.Tr>
            )),
          )}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

/** Formats a compared value in words: labels for codes, names for people and a dash for no value. */
function showValue(field: string, value: unknown, names: ReadonlyMap<string, string>): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  if (field === 'decision') return decisionLabels[value as keyof typeof decisionLabels] ?? String(value);
  if (field === 'implementationStatus') return statusLabels[value as keyof typeof statusLabels] ?? String(value);
  if (field === 'ownerPersonId') return names.get(String(value)) ?? String(value);
  if (field === 'basis' && Array.isArray(value)) return value.map((basis) => basisLabels[basis as keyof typeof basisLabels] ?? String(basis)).join(', ');
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
