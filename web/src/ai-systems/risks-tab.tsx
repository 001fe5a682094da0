import { useMemo } from 'react';
import { Alert, Anchor, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, apiPath, type Page } from '../api/client';
import { ToneBadge } from '../components/badges';
import { QueryState } from '../components/query-state';
import { usePersonNames } from '../people/person-names';
import type { AiSystem } from './ai-systems-api';

interface Rating {
  likelihood: number;
  impact: number;
  score: number;
  band: { key: string; label: string };
}

interface Risk {
  id: string;
  title: string;
  category: string;
  ownerPersonId: string;
  inherent: Rating | null;
  residual: Rating | null;
  status: string;
  beyondAppetite: boolean;
}

function RatingCell({ rating }: { rating: Rating | null }) {
  if (!rating) return <Text span c="dimmed" size="sm">not rated</Text>;
  return (
    <ToneBadge value={rating.band.key} label={`${rating.band.label} (${rating.likelihood}×${rating.impact})`} />
  );
}

/** Lists the risks of this AI system from the risk register, each linking to its detail. */
export function RisksTab({ system }: { system: AiSystem }) {
  const risks = useQuery({
    queryKey: ['ai-system', system.id, 'risks'],
    queryFn: () => api<Page<Risk>>(apiPath('/risks', { aiSystemId: system.id, limit: 500 })),
  });
  const ownerIds = useMemo(() => (risks.data?.items ?? []).map((risk) => risk.ownerPersonId), [risks.data]);
  const names = usePersonNames(ownerIds).data ?? new Map<string, string>();

  return (
    <QueryState query={risks} label="risks">
      {(page) =>
        page.items.length === 0 ? (
          <Alert color="gray" title="No risks">
            <Text size="sm">The risk register holds no risk of this AI system.</Text>
          </Alert>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing={6}>
              <Table.Caption>
                {page.total} risks of this AI system; ratings show band and likelihood × impact
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Risk</Table.Th>
                  <Table.Th scope="col">Category</Table.Th>
                  <Table.Th scope="col">Owner</Table.Th>
                  <Table.Th scope="col">Inherent</Table.Th>
                  <Table.Th scope="col">Residual</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((risk) => (
                  <Table.Tr key={risk.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/risks/${risk.id}`} size="sm">
                        {risk.title}
                      </Anchor>
                      {risk.beyondAppetite && (
                        <> <ToneBadge value="failed" label="beyond appetite" /></>
                      )}
                    </Table.Td>
                    <Table.Td>{risk.category}</Table.Td>
                    <Table.Td>{names.get(risk.ownerPersonId) ?? risk.ownerPersonId}</Table.Td>
                    <Table.Td>
                      <RatingCell rating={risk.inherent} />
                    </Table.Td>
                    <Table.Td>
                      <RatingCell rating={risk.residual} />
                    </Table.Td>
                    <Table.Td>
                      <ToneBadge value={risk.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      }
    </QueryState>
  );
}
