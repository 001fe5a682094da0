import { useMemo, useState } from 'react';
import { Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts';
import { EChart } from '../components/echart';
import { numberOf, percent, statistic, words } from './format';
import type { Measured } from './measurement-api';
import { Notice } from './notice';
import { FlagBadge } from './run-badges';

/** The parts of a stored fairness measurement that the view reads (see FairnessMeasurement in the engine). */
interface RateEstimate {
  value: Measured;
  numerator: number;
  denominator: number;
  interval: { defined: true; lower: number; upper: number; confidence: number; method: string } | { defined: false; reason: string };
}
interface FairnessGroup {
  name: string;
  label: string;
  size: number;
  belowMinimumSize: boolean;
  counts: { truePositives: number; falsePositives: number; trueNegatives: number; falseNegatives: number };
  rates: Record<string, RateEstimate | undefined>;
}
interface Disparity {
  betweenGroups?: { difference: Measured; ratio: Measured; minimumGroup?: string; maximumGroup?: string };
  toOverall?: { difference: Measured; ratio: Measured };
  toReference?: { reference: string; groups: { label: string; difference: Measured; ratio: Measured }[] };
}
export interface FairnessMeasurement {
  attributes: string[];
  rates: string[];
  groups: FairnessGroup[];
  settings: { minimumGroupSize: number; confidence: number };
  rows: { read: number; measured: number };
  disparities: Record<string, Disparity | undefined>;
  fourFifthsRule: {
    threshold: number;
    favourableRate: string;
    highestGroup: string | null;
    groups: { label: string; ratio: Measured; belowThreshold: boolean; belowMinimumSize: boolean }[];
    caveat: string;
  } | null;
  warnings: string[];
  replay?: string;
}

/** A rate as text: the percentage, or "undefined" with the reason, never 0. */
function RateText({ estimate }: { estimate: RateEstimate | undefined }) {
  if (!estimate) return <Text span size="sm">not measured</Text>;
  if (!estimate.value.defined) {
    return (
      <Text span size="sm" c="dimmed">
        undefined: {estimate.value.reason}
      </Text>
    );
  }
  const interval = estimate.interval.defined ? ` (${percent(estimate.interval.lower, 1)} to ${percent(estimate.interval.upper, 1)})` : '';
  return (
    <Text span size="sm">
      {percent(Number(estimate.value.value))}
      <Text span size="xs" c="dimmed">
        {interval}
      </Text>
    </Text>
  );
}

function MeasuredText({ value, asPercent }: { value: Measured | undefined; asPercent?: boolean }) {
  if (!value) return <>—</>;
  if (!value.defined) return <>undefined: {value.reason}</>;
  const number = Number(value.value);
  return <>{asPercent ? percent(number) : statistic(number)}</>;
}

/** Bars of one rate per group with the Wilson interval drawn as an error bar. */
function rateChartOption(groups: FairnessGroup[], rate: string) {
  const labels = groups.map((group) => group.label);
  const values = groups.map((group) => numberOf(group.rates[rate]?.value));
  const intervals = groups.map((group, index) => {
    const interval = group.rates[rate]?.interval;
    return interval && interval.defined ? [index, interval.lower, interval.upper] : [index, null, null];
  });
  return {
    grid: { left: 56, right: 16, top: 24, bottom: 64 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 20 : 0 } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (value: number) => `${Math.round(value * 100)} %` } },
    series: [
      { type: 'bar', name: words(rate), data: values, itemStyle: { color: '#4c6ef5' } },
      {
        type: 'custom',
        name: 'confidence interval',
        data: intervals,
        renderItem: (_params: CustomSeriesRenderItemParams, chart: CustomSeriesRenderItemAPI) => {
          if (chart.value(1) === null || chart.value(1) === '' || Number.isNaN(Number(chart.value(1)))) return { type: 'group', children: [] };
          const low = chart.coord([chart.value(0), chart.value(1)]);
          const high = chart.coord([chart.value(0), chart.value(2)]);
          const halfWidth = 6;
          const style = { stroke: '#212529', lineWidth: 1.5 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
              { type: 'line', shape: { x1: low[0]! - halfWidth, y1: low[1], x2: low[0]! + halfWidth, y2: low[1] }, style },
              { type: 'line', shape: { x1: high[0]! - halfWidth, y1: high[1], x2: high[0]! + halfWidth, y2: high[1] }, style },
            ],
          };
        },
        z: 10,
      },
    ],
  };
}

function fourFifthsOption(rule: NonNullable<FairnessMeasurement['fourFifthsRule']>) {
  return {
    grid: { left: 56, right: 24, top: 24, bottom: 64 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rule.groups.map((group) => group.label), axisLabel: { interval: 0, rotate: rule.groups.length > 4 ? 20 : 0 } },
    yAxis: { type: 'value', min: 0, name: 'ratio' },
    series: [
      {
        type: 'bar',
        name: 'ratio to the highest rate',
        data: rule.groups.map((group) => ({ value: numberOf(group.ratio), itemStyle: { color: group.belowThreshold ? '#e03131' : '#12b886', decal: group.belowThreshold ? { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: 0.8 } : undefined } })),
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#212529', width: 2 },
          // Drawn above the line inside the plot, because a label past its end is cut by the chart's edge.
          label: { formatter: `four-fifths line (${rule.threshold})`, position: 'insideEndTop', color: '#212529' },
          data: [{ yAxis: rule.threshold }],
        },
      },
    ],
  };
}

/** The fairness view: rates by group with Wilson intervals, confusion counts, disparities and the four-fifths rule. */
export function FairnessView({ results }: { results: Record<string, unknown> }) {
  const entries = Object.entries(results) as [string, FairnessMeasurement][];
  const [selected, setSelected] = useState(entries[0]?.[0] ?? '');
  const measurement = (results[selected] as FairnessMeasurement | undefined) ?? entries[0]?.[1];
  const [rate, setRate] = useState('falsePositiveRate');
  const rates = measurement?.rates ?? [];
  const shownRate = rates.includes(rate) ? rate : (rates[0] ?? 'baseRate');
  const chart = useMemo(() => (measurement ? rateChartOption(measurement.groups, shownRate) : null), [measurement, shownRate]);
  const fourFifths = useMemo(() => (measurement?.fourFifthsRule ? fourFifthsOption(measurement.fourFifthsRule) : null), [measurement]);
  if (!measurement || !chart) return null;
  const disparity = measurement.disparities[shownRate];
  const confidence = Math.round(measurement.settings.confidence * 100);

  return (
    <Stack gap="md" data-testid="fairness-view">
      <Group justify="space-between" wrap="wrap" align="flex-end">
        <Title order={2} size="h3">
          Fairness by {measurement.attributes.join(' × ')}
        </Title>
        {entries.length > 1 && (
          <SegmentedControl aria-label="Fairness measurement" value={selected} onChange={setSelected} data={entries.map(([key]) => ({ value: key, label: key }))} />
        )}
      </Group>
      {measurement.replay && <Text size="sm">{measurement.replay}</Text>}
      <Text size="sm" c="dimmed">
        {measurement.rows.measured.toLocaleString('en')} rows measured. Intervals are {confidence} % Wilson score intervals. Groups under {measurement.settings.minimumGroupSize} rows are
        flagged as small.
      </Text>

      <Table.ScrollContainer minWidth={860}>
        <Table striped verticalSpacing={4} aria-label="Confusion counts and error rates by group">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group</Table.Th>
              <Table.Th ta="right">n</Table.Th>
              <Table.Th ta="right">TN</Table.Th>
              <Table.Th ta="right">FP</Table.Th>
              <Table.Th ta="right">FN</Table.Th>
              <Table.Th ta="right">TP</Table.Th>
              <Table.Th>False positive rate ({confidence} % CI)</Table.Th>
              <Table.Th>False negative rate ({confidence} % CI)</Table.Th>
              <Table.Th>Size</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {measurement.groups.map((group) => (
              <Table.Tr key={group.name} data-group={group.label}>
                <Table.Td>{group.label}</Table.Td>
                <Table.Td ta="right">{group.size.toLocaleString('en')}</Table.Td>
                <Table.Td ta="right">{group.counts.trueNegatives}</Table.Td>
                <Table.Td ta="right">{group.counts.falsePositives}</Table.Td>
                <Table.Td ta="right">{group.counts.falseNegatives}</Table.Td>
                <Table.Td ta="right">{group.counts.truePositives}</Table.Td>
                <Table.Td>
                  <RateText estimate={group.rates.falsePositiveRate} />
                </Table.Td>
                <Table.Td>
                  <RateText estimate={group.rates.falseNegativeRate} />
                </Table.Td>
                <Table.Td>{group.belowMinimumSize ? <FlagBadge flagged yes="small group" no="" /> : 'enough rows'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Group align="flex-end" gap="sm">
        <Select
          label="Rate to chart"
          data={rates.map((name) => ({ value: name, label: words(name) }))}
          value={shownRate}
          onChange={(value) => value && setRate(value)}
          allowDeselect={false}
          w={260}
        />
      </Group>
      <EChart option={chart} height={300} label={`${words(shownRate)} by group with ${confidence} % confidence intervals; the values are in the table below`} />
      <Table.ScrollContainer minWidth={600}>
        <Table verticalSpacing={4} aria-label={`${words(shownRate)} by group`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group</Table.Th>
              <Table.Th>{words(shownRate)}</Table.Th>
              <Table.Th ta="right">Numerator / denominator</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {measurement.groups.map((group) => (
              <Table.Tr key={group.name}>
                <Table.Td>{group.label}</Table.Td>
                <Table.Td>
                  <RateText estimate={group.rates[shownRate]} />
                </Table.Td>
                <Table.Td ta="right">
                  {group.rates[shownRate] ? `${group.rates[shownRate]!.numerator} / ${group.rates[shownRate]!.denominator}` : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {disparity && (
        <div>
          <Title order={3} size="h5" mb={4}>
            Disparity of the {words(shownRate)}
          </Title>
          <Table verticalSpacing={4} aria-label={`Disparity of the ${words(shownRate)}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Comparison</Table.Th>
                <Table.Th>Difference</Table.Th>
                <Table.Th>Ratio (smaller over larger)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {disparity.betweenGroups && (
                <Table.Tr>
                  <Table.Td>
                    between groups{disparity.betweenGroups.minimumGroup ? ` (${disparity.betweenGroups.minimumGroup} lowest, ${disparity.betweenGroups.maximumGroup} highest)` : ''}
                  </Table.Td>
                  <Table.Td>
                    <MeasuredText value={disparity.betweenGroups.difference} asPercent />
                  </Table.Td>
                  <Table.Td>
                    <MeasuredText value={disparity.betweenGroups.ratio} />
                  </Table.Td>
                </Table.Tr>
              )}
              {disparity.toReference?.groups
                .filter((group) => group.label !== disparity.toReference!.reference)
                .map((group) => (
                  <Table.Tr key={group.label}>
                    <Table.Td>
                      {group.label} against {disparity.toReference!.reference} (reference)
                    </Table.Td>
                    <Table.Td>
                      <MeasuredText value={group.difference} asPercent />
                    </Table.Td>
                    <Table.Td>
                      <MeasuredText value={group.ratio} />
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </div>
      )}

      {measurement.fourFifthsRule && fourFifths && (
        <div data-testid="four-fifths">
          <Title order={3} size="h5" mb={4}>
            Four-fifths rule on the {words(measurement.fourFifthsRule.favourableRate)}
          </Title>
          <Text size="sm" mb="xs">
            Each group's {words(measurement.fourFifthsRule.favourableRate)} over the highest one ({measurement.fourFifthsRule.highestGroup ?? 'none'}); the dashed line is the four-fifths line at{' '}
            {measurement.fourFifthsRule.threshold}. Bars below it are red and hatched.
          </Text>
          <EChart option={fourFifths} height={260} renderer="svg" label={`Ratio of each group's ${words(measurement.fourFifthsRule.favourableRate)} to the highest, with the four-fifths line at ${measurement.fourFifthsRule.threshold}`} />
          <Table verticalSpacing={4} aria-label="Four-fifths rule by group">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Group</Table.Th>
                <Table.Th>Ratio</Table.Th>
                <Table.Th>Below four fifths</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {measurement.fourFifthsRule.groups.map((group) => (
                <Table.Tr key={group.label}>
                  <Table.Td>{group.label}</Table.Td>
                  <Table.Td>
                    <MeasuredText value={group.ratio} />
                  </Table.Td>
                  <Table.Td>
                    {group.belowMinimumSize ? 'not judged: small group' : <FlagBadge flagged={group.belowThreshold} yes="below 0.8" no="at or above 0.8" />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Notice title="Caveat">
            {measurement.fourFifthsRule.caveat}
          </Notice>
        </div>
      )}
      {measurement.warnings.length > 0 && (
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
