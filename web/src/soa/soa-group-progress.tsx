import { Progress, Table, Text } from '@mantine/core';
import { groupLabel, type SoaEntry } from './soa-api';
import { ScrollRegion } from './scroll-region';

export interface GroupSummary {
  key: string;
  label: string;
  controls: number;
  applicable: number;
  excluded: number;
  undecided: number;
  implemented: number;
}

/** Counts per Annex A group in catalogue order; the organization's own controls come last as one group. */
export function summarizeGroups(entries: readonly SoaEntry[]): GroupSummary[] {
  const groups = new Map<string, GroupSummary>();
  for (const entry of entries) {
    const key = entry.groupRef ?? entry.frameworkId;
    let group = groups.get(key);
    if (!group) {
      group = { key, label: groupLabel(entry), controls: 0, applicable: 0, excluded: 0, undecided: 0, implemented: 0 };
      groups.set(key, group);
    }
    group.controls += 1;
    group[entry.decision] += 1;
    if (entry.decision === 'applicable' && entry.implementationStatus === 'implemented') group.implemented += 1;
  }
  return [...groups.values()];
}

/** Implemented controls out of the applicable ones, per group, as numbers and a bar. */
export function SoaGroupProgress({ groups }: { groups: readonly GroupSummary[] }) {
  return (
    <ScrollRegion minWidth={560} label="Implementation progress by Annex A group">
      <Table striped withTableBorder verticalSpacing={4} fz="sm" aria-label="Implementation progress by Annex A group">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Group</Table.Th>
            <Table.Th scope="col" ta="right">
              Controls
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Excluded
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Implemented of applicable
            </Table.Th>
            <Table.Th scope="col" w="30%">
              Progress
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((group) => {
            const percent = group.applicable === 0 ? 0 : Math.round((group.implemented / group.applicable) * 100);
            return (
              <Table.Tr key={group.key} data-testid={`group-progress-${group.key}`}>
                <Table.Th scope="row" fw={500}>
                  {group.label}
                </Table.Th>
                <Table.Td ta="right">{group.controls}</Table.Td>
                <Table.Td ta="right">{group.excluded}</Table.Td>
                <Table.Td ta="right">
                  {group.implemented} of {group.applicable}
                  {group.undecided > 0 && (
                    <Text span size="xs" c="orange.9">
                      {' '}
                      ({group.undecided} undecided)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Progress value={percent} size="md" color={percent === 100 ? 'teal' : 'blue'} aria-label={`${group.label}: ${percent}% implemented`} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}
