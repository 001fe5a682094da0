import { useMemo, useState } from 'react';
import { Anchor, Group, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { humanize } from '../components/badges';
import { EChart } from '../components/echart';
import { QueryState } from '../components/query-state';
import { dateTime, statistic } from './format';
import { OpenMonitoringTasks } from './monitoring-tasks';
import { listOpenTasks, readKpis, type KpiSeries, type MeasurementValue, type MonitoringTask, type ShewhartChart } from './measurement-api';

const defaultBaseline = 20;

function seriesLabel(value: Pick<MeasurementValue, 'group' | 'column'>): string {
  if (value.group) return value.group;
  if (value.column) return `column ${value.column}`;
  return 'all rows';
}

/**
 * Builds the chart on a time axis, so that each point sits at its measurement time and a pause
 * between runs shows as a gap. Values are [ISO time, value] pairs.
 */
function chartOption(series: KpiSeries, shewhart: ShewhartChart) {
  const points = series.points.filter((point) => typeof point.value === 'number');
  const breached = new Set(series.breaches.filter((breach) => breach.chart === 'shewhart').map((breach) => breach.runId));
  const data = points.map((point) => [point.measuredAt, point.value as number]);
  const breaches = points.filter((point) => breached.has(point.runId)).map((point) => [point.measuredAt, point.value as number]);
  const values = points.map((point) => point.value as number);
  const limits = shewhart.defined
    ? [
        { yAxis: shewhart.centre, name: 'centre line', lineStyle: { type: 'solid', color: '#2b8a3e' }, label: { formatter: `centre ${statistic(shewhart.centre)}` } },
        { yAxis: shewhart.limits.upper, name: 'upper control limit', lineStyle: { type: 'dashed', color: '#e03131' }, label: { formatter: `UCL ${statistic(shewhart.limits.upper)}` } },
        { yAxis: shewhart.limits.lower, name: 'lower control limit', lineStyle: { type: 'dashed', color: '#e03131' }, label: { formatter: `LCL ${statistic(shewhart.limits.lower)}` } },
      ]
    : [];
  const bounds = shewhart.defined ? [...values, shewhart.limits.lower, shewhart.limits.upper] : values;
  const span = Math.max(...bounds) - Math.min(...bounds) || 1;
  return {
    grid: { left: 56, right: 100, top: 40, bottom: 56 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'time', axisLabel: { rotate: 30, hideOverlap: true } },
    yAxis: { type: 'value', min: Math.min(...bounds) - span * 0.05, max: Math.max(...bounds) + span * 0.05, axisLabel: { formatter: (value: number) => statistic(value) } },
    series: [
      { type: 'line', name: 'value', data, symbol: 'circle', symbolSize: 6, itemStyle: { color: '#4c6ef5' }, markLine: { symbol: 'none', data: limits, label: { position: 'end' } } },
      { type: 'scatter', name: 'Shewhart breach', data: breaches, symbol: 'diamond', symbolSize: 16, itemStyle: { color: '#e03131', borderColor: '#212529', borderWidth: 1 } },
    ],
  };
}

/**
 * Shows the KPI series of one metric of the run's AI system, with the Shewhart chart's centre line
 * and control limits, the breaches of every chart, and the monitoring task each breach opened.
 */
export function KpiSeriesView({ aiSystemId, values }: { aiSystemId: string; values: MeasurementValue[] }) {
  const metrics = [...new Set(values.map((value) => value.metric))];
  const [metric, setMetric] = useState(metrics[0] ?? '');
  const targets = values.filter((value) => value.metric === metric);
  const targetLabels = [...new Set(targets.map(seriesLabel))];
  const [target, setTarget] = useState<string | null>(targetLabels[0] ?? null);
  const shownTarget = target && targetLabels.includes(target) ? target : (targetLabels[0] ?? null);
  const chosen = targets.find((value) => seriesLabel(value) === shownTarget);
  const [baseline, setBaseline] = useState<number>(defaultBaseline);

  const kpis = useQuery({
    queryKey: ['kpis', aiSystemId, metric, chosen?.group, chosen?.column, baseline],
    queryFn: () => readKpis(aiSystemId, metric, { group: chosen?.group ?? undefined, column: chosen?.column ?? undefined, baselineLength: baseline }),
    enabled: metric !== '',
  });
  const tasks = useQuery({ queryKey: ['monitoring-tasks', 'open', aiSystemId], queryFn: () => listOpenTasks(aiSystemId) });

  return (
    <Stack gap="md" data-testid="kpi-series-view">
      <Title order={2} size="h3">
        KPI series with control limits
      </Title>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select label="Metric" data={metrics.map((name) => ({ value: name, label: humanize(name) }))} value={metric} onChange={(value) => value && setMetric(value)} allowDeselect={false} w={260} />
        <Select label="Group or column" data={targetLabels} value={shownTarget} onChange={setTarget} allowDeselect={false} w={260} />
        <NumberInput
          label="Baseline points"
          description="Earliest points that set the centre line and sigma"
          value={baseline}
          min={2}
          max={1000}
          onChange={(value) => typeof value === 'number' && value >= 2 && setBaseline(value)}
          w={200}
        />
      </Group>
      <QueryState query={kpis} label="KPI series">
        {(report) => {
          const series = report.series.find((candidate) => candidate.group === (chosen?.group ?? null) && candidate.column === (chosen?.column ?? null)) ?? report.series[0];
          if (!series) return <Text size="sm">No stored value of this metric.</Text>;
          return <SeriesChart series={series} tasks={(tasks.data?.items ?? []).filter((task) => task.metric === metric)} />;
        }}
      </QueryState>
      <OpenMonitoringTasks aiSystemId={aiSystemId} metric={metric} headingLevel={3} />
    </Stack>
  );
}

function SeriesChart({ series, tasks }: { series: KpiSeries; tasks: MonitoringTask[] }) {
  const shewhart = (series.charts['shewhart'] as ShewhartChart | undefined) ?? { defined: false as const, reason: 'the Shewhart chart is not drawn for this series' };
  const option = useMemo(() => chartOption(series, shewhart), [series, shewhart]);
  const undefinedPoints = series.points.filter((point) => point.value === null);
  const taskFor = (runId: string, chart: string, rule: string) =>
    tasks.find((task) => task.runId === runId && task.chart === chart && task.rule === rule && task.group === series.group && task.column === series.column);

  return (
    <Stack gap="sm">
      <Text size="sm">
        {series.points.length} points.{' '}
        {shewhart.defined
          ? `Shewhart chart over the first ${shewhart.baseline.length} points: centre ${statistic(shewhart.centre)}, sigma ${statistic(shewhart.sigma)}, control limits ${statistic(shewhart.limits.lower)} to ${statistic(shewhart.limits.upper)}.`
          : `No Shewhart chart: ${shewhart.reason}.`}{' '}
        {undefinedPoints.length > 0 ? `${undefinedPoints.length} undefined values are left out of the charts.` : ''}
      </Text>
      <EChart option={option} height={320} renderer="svg" label="KPI values over time with the Shewhart centre line and control limits; breaches are red diamonds and are listed in the table below" />
      <Title order={3} size="h5">
        Breaches
      </Title>
      {series.breaches.length === 0 ? (
        <Text size="sm">No control chart rule fired on this series.</Text>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped verticalSpacing={2} aria-label="Control chart breaches">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Measured</Table.Th>
                <Table.Th>Chart and rule</Table.Th>
                <Table.Th ta="right">Value</Table.Th>
                <Table.Th>Side</Table.Th>
                <Table.Th>Monitoring task</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {series.breaches.map((breach) => {
                const task = taskFor(breach.runId, breach.chart, breach.rule);
                return (
                  <Table.Tr key={`${breach.chart}-${breach.rule}-${breach.runId}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/measurements/${breach.runId}`} size="sm">
                        {dateTime(breach.measuredAt)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {humanize(breach.chart)}: {breach.rule}
                    </Table.Td>
                    <Table.Td ta="right">{statistic(breach.value)}</Table.Td>
                    <Table.Td>{breach.side} the limit</Table.Td>
                    <Table.Td>{task ? `${humanize(task.kind)} task, due ${dateTime(task.dueDate)}${task.overdue ? ' (overdue)' : ''}` : 'no open task for this breach'}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
