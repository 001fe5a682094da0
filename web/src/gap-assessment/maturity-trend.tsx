import { useMemo } from 'react';
import { Stack, Table, Text } from '@mantine/core';
import { EChart } from '../components/echart';
import { formatDate, formatMean, sectionLabel, sectionRows, type AssessmentScores, type ScoreRow } from './assessment-api';
import { ScrollRegion } from '../soa/scroll-region';

/**
 * Shows the weighted mean maturity over the completed assessments, overall and per clause and group.
 * The line chart starts with the overall line, and the legend turns on the sections. The table has
 * the same numbers, one column per assessment.
 */
export function MaturityTrend({ trend }: { trend: readonly AssessmentScores[] }) {
  const option = useMemo(() => trendOption(trend), [trend]);
  if (trend.length === 0) {
    return <Text size="sm">No assessment is completed yet, so there is no trend. Complete an assessment to see its scores here.</Text>;
  }
  const first = trend[0]!;
  const sections: Array<{ key: string; label: string; pick: (scores: AssessmentScores) => ScoreRow | undefined }> = [
    { key: 'overall', label: 'All items in scope', pick: (scores) => scores.overall },
    ...sectionRows(first).map((row) => ({
      key: row.ref ?? row.title,
      label: sectionLabel(row),
      pick: (scores: AssessmentScores) => sectionRows(scores).find((candidate) => candidate.ref === row.ref),
    })),
  ];

  return (
    <Stack gap="sm">
      {trend.length === 1 && <Text size="sm">Only one assessment is completed so far, so each line is a single point; the next completed assessment extends it.</Text>}
      <EChart option={option} height={320} label={`Line chart of the weighted mean maturity of ${trend.length} completed assessments; the table below has the same numbers`} />
      <ScrollRegion minWidth={560} label="Weighted mean maturity by completed assessment">
        <Table striped withTableBorder fz="sm" verticalSpacing={4} data-testid="trend-table">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>Weighted mean maturity by completed assessment</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Clause or group</Table.Th>
              {trend.map((scores) => (
                <Table.Th scope="col" ta="right" key={scores.assessmentId}>
                  {scores.title}
                  <Text size="xs" c="dimmed" fw={400}>
                    {formatDate(scores.completedAt)} · target {scores.targetLevel}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sections.map((section) => (
              <Table.Tr key={section.key}>
                <Table.Th scope="row" fw={section.key === 'overall' ? 600 : 400}>
                  {section.label}
                </Table.Th>
                {trend.map((scores) => (
                  <Table.Td ta="right" key={scores.assessmentId}>
                    {formatMean(section.pick(scores)?.weightedMean ?? null)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </Stack>
  );
}

function trendOption(trend: readonly AssessmentScores[]) {
  const categories = trend.map((scores) => `${scores.title} (${formatDate(scores.completedAt)})`);
  const first = trend[0];
  const sectionSeries = first
    ? sectionRows(first).map((row) => ({
        name: sectionLabel(row),
        type: 'line',
        symbolSize: 6,
        data: trend.map((scores) => sectionRows(scores).find((candidate) => candidate.ref === row.ref)?.weightedMean ?? null),
      }))
    : [];
  const overallName = 'All items in scope';
  const target = first?.targetLevel;
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (value: number | null) => formatMean(value) },
    legend: {
      type: 'plain',
      top: 0,
      // Only the overall line is on at first; the sections are a click away.
      selected: Object.fromEntries(sectionSeries.map((series) => [series.name, false])),
      textStyle: { fontSize: 11 },
    },
    grid: { left: 36, right: 24, top: 90, bottom: 24, containLabel: true },
    xAxis: { type: 'category', data: categories, boundaryGap: trend.length === 1 },
    yAxis: { type: 'value', min: 0, max: 5, interval: 1, name: 'Weighted mean level', nameLocation: 'middle', nameGap: 28 },
    series: [
      {
        name: overallName,
        type: 'line',
        symbolSize: 10,
        lineStyle: { width: 3 },
        data: trend.map((scores) => scores.overall.weightedMean),
        markLine:
          target === undefined
            ? undefined
            : { symbol: 'none', lineStyle: { type: 'dashed', color: '#c92a2a' }, label: { formatter: `target ${target}`, position: 'insideEndTop' }, data: [{ yAxis: target }] },
      },
      ...sectionSeries,
    ],
  };
}
