import { Stack, Table, Title } from '@mantine/core';
import { statistic, words } from './format';
import type { Measured } from './measurement-api';

interface Performance {
  task: string;
  overall: {
    size: number;
    counts?: { truePositives: number; falsePositives: number; trueNegatives: number; falseNegatives: number } | null;
    classification?: Record<string, unknown> | null;
    regression?: Record<string, unknown> | null;
    ranking?: Record<string, Measured> | null;
  };
}

function isMeasured(value: unknown): value is Measured {
  return typeof value === 'object' && value !== null && 'defined' in value;
}

/** The performance view: every metric of each stored performance measurement in a table. */
export function PerformanceView({ results }: { results: Record<string, unknown> }) {
  return (
    <Stack gap="md" data-testid="performance-view">
      {Object.entries(results).map(([key, value]) => {
        const measurement = value as Performance;
        const metrics = Object.entries({ ...(measurement.overall.classification ?? {}), ...(measurement.overall.regression ?? {}), ...(measurement.overall.ranking ?? {}) }).filter(
          (entry): entry is [string, Measured] => isMeasured(entry[1]),
        );
        const counts = measurement.overall.counts;
        return (
          <div key={key}>
            <Title order={2} size="h3" mb="xs">
              Performance ({words(measurement.task)}, {key}, {measurement.overall.size.toLocaleString('en')} rows)
            </Title>
            <Table striped verticalSpacing={2} maw={640} aria-label={`Performance metrics, ${key}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Metric</Table.Th>
                  <Table.Th ta="right">Value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {counts && (
                  <Table.Tr>
                    <Table.Td>confusion counts (TN, FP, FN, TP)</Table.Td>
                    <Table.Td ta="right">
                      {counts.trueNegatives}, {counts.falsePositives}, {counts.falseNegatives}, {counts.truePositives}
                    </Table.Td>
                  </Table.Tr>
                )}
                {metrics.map(([name, measured]) => (
                  <Table.Tr key={name}>
                    <Table.Td>{words(name)}</Table.Td>
                    <Table.Td ta="right">{measured.defined ? statistic(Number(measured.value)) : `undefined: ${measured.reason}`}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        );
      })}
    </Stack>
  );
}
