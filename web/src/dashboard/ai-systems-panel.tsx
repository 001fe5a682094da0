import { Anchor, SimpleGrid, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { humanize } from '../components/badges';
import { ToneBadge } from '../components/badges';
import { CountBar } from './count-bar';
import type { DashboardSummary } from './dashboard-types';
import { Panel } from './panel';

/** AI systems by lifecycle stage and by EU AI Act tier, each count linking to the register with that filter. */
export function AiSystemsPanel({ aiSystems }: { aiSystems: DashboardSummary['aiSystems'] }) {
  const largestStage = Math.max(...aiSystems.byLifecycleStage.map((entry) => entry.count));
  const largestTier = Math.max(...aiSystems.byTier.map((entry) => entry.count));
  return (
    <Panel title="AI systems" link={{ to: '/ai-systems', label: `All ${aiSystems.total} in the register` }} testId="panel-ai-systems">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Table verticalSpacing={4} aria-label="AI systems by lifecycle stage">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Lifecycle stage</Table.Th>
              <Table.Th ta="right">Systems</Table.Th>
              <Table.Th w="40%">
                <VisuallyHidden>Share</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {aiSystems.byLifecycleStage.map(({ stage, count }) => (
              <Table.Tr key={stage}>
                <Table.Td>{humanize(stage)}</Table.Td>
                <Table.Td ta="right">
                  <Anchor component={Link} to={`/ai-systems?lifecycleStage=${stage}`} aria-label={`${count} AI systems at stage ${humanize(stage)}`} data-testid={`stage-${stage}`}>
                    {count}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <CountBar value={count} max={largestStage} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>

        <div>
          <Table verticalSpacing={4} aria-label="AI systems by EU AI Act tier">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>EU AI Act tier</Table.Th>
                <Table.Th ta="right">Systems</Table.Th>
                <Table.Th w="40%">
                  <VisuallyHidden>Share</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {aiSystems.byTier.map(({ tier, count }) => (
                <Table.Tr key={tier ?? 'none'}>
                  <Table.Td>
                    <ToneBadge value={tier ?? 'none'} label={tier ?? 'not classified'} />
                  </Table.Td>
                  <Table.Td ta="right">
                    {tier === null ? (
                      <Text span size="sm" data-testid="tier-none">
                        {count}
                      </Text>
                    ) : (
                      <Anchor component={Link} to={`/ai-systems?classificationTier=${tier}`} aria-label={`${count} AI systems classified ${tier}`} data-testid={`tier-${tier}`}>
                        {count}
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <CountBar value={count} max={largestTier} color={tier === 'prohibited' || tier === 'high-risk' ? 'red.7' : 'indigo.6'} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" mt="xs">
            Stale classifications:{' '}
            <Anchor component={Link} to="/ai-systems?classificationStale=true" data-testid="stale-classifications">
              {aiSystems.staleClassifications}
            </Anchor>
          </Text>
        </div>
      </SimpleGrid>
    </Panel>
  );
}
