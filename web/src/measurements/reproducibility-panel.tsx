import { Code, Spoiler, Stack, Table, Text, Title } from '@mantine/core';
import { bytes, dateTime } from './format';
import type { MeasurementRun, RunListItem } from './measurement-api';

/** What someone needs to repeat the run: the policy with its fingerprint, the files with theirs, the model version, who ran it and when. */
export function ReproducibilityPanel({ run, names }: { run: MeasurementRun; names: RunListItem | undefined }) {
  return (
    <Stack gap="xs" data-testid="reproducibility">
      <Title order={2} size="h3">
        Reproducibility
      </Title>
      <Table verticalSpacing={2} variant="vertical" layout="fixed" maw={900} aria-label="How the run can be repeated">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={200}>Policy</Table.Th>
            <Table.Td>
              {run.policyName ? (
                <>
                  {run.policyName}
                  <Text size="xs" ff="monospace">
                    SHA-256 {run.policySha256}
                  </Text>
                </>
              ) : (
                'none: a measurement without a policy'
              )}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Model version</Table.Th>
            <Table.Td>{names?.modelVersionLabel ? `${names.modelName ?? ''} ${names.modelVersionLabel}`.trim() : run.modelVersionId ?? 'not named'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Run by</Table.Th>
            <Table.Td>{names?.runByName ?? run.runBy}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Started, finished</Table.Th>
            <Table.Td>
              {dateTime(run.startedAt)}, {dateTime(run.finishedAt)}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Recorded</Table.Th>
            <Table.Td>{dateTime(run.recordedAt)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Engine version</Table.Th>
            <Table.Td>custos {run.engineVersion}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Report</Table.Th>
            <Table.Td>
              <Text size="xs" ff="monospace">
                SHA-256 {run.resultSha256}
              </Text>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Table.ScrollContainer minWidth={700}>
        <Table striped verticalSpacing={2} aria-label="Data files of the run">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Role</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th ta="right">Rows</Table.Th>
              <Table.Th ta="right">Size</Table.Th>
              <Table.Th>SHA-256</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {run.files.map((file) => (
              <Table.Tr key={file.role}>
                <Table.Td>{file.role}</Table.Td>
                <Table.Td>
                  {file.fileName} ({file.format}){file.datasetVersionId ? ', a registered dataset version' : ''}
                </Table.Td>
                <Table.Td ta="right">{file.rowCount.toLocaleString('en')}</Table.Td>
                <Table.Td ta="right">{bytes(file.sizeBytes)}</Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {file.sha256}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {run.policyText && (
        <Spoiler maxHeight={120} showLabel="Show the whole policy" hideLabel="Show less">
          <Code block aria-label="Policy file">
            {run.policyText}
          </Code>
        </Spoiler>
      )}
    </Stack>
  );
}
