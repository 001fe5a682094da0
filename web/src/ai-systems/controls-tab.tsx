import { Alert, Anchor, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import { humanize } from '../components/badges';
import { ToneBadge } from '../components/badges';
import { QueryState } from '../components/query-state';
import type { AiSystem } from './ai-systems-api';

interface AiSystemControls {
  soaVersion: { id: string; number: number; status: string } | null;
  controls: {
    controlRef: string;
    controlId: string;
    title: string;
    inSoa: boolean;
    decision: string | null;
    implementationStatus: string | null;
    ownerName: string | null;
    evidenceCount: number;
    treatments: { riskId: string; riskTitle: string; treatmentId: string; description: string; status: string }[];
  }[];
}

/** Lists the controls that carry out treatments of this system's risks, as the Statement of Applicability records them. */
export function ControlsTab({ system }: { system: AiSystem }) {
  const controls = useQuery({
    queryKey: ['ai-system', system.id, 'controls'],
    queryFn: () => api<AiSystemControls>(`/ai-systems/${encodeURIComponent(system.id)}/controls`),
  });

  return (
    <QueryState query={controls} label="controls">
      {(data) => (
        <>
          <Text size="sm" mb="sm">
            A control belongs to this AI system when a treatment of one of its risks carries it out.{' '}
            {data.soaVersion
              ? `Applicability, status and owner come from the Statement of Applicability, version ${data.soaVersion.number} (${data.soaVersion.status}).`
              : 'There is no Statement of Applicability yet, so applicability and status are not known.'}{' '}
            <Anchor component={Link} to="/soa" size="sm">
              Open the Statement of Applicability
            </Anchor>
          </Text>
          {data.controls.length === 0 ? (
            <Alert color="gray" title="No controls linked">
              <Text size="sm">No treatment of this system's risks names a control yet. Add controls to the treatments in the risk register to link them here.</Text>
            </Alert>
          ) : (
            <Table.ScrollContainer minWidth={720}>
              <Table striped verticalSpacing={6}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Control</Table.Th>
                    <Table.Th scope="col">Applicability</Table.Th>
                    <Table.Th scope="col">Implementation</Table.Th>
                    <Table.Th scope="col">Owner</Table.Th>
                    <Table.Th scope="col">Evidence</Table.Th>
                    <Table.Th scope="col">Treatments of this system's risks</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.controls.map((control) => (
                    <Table.Tr key={control.controlRef}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {control.controlId}
                        </Text>
                        <Text size="sm">{control.title}</Text>
                      </Table.Td>
                      <Table.Td>{control.inSoa && control.decision ? <ToneBadge value={control.decision} /> : <Text span size="sm" c="dimmed">not in the SoA</Text>}</Table.Td>
                      <Table.Td>{control.implementationStatus ? <ToneBadge value={control.implementationStatus} /> : '—'}</Table.Td>
                      <Table.Td>{control.ownerName ?? '—'}</Table.Td>
                      <Table.Td>{control.evidenceCount}</Table.Td>
                      <Table.Td>
                        {control.treatments.map((treatment) => (
                          <Text size="xs" key={treatment.treatmentId}>
                            <Anchor component={Link} to={`/risks/${treatment.riskId}`} size="xs">
                              {treatment.riskTitle}
                            </Anchor>
                            : {treatment.description} ({humanize(treatment.status)})
                          </Text>
                        ))}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
    </QueryState>
  );
}
