import { useMemo, useState } from 'react';
import { Select, Stack, Table, Text, Title } from '@mantine/core';
import { EChart } from '../components/echart';
import { statistic } from './format';
import type { Measured } from './measurement-api';
import { Notice } from './notice';
import { FlagBadge } from './run-badges';

/** The parts of a stored drift measurement the view reads (see DriftMeasurement in the engine). */
interface Distribution {
  kind: 'bins' | 'categories';
  labels: string[];
  reference: { counts: number[]; shares: number[]; total: number };
  current: { counts: number[]; shares: number[]; total: number };
}
interface DriftColumn {
  column: string;
  currentColumn: string;
  type: string;
  test: string;
  testKind: string;
  reason: string;
  method: string;
  statistic: Measured;
  pValue: Measured | null;
  threshold: number;
  rule: string;
  drifted: boolean | null;
  distributions: Distribution | null;
  warnings: string[];
}
export interface DriftMeasurement {
  reference: { file: string; rows: number };
  current: { file: string; rows: number };
  columns: DriftColumn[];
  datasetDrift: { defined: true; drifted: boolean; share: number; driftedColumns: number; testedColumns: number; threshold: number } | { defined: false; reason: string };
  onlyInReference: string[];
  onlyInCurrent: string[];
  warnings: string[];
}

function MeasuredCell({ value }: { value: Measured | null }) {
  if (!value) return <>—</>;
  if (!value.defined) return <Text span size="sm" c="dimmed">undefined: {value.reason}</Text>;
  return <>{statistic(value.value as number)}</>;
}

function overlayOption(distribution: Distribution) {
  return {
    grid: { left: 56, right: 16, top: 40, bottom: 70 },
    tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${(value * 100).toFixed(1)} %` },
    legend: { top: 0 },
    xAxis: { type: 'category', data: distribution.labels, axisLabel: { interval: 0, rotate: distribution.labels.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => `${Math.round(value * 100)} %` }, name: 'share' },
    series: [
      { type: 'bar', name: 'reference', data: distribution.reference.shares, itemStyle: { color: '#868e96' }, barGap: '-100%', barCategoryGap: '20%' },
      { type: 'bar', name: 'current', data: distribution.current.shares, itemStyle: { color: 'rgba(76, 110, 245, 0.55)', borderColor: '#364fc7', borderWidth: 1 } },
    ],
  };
}

/** The drift view: per-column test results and the reference and current distributions of one column overlaid. */
export function DriftView({ results }: { results: Record<string, unknown> }) {
  const measurement = (results['measurement'] ?? Object.entries(results).find(([key]) => key.startsWith('measurement'))?.[1]) as DriftMeasurement | undefined;
  const [column, setColumn] = useState<string | null>(null);
  const selected = measurement?.columns.find((candidate) => candidate.column === column) ?? measurement?.columns.find((candidate) => candidate.distributions) ?? null;
  const option = useMemo(() => (selected?.distributions ? overlayOption(selected.distributions) : null), [selected]);
  if (!measurement) return null;
  const drift = measurement.datasetDrift;

  return (
    <Stack gap="md" data-testid="drift-view">
      <Title order={2} size="h3">
        Drift by column
      </Title>
      <Text size="sm">
        Reference: {measurement.reference.rows.toLocaleString('en')} rows; current: {measurement.current.rows.toLocaleString('en')} rows.{' '}
        {drift.defined
          ? `${drift.driftedColumns} of ${drift.testedColumns} columns drifted (share ${statistic(drift.share)}; dataset drift when at least ${drift.threshold}): ${drift.drifted ? 'dataset drift' : 'no dataset drift'}.`
          : `Dataset drift is undefined: ${drift.reason}.`}
      </Text>
      <Table.ScrollContainer minWidth={860}>
        <Table striped highlightOnHover verticalSpacing={4} aria-label="Drift test per column">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Column</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Test</Table.Th>
              <Table.Th>Statistic</Table.Th>
              <Table.Th>p-value</Table.Th>
              <Table.Th>Threshold</Table.Th>
              <Table.Th>Drifted</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {measurement.columns.map((entry) => (
              <Table.Tr key={entry.column} aria-selected={entry.column === selected?.column}>
                <Table.Td>
                  {entry.column}
                  {entry.currentColumn !== entry.column ? ` (current: ${entry.currentColumn})` : ''}
                </Table.Td>
                <Table.Td>{entry.type}</Table.Td>
                <Table.Td title={entry.reason}>
                  {entry.test} <Text span size="xs" c="dimmed">({entry.method})</Text>
                </Table.Td>
                <Table.Td>
                  <MeasuredCell value={entry.statistic} />
                </Table.Td>
                <Table.Td>{entry.pValue ? <MeasuredCell value={entry.pValue} /> : 'not a p-value test'}</Table.Td>
                <Table.Td>
                  {entry.rule.replace('threshold', statistic(entry.threshold))}
                </Table.Td>
                <Table.Td>{entry.drifted === null ? 'not tested' : <FlagBadge flagged={entry.drifted} yes="drifted" no="no drift" />}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Select
        label="Column to compare"
        description="The shares of the reference and the current sample in each bin or category, overlaid"
        data={measurement.columns.filter((entry) => entry.distributions).map((entry) => entry.column)}
        value={selected?.column ?? null}
        onChange={setColumn}
        allowDeselect={false}
        searchable
        w={320}
      />
      {selected && option && selected.distributions && (
        <div data-testid="drift-overlay">
          <EChart option={option} height={300} label={`Reference and current distributions of ${selected.column}, overlaid; the shares are in the table below`} />
          <Table.ScrollContainer minWidth={500}>
            <Table verticalSpacing={2} aria-label={`Distributions of ${selected.column}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{selected.distributions.kind === 'bins' ? 'Bin' : 'Category'}</Table.Th>
                  <Table.Th ta="right">Reference</Table.Th>
                  <Table.Th ta="right">Current</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {selected.distributions.labels.map((label, index) => (
                  <Table.Tr key={label}>
                    <Table.Td>{label}</Table.Td>
                    <Table.Td ta="right">
                      {selected.distributions!.reference.counts[index]} ({((selected.distributions!.reference.shares[index] ?? 0) * 100).toFixed(1)} %)
                    </Table.Td>
                    <Table.Td ta="right">
                      {selected.distributions!.current.counts[index]} ({((selected.distributions!.current.shares[index] ?? 0) * 100).toFixed(1)} %)
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      )}
      {(measurement.warnings.length > 0 || measurement.onlyInReference.length > 0) && (
        <Notice title="Warnings">
          {measurement.warnings.map((warning) => (
            <Text key={warning} size="sm">
              {warning}
            </Text>
          ))}
        </Notice>
      )}
    </Stack>
  );
}
