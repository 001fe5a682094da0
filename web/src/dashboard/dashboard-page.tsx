import { Anchor, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { RiskHeatmapGrid } from '../risks/risk-heatmap-grid';
import { AiSystemsPanel } from './ai-systems-panel';
import type { DashboardSummary } from './dashboard-types';
import { MaturityPanel } from './maturity-panel';
import { MeasurementsPanel } from './measurements-panel';
import { OverduePanel } from './overdue-panel';
import { Panel } from './panel';
import { SoaProgressPanel } from './soa-progress-panel';

export const dashboardQueryKey = ['dashboard'] as const;

/** The first screen after sign-in: the whole management system from one request to GET /api/dashboard. */
export function DashboardPage() {
  const summary = useQuery({ queryKey: dashboardQueryKey, queryFn: () => api<DashboardSummary>('/dashboard') });
  return (
    <>
      <PageTitle title="Dashboard" subtitle={summary.data ? `As of ${summary.data.asOf} (UTC)` : undefined} />
      <QueryState query={summary} label="the dashboard">
        {(data) => (
          <Stack gap="md">
            <AiSystemsPanel aiSystems={data.aiSystems} />
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
              <Panel title="Risk heatmap" link={{ to: '/risks', label: `All ${data.risks.heatmap.total} risks` }} testId="panel-risks">
                <RiskHeatmapGrid
                  heatmap={data.risks.heatmap}
                  caption="Risks by current rating (residual, else inherent); a cell opens its risks"
                  cellHref={({ likelihood, impact }) => `/risks?likelihood=${likelihood}&impact=${impact}`}
                />
                <Group gap="lg" mt="sm">
                  <Text size="sm">
                    Beyond appetite:{' '}
                    <Anchor component={Link} to="/risks?beyondAppetite=true" data-testid="risks-beyond-appetite">
                      {data.risks.beyondAppetite}
                    </Anchor>
                  </Text>
                  <Text size="sm">
                    Escalated:{' '}
                    <Anchor component={Link} to="/risks?escalated=true" data-testid="risks-escalated">
                      {data.risks.escalated}
                    </Anchor>
                  </Text>
                </Group>
              </Panel>
              <OverduePanel overdue={data.overdue} />
              <SoaProgressPanel soa={data.soa} />
              <MaturityPanel maturity={data.maturity} />
            </SimpleGrid>
            <MeasurementsPanel measurements={data.measurements} />
          </Stack>
        )}
      </QueryState>
    </>
  );
}
