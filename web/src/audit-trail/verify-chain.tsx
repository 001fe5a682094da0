import { Alert, Button, Code, Group, Progress, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import { ErrorAlert } from '../components/error-alert';
import type { ChainVerification } from './audit-api';

/** Meaning of each kind of break, in the terms of the verifier's classification. */
const breakKinds: Record<NonNullable<ChainVerification['failure']>['kind'], string> = {
  edited: 'The event was changed after it was written: its content no longer matches its hash, or it was re-hashed so the next event no longer links to it.',
  deleted: 'One or more events are missing before this one.',
  inserted: 'The event does not link to the event before it, but the next event links to it: it was inserted.',
  reordered: 'The event was moved: it hashes correctly under another sequence number, or links to an event that is not its predecessor.',
};

/**
 * Renders the "Verify chain" action. The server recomputes the SHA-256 chain over every event, and
 * the result is shown in plain words. The server reports no progress while it runs, so the bar is
 * indeterminate and states how many events it checks.
 */
export function VerifyChain({ eventCount }: { eventCount: number | undefined }) {
  const verify = useMutation({ mutationFn: () => api<ChainVerification>('/audit-events/verify', { method: 'POST', body: {} }) });

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button onClick={() => verify.mutate()} loading={verify.isPending}>
          Verify chain
        </Button>
        <Text size="sm" c="dimmed">
          Recomputes the hash of every event and checks that each links to the one before it.
        </Text>
      </Group>
      {verify.isPending && (
        <Stack gap={4} data-testid="verify-progress">
          <Progress value={100} striped animated aria-label="Verifying the audit chain" />
          <Text size="sm" aria-live="polite">
            Verifying {eventCount !== undefined ? `${eventCount.toLocaleString()} events` : 'every event'}…
          </Text>
        </Stack>
      )}
      {verify.isError && <ErrorAlert error={verify.error} onRetry={() => verify.mutate()} />}
      {verify.data && <VerificationResult result={verify.data} />}
    </Stack>
  );
}

function VerificationResult({ result }: { result: ChainVerification }) {
  if (result.ok) {
    return (
      // The title is in the body text colour, as teal on the light teal background stays below 4.5:1 contrast.
      <Alert color="teal" title="The audit chain is intact" data-testid="verify-result" role="status" styles={{ title: { color: 'var(--mantine-color-text)' } }}>
        <Text size="sm">
          All {result.eventsChecked.toLocaleString()} events were checked: each matches its hash and links to the event before it.
        </Text>
        <Text size="sm" mt={4}>
          The last event is number {result.headSeq} with hash <Code style={{ wordBreak: 'break-all' }}>{result.headHash}</Code>. Keep this number and hash outside
          custos: a later check against them also detects deleted newest events, which the chain alone cannot show.
        </Text>
      </Alert>
    );
  }
  const failure = result.failure!;
  return (
    <Alert color="red" title={`The audit chain is broken at event ${failure.seq}`} data-testid="verify-result" role="alert">
      <Text size="sm">{failure.message}</Text>
      <Text size="sm" mt={4}>
        {breakKinds[failure.kind]} The {result.eventsChecked.toLocaleString()} events before it are intact.
      </Text>
    </Alert>
  );
}
