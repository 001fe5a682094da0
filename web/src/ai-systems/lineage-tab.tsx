import { Alert, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { QueryState } from '../components/query-state';
import { ToneBadge } from '../components/badges';
import type { AiSystem } from './ai-systems-api';

interface Component {
  name: string;
  vendor: string;
  licence: string;
}

interface DatasetUse {
  dataset: { id: string; name: string; containsPersonalData: boolean };
  datasetVersion: { id: string; versionLabel: string; sha256: string; sizeBytes: number };
  thirdPartyComponent: Component | null;
}

interface ModelVersionLineage {
  model: { id: string; name: string; description: string };
  modelVersion: { id: string; versionLabel: string; description: string };
  thirdPartyComponent: Component | null;
  data: { training: DatasetUse[]; validation: DatasetUse[]; test: DatasetUse[] };
}

interface Lineage {
  environments: { environment: string; modelVersions: ModelVersionLineage[] }[];
}

const uses = ['training', 'validation', 'test'] as const;

/** Shows what runs in each environment: model versions, the data they were built and tested on, and where they come from. */
export function LineageTab({ system }: { system: AiSystem }) {
  const lineage = useQuery({
    queryKey: ['ai-system', system.id, 'lineage'],
    queryFn: () => api<Lineage>(`/ai-systems/${encodeURIComponent(system.id)}/lineage`),
  });

  return (
    <QueryState query={lineage} label="models and datasets">
      {(data) => {
        const deployed = data.environments.filter((environment) => environment.modelVersions.length > 0);
        if (deployed.length === 0) {
          return (
            <Alert color="gray" title="No model version recorded">
              <Text size="sm">No model version is recorded as running in this AI system.</Text>
            </Alert>
          );
        }
        return (
          <Stack gap="md">
            {deployed.map((environment) => (
              <section key={environment.environment} aria-label={`${environment.environment} environment`}>
                <Title order={2} size="h4" mb="xs">
                  {environment.environment.replace(/^./, (first) => first.toUpperCase())}
                </Title>
                {environment.modelVersions.map((lineageItem) => (
                  <ModelVersionCard key={lineageItem.modelVersion.id} lineage={lineageItem} />
                ))}
              </section>
            ))}
          </Stack>
        );
      }}
    </QueryState>
  );
}

function ModelVersionCard({ lineage }: { lineage: ModelVersionLineage }) {
  const datasets = uses.flatMap((use) => lineage.data[use].map((item) => ({ use, item })));
  return (
    <Paper withBorder p="md" mb="sm">
      <Group gap="sm" wrap="wrap">
        <Title order={3} size="h5">
          {lineage.model.name}, version {lineage.modelVersion.versionLabel}
        </Title>
        {lineage.thirdPartyComponent && (
          <ToneBadge
            value="third-party"
            label={`third party: ${lineage.thirdPartyComponent.vendor} ${lineage.thirdPartyComponent.name}, licence ${lineage.thirdPartyComponent.licence}`}
          />
        )}
      </Group>
      <Text size="sm" mt={4}>
        {lineage.modelVersion.description || lineage.model.description}
      </Text>
      {datasets.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          No training, validation or test data recorded for this version.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640} mt="xs">
          <Table verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Used for</Table.Th>
                <Table.Th scope="col">Dataset</Table.Th>
                <Table.Th scope="col">Version</Table.Th>
                <Table.Th scope="col">SHA-256</Table.Th>
                <Table.Th scope="col">Personal data</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {datasets.map(({ use, item }) => (
                <Table.Tr key={`${use}:${item.datasetVersion.id}`}>
                  <Table.Td>{use}</Table.Td>
                  <Table.Td>{item.dataset.name}</Table.Td>
                  <Table.Td>{item.datasetVersion.versionLabel}</Table.Td>
                  <Table.Td>
                    <Code title={item.datasetVersion.sha256}>{item.datasetVersion.sha256.slice(0, 16)}…</Code>
                  </Table.Td>
                  <Table.Td>{item.dataset.containsPersonalData ? 'yes' : 'no'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
