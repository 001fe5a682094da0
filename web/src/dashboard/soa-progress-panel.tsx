import { Anchor, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { ToneBadge } from '../components/badges';
import { CountBar } from './count-bar';
import type { DashboardSummary } from './dashboard-types';
import { Panel } from './panel';

/** Shows, per Annex A group, how many applicable controls the Statement of Applicability version in force marks implemented. */
export function SoaProgressPanel({ soa }: { soa: DashboardSummary['soa'] }) {
  if (!soa) {
    return (
      <Panel title="Statement of Applicability" link={{ to: '/soa', label: 'Open the SoA' }}>
        <Text size="sm">There is no Statement of Applicability yet. Start a draft on the Statement of Applicability screen.</Text>
      </Panel>
    );
  }
  const implemented = soa.groups.reduce((sum, group) => sum + group.implemented, 0);
  const applicable = soa.groups.reduce((sum, group) => sum + group.applicable, 0);
  return (
    <Panel title="Statement of Applicability" link={{ to: '/soa', label: `Open v${soa.number}` }} testId="panel-soa">
      <Text size="sm" mb="xs">
        v{soa.number} <ToneBadge value={soa.status} /> · {implemented} of {applicable} applicable controls implemented
      </Text>
      <Table verticalSpacing={4} aria-label="Implemented controls by Annex A group">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Annex A group</Table.Th>
            <Table.Th ta="right">Implemented</Table.Th>
            <Table.Th ta="right">Excluded</Table.Th>
            <Table.Th w="22%">
              <VisuallyHidden>Progress</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {soa.groups.map((group) => (
            <Table.Tr key={group.ref} data-testid={`soa-group-${group.itemId}`}>
              <Table.Td>
                <Anchor component={Link} to={`/soa?group=${encodeURIComponent(group.ref)}`} size="sm">
                  {group.itemId} {group.title}
                </Anchor>
              </Table.Td>
              <Table.Td ta="right">
                {group.implemented} / {group.applicable}
              </Table.Td>
              <Table.Td ta="right">{group.excluded}</Table.Td>
              <Table.Td>
                <CountBar value={group.implemented} max={group.applicable} color="teal.7" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Panel>
  );
}
