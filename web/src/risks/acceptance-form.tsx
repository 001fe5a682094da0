import { useState } from 'react';
import { Button, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api, ApiError } from '../api/client';
import { humanize } from '../components/badges';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { fieldError, hasOtherErrors } from './field-errors';
import type { AcceptanceAuthorities, Escalation, Risk } from './risk-types';

const acceptanceFields = ['rationale', 'reviewDate'];

function listRoles(roles: readonly string[]): string {
  const names = roles.map(humanize);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * Returns the reason the caller cannot accept the risk's residual rating under the rules the API
 * applies, or null when the form may be offered. The API still checks every acceptance.
 */
export function acceptanceBlocker(risk: Risk, authorities: AcceptanceAuthorities, roles: readonly string[], openEscalation: Escalation | undefined): string | null {
  const residual = risk.residual;
  if (risk.status === 'closed') return 'The risk is closed, so it cannot be accepted. Set another status first.';
  if (!residual) return 'The residual risk is not rated yet. Rate the risk left after treatment before it can be accepted.';
  if (!residual.onActiveMatrix) return `The residual rating was made on matrix version ${residual.matrixNumber}, which has been replaced. Rate the residual risk again before accepting it.`;

  const band = residual.band;
  const covering = authorities.authorities.filter((entry) => entry.maxBandOrder >= band.order).map((entry) => entry.role);
  const mine = authorities.authorities.filter((entry) => roles.includes(entry.role) && entry.maxBandOrder >= band.order);
  if (mine.length === 0) {
    const needed = covering.length > 0 ? `needs the role ${listRoles(covering)}` : 'needs a role with authority for that band, and no role has it. Treat the risk further or extend the acceptance authority table';
    return `Accepting residual risk in band ${band.label} ${needed}. Your roles (${listRoles(roles) || 'none'}) do not reach it.`;
  }
  if (openEscalation && !roles.includes(openEscalation.escalateToRole)) {
    return `The risk is escalated to the role ${humanize(openEscalation.escalateToRole)}, so only a holder of that role may accept it.`;
  }
  return null;
}

interface Props {
  risk: Risk;
  roles: readonly string[];
  openEscalation: Escalation | undefined;
  onReload: () => Promise<unknown>;
}

/**
 * Accepts the residual risk with a rationale and an optional review date, sent with If-Match on
 * the risk's version. A 412 keeps what was typed and offers to reload. Other API errors show next
 * to their field or above the form.
 */
export function AcceptanceForm({ risk, roles, openEscalation, onReload }: Props) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [rationale, setRationale] = useState('');
  const [reviewDate, setReviewDate] = useState('');
  const authorities = useQuery({ queryKey: ['risk-acceptance-authorities'], queryFn: () => api<AcceptanceAuthorities>('/risks/acceptance-authorities'), staleTime: 60_000 });

  const accept = useMutation({
    // The rationale goes as typed, blank included, so that the API names the missing value at its path.
    mutationFn: () => api<{ risk: Risk }>(`/risks/${risk.id}/acceptances`, { method: 'POST', body: { rationale, ...(reviewDate ? { reviewDate } : {}) }, ifMatch: risk.version }),
    onSuccess: (accepted) => {
      queryClient.setQueryData(['risk', risk.id], accepted.risk);
      for (const key of [['risk-acceptances', risk.id], ['risk-escalations', risk.id], ['risk-audit', risk.id], ['risks'], ['risk-heatmap']]) {
        void queryClient.invalidateQueries({ queryKey: key });
      }
      notifications.show({ color: 'teal', closeButtonProps: { 'aria-label': 'Close the message' }, message: `Accepted the residual risk of "${accepted.risk.title}"` });
      setRationale('');
      setReviewDate('');
      setOpen(false);
    },
  });

  if (risk.status === 'accepted') return null;
  if (authorities.isError) return <ErrorAlert error={authorities.error} onRetry={() => void authorities.refetch()} />;
  if (!authorities.data) return null;
  const blocker = acceptanceBlocker(risk, authorities.data, roles, openEscalation);
  if (blocker) {
    return (
      <Text size="sm" c="dimmed" data-testid="acceptance-blocker">
        {blocker}
      </Text>
    );
  }
  if (!open) {
    return (
      <Group>
        <Button size="xs" variant="light" onClick={() => setOpen(true)}>
          Accept the residual risk
        </Button>
      </Group>
    );
  }

  const error = accept.error;
  const conflict = error instanceof ApiError && error.status === 412;
  const dirty = rationale !== '' || reviewDate !== '';

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        accept.mutate();
      }}
      aria-labelledby="accept-risk-heading"
    >
      <UnsavedChangesGuard dirty={dirty} what="the acceptance" />
      <Stack gap="sm" mt="sm">
        <Title order={3} size="h5" id="accept-risk-heading">
          Accept the residual risk ({risk.residual?.band.label})
        </Title>
        {conflict && (
          <ConflictAlert
            onReload={() => {
              accept.reset();
              void onReload();
            }}
          />
        )}
        {!conflict && error && hasOtherErrors(error, acceptanceFields) && <ErrorAlert error={error} />}
        <Textarea
          label="Rationale"
          description="Why the residual risk is acceptable. The audit trail keeps it with the acceptance."
          withAsterisk
          autosize
          minRows={2}
          value={rationale}
          onChange={(event) => setRationale(event.currentTarget.value)}
          error={fieldError(error, 'rationale')}
        />
        <TextInput label="Review date" description="Optional day to review the acceptance" type="date" value={reviewDate} onChange={(event) => setReviewDate(event.currentTarget.value)} error={fieldError(error, 'reviewDate')} />
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => {
              setOpen(false);
              setRationale('');
              setReviewDate('');
              accept.reset();
            }}
          >
            Cancel
          </Button>
          <Button type="submit" loading={accept.isPending}>
            Accept the risk
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
