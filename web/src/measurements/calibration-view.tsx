import { useMemo, useState } from 'react';
import { SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { EChart } from '../components/echart';
import { numberOf, statistic } from './format';
import type { Measured } from './measurement-api';

/** The parts of a stored performance measurement's calibration the view reads. */
interface ReliabilityBin {
  lower: number;
  upper: number;
  upperInclusive: boolean;
  count: number;
  positives: number;
  meanPredicted: Measured;
  observedRate: Measured;
}
interface Calibration {
  logLoss: Measured;
  brierScore: Measured;
  expectedCalibrationError: { equalWidth: Measured; equalMass: Measured };
  reliabilityDiagram: Record<'equalWidth' | 'equalMass', { strategy: string; requestedBins: number; bins: ReliabilityBin[] }>;
}
export interface PerformanceMeasurement {
  task: string;
  columns: { label: string; prediction: string | null; score: string | null };
  overall: { size: number; calibration: Calibration | null };
}

/** Returns the first stored performance measurement with calibration results, from the calibration or performance family. */
export function findCalibration(results: Record<string, unknown> | undefined): PerformanceMeasurement | null {
  for (const value of Object.values(results ?? {})) {
    const measurement = value as PerformanceMeasurement;
    if (measurement?.overall?.calibration) return measurement;
  }
  return null;
}

function diagramOption(bins: ReliabilityBin[]) {
  const points = bins.filter((bin) => bin.count > 0).map((bin) => [numberOf(bin.meanPredicted), numberOf(bin.observedRate), bin.count]);
  return {
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    legend: { top: 0 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', min: 0, max: 1, name: 'mean predicted probability', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', min: 0, max: 1, name: 'observed positive rate' },
    series: [
      { type: 'line', name: 'perfect calibration', data: [[0, 0], [1, 1]], showSymbol: false, lineStyle: { type: 'dashed', color: '#868e96' } },
      { type: 'line', name: 'bins', data: points, symbol: 'circle', symbolSize: 9, itemStyle: { color: '#4c6ef5' } },
    ],
  };
}

/** The calibration view: reliability diagram with the diagonal, and the expected calibration error with its binning. */
export function CalibrationView({ measurement }: { measurement: PerformanceMeasurement }) {
  const calibration = measurement.overall.calibration!;
  const [binning, setBinning] = useState<'equalWidth' | 'equalMass'>('equalWidth');
  const diagram = calibration.reliabilityDiagram[binning];
  const option = useMemo(() => diagramOption(diagram.bins), [diagram]);
  const ece = calibration.expectedCalibrationError[binning];

  return (
    <Stack gap="md" data-testid="calibration-view">
      <Title order={2} size="h3">
        Calibration of {measurement.columns.score ?? 'the score'}
      </Title>
      <SegmentedControl
        aria-label="Binning"
        value={binning}
        onChange={(value) => setBinning(value as 'equalWidth' | 'equalMass')}
        data={[
          { value: 'equalWidth', label: 'equal-width bins' },
          { value: 'equalMass', label: 'equal-mass bins' },
        ]}
        w="fit-content"
      />
      <Text size="sm">
        Expected calibration error over {diagram.requestedBins} {binning === 'equalWidth' ? 'equal-width' : 'equal-mass'} bins:{' '}
        <strong>{ece.defined ? statistic(Number(ece.value)) : `undefined: ${ece.reason}`}</strong>. Brier score:{' '}
        {calibration.brierScore.defined ? statistic(Number(calibration.brierScore.value)) : `undefined: ${calibration.brierScore.reason}`}. Log loss:{' '}
        {calibration.logLoss.defined ? statistic(Number(calibration.logLoss.value)) : `undefined: ${calibration.logLoss.reason}`}.
      </Text>
      {ece.warnings.map((warning) => (
        <Text key={warning} size="xs" c="dimmed">
          {warning}
        </Text>
      ))}
      <EChart option={option} height={340} label="Reliability diagram: observed positive rate against mean predicted probability per bin, with the diagonal of perfect calibration; the values are in the table below" />
      <Table.ScrollContainer minWidth={560}>
        <Table striped verticalSpacing={2} aria-label="Reliability diagram bins">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Bin</Table.Th>
              <Table.Th ta="right">Rows</Table.Th>
              <Table.Th ta="right">Mean predicted</Table.Th>
              <Table.Th ta="right">Observed rate</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {diagram.bins.map((bin) => (
              <Table.Tr key={`${bin.lower}-${bin.upper}`}>
                <Table.Td>
                  [{statistic(bin.lower)}, {statistic(bin.upper)}
                  {bin.upperInclusive ? ']' : ')'}
                </Table.Td>
                <Table.Td ta="right">{bin.count}</Table.Td>
                <Table.Td ta="right">{bin.meanPredicted.defined ? statistic(Number(bin.meanPredicted.value)) : 'undefined: empty bin'}</Table.Td>
                <Table.Td ta="right">{bin.observedRate.defined ? statistic(Number(bin.observedRate.value)) : 'undefined: empty bin'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
