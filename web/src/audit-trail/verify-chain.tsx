import { Alert, Button, Code, Group, Progress, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../components/error-alert';
import type { ChainVerification } from './audit-api';
import { startVerification, useVerification, verificationPercent } from './verify-store';

/** Meaning of each kind of break, in the terms of the verifier's classification. */
const breakKinds: Record<NonNullable<ChainVerification['failure']>['kind'], string> = {
  edited: 'The event was changed after it was written: its content no longer matches its hash, or it was re-hashed so the next event no longer links to it.',
  deleted: 'One or more events are missing before this one.',
  inserted: 'The event does not link to the event before it, but the next event links to it: it was inserted.',
  reordered: 'The event was moved: it hashes correctly under another sequence number, or links to an event that is not its predecessor.',
};

/**
 * Renders the "Verify chain" action. The server recomputes the SHA-256 chain over every event and
 * streams how many it has checked, so the bar is determinate. The verification lives in a store
 * outside this screen: the user may leave, follow it from the header, and find the result here.
 */
export function VerifyChain({ eventCount }: { eventCount: number | undefined }) {
  const verification = useVerification();
  const running = verification.status === 'running';

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button onClick={startVerification} loading={running}>
          Verify chain
        </Button>
        <Text size="sm" c="dimmed">
          Recomputes the hash of every event and checks that each links to the one before it.
        </Text>
      </Group>
      {running && <VerificationProgress checked={verification.checked} total={verification.total ?? eventCount ?? null} percent={verificationPercent(verification)} />}
      {verification.status === 'failed' && <ErrorAlert error={verification.error} onRetry={startVerification} />}
      {verification.status === 'done' && <VerificationResult result={verification.result} />}
    </Stack>
  );
}

function VerificationProgress({ checked, total, percent }: { checked: number; total: number | null; percent: number | null }) {
  const label = total === null ? 'Verifying every event…' : `Verified ${checked.toLocaleString()} of ${total.toLocaleString()} events`;
  return (
    <Stack gap={4} data-testid="verify-progress" data-determinate={percent !== null}>
      {percent === null ? (
        <Progress value={100} striped animated aria-label="Verifying the audit chain" />
      ) : (
        <Progress value={percent} aria-label={`Verifying the audit chain: ${percent} %`} />
      )}
      <Text size="sm" aria-live="polite">
        {label}
        {percent === null ? '' : ` (${percent} %)`}. You can use other screens meanwhile; the header shows the progress.
      </Text>
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
