import { Table, Text } from '@mantine/core';
import { humanize } from '../components/badges';
import { describeThreshold, statistic } from './format';
import type { MeasurementValue } from './measurement-api';
import { CheckResultBadge } from './run-badges';

/** Every value of the run against its threshold, with the result in words. */
export function ChecksTable({ values }: { values: MeasurementValue[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped verticalSpacing={2} aria-label="Checks of the run">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Check</Table.Th>
            <Table.Th>Metric</Table.Th>
            <Table.Th>Group or column</Table.Th>
            <Table.Th ta="right">Value</Table.Th>
            <Table.Th>Threshold</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {values.map((value) => (
            <Table.Tr key={value.position}>
              <Table.Td>{value.checkId}</Table.Td>
              <Table.Td>{humanize(value.metric)}</Table.Td>
              <Table.Td>{value.group ?? (value.column ? `column ${value.column}` : 'all rows')}</Table.Td>
              <Table.Td ta="right">
                {value.value === null ? (
                  <Text span size="sm" c="dimmed">
                    undefined: {value.undefinedReason}
                  </Text>
                ) : (
                  statistic(value.value)
                )}
              </Table.Td>
              <Table.Td>{describeThreshold(value.threshold)}</Table.Td>
              <Table.Td>
                <CheckResultBadge result={value.result} severity={value.severity} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
