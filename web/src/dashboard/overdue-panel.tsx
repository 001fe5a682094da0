import type { ReactNode } from 'react';
import { Anchor, Group, List, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { humanize } from '../components/badges';
import { DateTime } from '../components/date-time';
import type { DashboardSummary } from './dashboard-types';
import { Panel } from './panel';
import { ToneBadge } from '../components/badges';

function OverdueGroup({ title, count, to, testId, children }: { title: string; count: ReactNode; to?: string; testId: string; children?: ReactNode }) {
  return (
    <div data-testid={testId}>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Text size="sm" fw={600}>
          {title}
        </Text>
        {to ? (
          <Anchor component={Link} to={to} size="sm" fw={600}>
            {count}
          </Anchor>
        ) : (
          <Text size="sm" fw={600}>
            {count}
          </Text>
        )}
      </Group>
      {children}
    </div>
  );
}

function Late({ overdue, children }: { overdue: boolean; children: ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap" component="span">
      {overdue && (
        <ToneBadge value="overdue" />
      )}
      <Text span size="sm">
        {children}
      </Text>
    </Group>
  );
}

/** Lists what has fallen due: treatments, escalations, classification reviews, evidence and document reviews. */
export function OverduePanel({ overdue }: { overdue: DashboardSummary['overdue'] }) {
  const { treatments, escalations, classificationReviews, evidence, documents } = overdue;
  return (
    <Panel title="Overdue and due soon" testId="panel-overdue">
      <Stack gap="sm">
        <OverdueGroup title="Risk treatments past their due date" count={`${treatments.overdue} on ${treatments.risks} ${treatments.risks === 1 ? 'risk' : 'risks'}`} to="/risks?treatment=overdue" testId="overdue-treatments">
          <List size="sm" spacing={2}>
            {treatments.items.map((item) => (
              <List.Item key={item.id}>
                <Anchor component={Link} to={`/risks/${item.riskId}`} size="sm">
                  {item.riskTitle}
                </Anchor>{' '}
                <Text span size="sm" c="dimmed">
                  due <DateTime value={item.dueDate} /> · {humanize(item.status)}
                </Text>
              </List.Item>
            ))}
          </List>
        </OverdueGroup>

        <OverdueGroup title="Risk escalations past their due date" count={escalations.overdue} to="/risks?escalated=true" testId="overdue-escalations">
          <List size="sm" spacing={2}>
            {escalations.items.map((item) => (
              <List.Item key={item.id}>
                <Anchor component={Link} to={`/risks/${item.riskId}`} size="sm">
                  {item.riskTitle}
                </Anchor>{' '}
                <Text span size="sm" c="dimmed">
                  due <DateTime value={item.dueDate} /> · to {humanize(item.escalateToRole)}
                </Text>
              </List.Item>
            ))}
          </List>
        </OverdueGroup>

        <OverdueGroup title="Classification reviews open" count={`${classificationReviews.open} (${classificationReviews.overdue} overdue)`} to="/ai-systems?classificationStale=true" testId="overdue-reviews">
          <List size="sm" spacing={2}>
            {classificationReviews.items.map((item) => (
              <List.Item key={item.id}>
                <Late overdue={item.overdue}>
                  <Anchor component={Link} to={`/ai-systems/${item.aiSystemId}/classification`} size="sm">
                    {item.aiSystemName}
                  </Anchor>{' '}
                  due <DateTime value={item.dueDate} />
                </Late>
              </List.Item>
            ))}
          </List>
        </OverdueGroup>

        <OverdueGroup
          title={`Evidence expired or expiring within ${evidence.withinDays} days`}
          count={`${evidence.due} (${evidence.expired} expired)`}
          to={`/evidence?expires=${evidence.withinDays}`}
          testId="overdue-evidence"
        >
          <List size="sm" spacing={2}>
            {evidence.items.map((item) => (
              <List.Item key={item.id}>
                <Late overdue={item.expired}>
                  <Anchor component={Link} to={`/evidence?id=${item.id}`} size="sm">
                    {item.title}
                  </Anchor>{' '}
                  {item.expired ? 'expired' : 'valid until'} <DateTime value={item.validUntil} />
                </Late>
              </List.Item>
            ))}
          </List>
        </OverdueGroup>

        <OverdueGroup title={`Documents due for review within ${documents.withinDays} days`} count={`${documents.due} (${documents.overdue} overdue)`} testId="overdue-documents">
          <List size="sm" spacing={2}>
            {documents.items.map((item) => (
              <List.Item key={item.id}>
                <Late overdue={item.overdue}>
                  {item.title}, review {item.overdue ? 'was due' : 'due'} <DateTime value={item.nextReviewDate} />
                </Late>
              </List.Item>
            ))}
          </List>
        </OverdueGroup>
      </Stack>
    </Panel>
  );
}
