import { ActionIcon, Button, Group } from '@mantine/core';
import { Link } from 'react-router';
import { dismissVerification, useVerification, verificationPercent } from './verify-store';

/**
 * A small button for the app header while an audit chain verification runs, and after it ends
 * until dismissed, so that a user who left the audit trail can follow it and open its result.
 */
export function VerifyIndicator() {
  const verification = useVerification();
  if (verification.status === 'idle') return null;

  if (verification.status === 'running') {
    const percent = verificationPercent(verification);
    return (
      <Button component={Link} to="/audit-trail" size="xs" variant="light" data-testid="verify-indicator">
        Verifying chain{percent === null ? '…' : `: ${percent} %`}
      </Button>
    );
  }

  let label = 'Chain verification failed';
  let colour = 'red';
  if (verification.status === 'done') {
    label = verification.result.ok ? 'Audit chain intact' : `Audit chain broken at event ${verification.result.failure?.seq ?? '?'}`;
    colour = verification.result.ok ? 'teal' : 'red';
  }
  return (
    <Group gap={2} wrap="nowrap">
      <Button component={Link} to="/audit-trail" size="xs" variant="default" c={colour === 'red' ? 'red.9' : 'teal.9'} data-testid="verify-indicator">
        {label}
      </Button>
      <ActionIcon variant="subtle" color="gray" size="sm" onClick={dismissVerification} aria-label="Dismiss the verification result">
        ×
      </ActionIcon>
    </Group>
  );
}
