import { useMemo } from 'react';
import { Stack, Table, Text } from '@mantine/core';
import { EChart } from '../components/echart';
import { formatMean, sectionLabel, sectionRows, type AssessmentScores, type MaturityScale } from './assessment-api';
import { ScrollRegion } from '../soa/scroll-region';

/**
 * Shows how many items of each clause and Annex A group reached each maturity level, as a heatmap
 * (sections down, levels across) and as a table with the weighted mean and the share of the target.
 */
export function MaturityHeatmap({ scores, scale }: { scores: AssessmentScores; scale: MaturityScale }) {
  const rows = sectionRows(scores);
  const option = useMemo(() => heatmapOption(scores, scale), [scores, scale]);
  const maxLevel = scale.levels.length - 1;

  return (
    <Stack gap="sm">
      <EChart
        option={option}
        height={Math.max(320, rows.length * 28 + 90)}
        label={`Heatmap of ${scores.title}: number of items at each maturity level 0 to ${maxLevel}, for each clause and Annex A group; the table below has the same numbers`}
      />
      <ScrollRegion minWidth={820} label="Maturity by clause and Annex A group">
        <Table striped withTableBorder fz="sm" verticalSpacing={4} data-testid="maturity-table">
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
            Maturity by clause and Annex A group against target level {scores.targetLevel}; the weighted mean weights each item by its risk weight.
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Clause or group</Table.Th>
              <Table.Th scope="col" ta="right">
                Weighted mean
              </Table.Th>
              <Table.Th scope="col" ta="right">
                % of target
              </Table.Th>
              {scale.levels.map((level) => (
                <Table.Th scope="col" ta="right" key={level.level}>
                  <abbr title={level.name}>L{level.level}</abbr>
                </Table.Th>
              ))}
              <Table.Th scope="col" ta="right">
                Not applicable
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Unanswered
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...rows, scores.overall].map((row) => (
              <Table.Tr key={row.ref ?? row.title} data-testid={`maturity-row-${row.itemId ?? 'overall'}`} fw={row === scores.overall ? 600 : undefined}>
                <Table.Th scope="row" fw={row === scores.overall ? 600 : 400}>
                  {sectionLabel(row)}
                </Table.Th>
                <Table.Td ta="right" data-testid="weighted-mean">
                  {formatMean(row.weightedMean)}
                </Table.Td>
                <Table.Td ta="right">{row.percentOfTarget === null ? '—' : `${row.percentOfTarget.toFixed(1)}%`}</Table.Td>
                {row.levelCounts.map((count, level) => (
                  <Table.Td ta="right" key={level}>
                    {count}
                  </Table.Td>
                ))}
                <Table.Td ta="right">{row.notApplicableCount}</Table.Td>
                <Table.Td ta="right">{row.unansweredCount}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
      <Text size="xs" c="dimmed">
        L0 to L{maxLevel}: {scale.levels.map((level) => `${level.level} ${level.name}`).join(', ')}.
      </Text>
    </Stack>
  );
}

function heatmapOption(scores: AssessmentScores, scale: MaturityScale) {
  // ECharts draws the first category at the bottom, so the rows go in reversed to read top-down.
  const rows = sectionRows(scores).reverse();
  const labels = rows.map((row) => `${sectionLabel(row)} (${formatMean(row.weightedMean)})`);
  const data = rows.flatMap((row, y) => row.levelCounts.map((count, x) => [x, y, count]));
  const maxCount = Math.max(1, ...data.map((cell) => cell[2]!));
  return {
    animation: false,
    tooltip: {
      formatter: (params: { value: [number, number, number] }) => {
        const [x, y, count] = params.value;
        return `${labels[y]}<br/>Level ${x} ${scale.levels[x]?.name ?? ''}: ${count} item${count === 1 ? '' : 's'}`;
      },
    },
    grid: { left: 8, right: 16, top: 36, bottom: 56, containLabel: true },
    xAxis: {
      type: 'category',
      name: 'Maturity level',
      nameLocation: 'middle',
      nameGap: 30,
      data: scale.levels.map((level) => `${level.level} ${level.name}${level.level === scores.targetLevel ? ' (target)' : ''}`),
      splitArea: { show: true },
      axisLabel: { interval: 0 },
    },
    yAxis: { type: 'category', data: labels, splitArea: { show: true }, axisLabel: { width: 320, overflow: 'truncate' } },
    visualMap: {
      min: 0,
      max: maxCount,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      top: 0,
      itemHeight: 120,
      text: [`${maxCount} items`, '0'],
      inRange: { color: ['#f8f9fa', '#74c0fc', '#1864ab'] },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: true, formatter: (params: { value: [number, number, number] }) => (params.value[2] === 0 ? '' : String(params.value[2])) },
        emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } },
      },
    ],
  };
}
