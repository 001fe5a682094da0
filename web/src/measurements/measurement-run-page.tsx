import { Anchor, Group, Paper, Stack, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { humanize } from '../components/badges';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { CalibrationView, findCalibration } from './calibration-view';
import { ChecksTable } from './checks-table';
import { DriftView } from './drift-view';
import { FairnessView } from './fairness-view';
import { dateTime } from './format';
import { KpiSeriesView } from './kpi-series-view';
import { readRun, readRunNames, type MeasurementRun, type RunListItem } from './measurement-api';
import { PerformanceView } from './performance-view';
import { ReproducibilityPanel } from './reproducibility-panel';
import { RunResultBadge } from './run-badges';

/** One measurement run: its checks, a view for each family it measured, its KPI series and how to repeat it. */
export function MeasurementRunPage() {
  const { runId = '' } = useParams();
  const run = useQuery({ queryKey: ['measurement-run', runId], queryFn: () => readRun(runId) });
  const names = useQuery({ queryKey: ['measurement-run-names', runId], queryFn: () => readRunNames(runId) });

  return (
    <QueryState query={run} label="measurement run">
      {(data) => <RunDetail run={data} names={names.data?.items[0]} />}
    </QueryState>
  );
}

function RunDetail({ run, names }: { run: MeasurementRun; names: RunListItem | undefined }) {
  const [params, setParams] = useSearchParams();
  const results = run.report?.results ?? {};
  const calibration = findCalibration(results.calibration) ?? findCalibration(results.performance);
  const views = [
    results.fairness && Object.keys(results.fairness).length > 0 ? { value: 'fairness', label: 'Fairness' } : null,
    results.drift ? { value: 'drift', label: 'Drift' } : null,
    calibration ? { value: 'calibration', label: 'Calibration' } : null,
    results.performance ? { value: 'performance', label: 'Performance' } : null,
    { value: 'checks', label: `Checks (${run.values.length})` },
    run.values.length > 0 ? { value: 'series', label: 'Time series' } : null,
    { value: 'reproducibility', label: 'Reproducibility' },
  ].filter((view): view is { value: string; label: string } => view !== null);
  const requested = params.get('view');
  const active = views.some((view) => view.value === requested) ? requested! : views[0]!.value;
  const title = run.policyName ?? `${humanize(run.kind)} measurement`;

  return (
    <Stack gap="md">
      <PageTitle
        title={title}
        subtitle={
          <>
            <Anchor component={Link} to={`/ai-systems/${run.aiSystemId}`} size="sm">
              {names?.aiSystemName ?? 'AI system'}
            </Anchor>{' '}
            · finished {dateTime(run.finishedAt)} ·{' '}
            <Anchor component={Link} to="/measurements" size="sm">
              all measurements
            </Anchor>
          </>
        }
      />
      <Paper withBorder p="sm">
        <Group gap="sm" wrap="wrap">
          <RunResultBadge result={run.result} />
          <Text size="sm">
            {run.counts.passed} passed, {run.counts.failed} failed, {run.counts.undefined} undefined of {run.counts.outcomes} checks.
          </Text>
        </Group>
      </Paper>
      <Tabs
        value={active}
        onChange={(value) => {
          const next = new URLSearchParams(params);
          if (value) next.set('view', value);
          setParams(next, { replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List>
          {views.map((view) => (
            <Tabs.Tab key={view.value} value={view.value}>
              {view.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="fairness" pt="md">
          {results.fairness && <FairnessView results={results.fairness} />}
        </Tabs.Panel>
        <Tabs.Panel value="drift" pt="md">
          {results.drift && <DriftView results={results.drift} />}
        </Tabs.Panel>
        <Tabs.Panel value="calibration" pt="md">
          {calibration && <CalibrationView measurement={calibration} />}
        </Tabs.Panel>
        <Tabs.Panel value="performance" pt="md">
          {results.performance && <PerformanceView results={results.performance} />}
        </Tabs.Panel>
        <Tabs.Panel value="checks" pt="md">
          <ChecksTable values={run.values} />
        </Tabs.Panel>
        <Tabs.Panel value="series" pt="md">
          <KpiSeriesView aiSystemId={run.aiSystemId} values={run.values} />
        </Tabs.Panel>
        <Tabs.Panel value="reproducibility" pt="md">
          <ReproducibilityPanel run={run} names={names} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
