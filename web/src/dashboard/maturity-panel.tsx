import { Table, Text, VisuallyHidden } from '@mantine/core';
import { DateTime } from '../components/date-time';
import { CountBar } from './count-bar';
import type { DashboardSummary } from './dashboard-types';
import { Panel } from './panel';

/** Weighted maturity per clause 4 to 10 from the latest completed gap assessment, against its target level. */
export function MaturityPanel({ maturity }: { maturity: DashboardSummary['maturity'] }) {
  if (!maturity) {
    return (
      <Panel title="Maturity by clause" link={{ to: '/gap-assessment', label: 'Open the gap assessment' }}>
        <Text size="sm">No gap assessment is completed yet, so there is no maturity to show.</Text>
      </Panel>
    );
  }
  return (
    <Panel title="Maturity by clause" link={{ to: '/gap-assessment', label: 'Open the gap assessment' }} testId="panel-maturity">
      <Text size="sm" mb="xs">
        {maturity.title}, completed <DateTime value={maturity.completedAt} /> · target level {maturity.targetLevel} of 5
      </Text>
      <Table verticalSpacing={4} aria-label="Maturity by clause">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Clause</Table.Th>
            <Table.Th ta="right">Maturity</Table.Th>
            <Table.Th ta="right">Of target</Table.Th>
            <Table.Th w="30%">
              <VisuallyHidden>Maturity out of 5</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {maturity.clauses.map((row) => (
            <Table.Tr key={row.ref}>
              <Table.Td>
                {row.itemId} {row.title}
              </Table.Td>
              <Table.Td ta="right">{row.weightedMean === null ? 'not rated' : row.weightedMean.toFixed(2)}</Table.Td>
              <Table.Td ta="right">{row.percentOfTarget === null ? '–' : `${Math.round(row.percentOfTarget)} %`}</Table.Td>
              <Table.Td>
                <CountBar value={row.weightedMean ?? 0} max={5} color={(row.percentOfTarget ?? 0) >= 100 ? 'teal.7' : 'orange.7'} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Panel>
  );
}
