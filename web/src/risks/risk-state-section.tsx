import { Group, List, Loader, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { humanize } from '../components/badges';
import { ToneBadge } from '../components/badges';
import { DateTime } from '../components/date-time';
import { useCan, useReadOnly, useSession } from '../auth/session';
import { AcceptanceForm } from './acceptance-form';
import { EscalationResolveForm } from './escalation-resolve-form';
import type { Acceptance, Escalation, Risk } from './risk-types';
import { useUserNames } from '../users/user-names';

interface Props {
  risk: Risk;
  acceptances: Acceptance[] | undefined;
  escalations: Escalation[] | undefined;
  onReloadRisk: () => Promise<unknown>;
}

/**
 * Shows the acceptances of the residual risk and the escalations of the risk beyond appetite,
 * newest first. Roles with the decision rights get the forms to accept the risk and to resolve an
 * open escalation, and the others read who may.
 */
export function RiskStateSection({ risk, acceptances, escalations, onReloadRisk }: Props) {
  const can = useCan();
  const readOnly = useReadOnly();
  const roles = useSession().actingRoles;
  const openEscalation = escalations?.find((escalation) => escalation.status === 'open');
  const userNames = useUserNames(escalations?.flatMap((escalation) => [escalation.openedBy, escalation.resolvedBy]) ?? []);
  const userName = (id: string | null) => (id ? (userNames.data?.get(id) ?? id) : 'unknown');

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Paper withBorder p="md" component="section" aria-labelledby="escalation-heading">
        <Title order={2} size="h4" id="escalation-heading" mb="sm">
          Escalation
        </Title>
        {escalations === undefined ? (
          <Loader size="sm" role="status" aria-label="Loading the escalations" />
        ) : escalations.length === 0 ? (
          <Text size="sm">Never escalated: the risk has not been beyond the appetite of its category.</Text>
        ) : (
          <List spacing="xs" size="sm" data-testid="escalations">
            {escalations.map((escalation) => (
              <List.Item key={escalation.id}>
                <Group gap={6} wrap="wrap" component="span">
                  <ToneBadge value={escalation.status === 'open' ? (escalation.overdue ? 'overdue' : 'open') : 'resolved'} label={escalation.status === 'open' ? (escalation.overdue ? 'open, overdue' : 'open') : 'resolved'} />
                  <Text span size="sm">
                    to {humanize(escalation.escalateToRole)}, due <DateTime value={escalation.dueDate} />: score {escalation.score} above the appetite of {escalation.maxScore} (band {escalation.band}), opened <DateTime value={escalation.openedAt} /> by {userName(escalation.openedBy)}
                  </Text>
                </Group>
                {escalation.status === 'open' && <EscalationResolveForm escalation={escalation} riskId={risk.id} mayResolve={can('risks.resolve_escalation') && !readOnly} roles={roles} />}
                {escalation.status === 'resolved' && (
                  <Text size="xs" c="dimmed">
                    Resolved <DateTime value={escalation.resolvedAt} /> by {userName(escalation.resolvedBy)} as {humanize(escalation.outcome ?? 'other')}
                    {escalation.resolutionNote ? `: ${escalation.resolutionNote}` : ''}
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
        )}
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="acceptance-heading">
        <Title order={2} size="h4" id="acceptance-heading" mb="sm">
          Acceptances
        </Title>
        {acceptances === undefined ? (
          <Loader size="sm" role="status" aria-label="Loading the acceptances" />
        ) : acceptances.length === 0 ? (
          <Text size="sm" mb="xs">
            The residual risk has not been accepted.
          </Text>
        ) : (
          <List spacing="xs" size="sm">
            {acceptances.map((acceptance) => (
              <List.Item key={acceptance.id}>
                <Text size="sm">
                  Accepted <DateTime value={acceptance.acceptedAt} /> by {acceptance.acceptedByUsername} as {humanize(acceptance.authorityRole)}, band {acceptance.band} (likelihood {acceptance.likelihood} × impact{' '}
                  {acceptance.impact})
                </Text>
                <Text size="xs" c="dimmed">
                  {acceptance.rationale}
                  {acceptance.reviewDate && (
                    <>
                      {' · review by '}
                      <DateTime value={acceptance.reviewDate} />
                    </>
                  )}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
        {can('risks.accept') && !readOnly && escalations !== undefined && <AcceptanceForm risk={risk} roles={roles} openEscalation={openEscalation} onReload={onReloadRisk} />}
      </Paper>
    </SimpleGrid>
  );
}
