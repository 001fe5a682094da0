import { Alert, Button, Group, Text } from '@mantine/core';
import { ApiError } from '../api/client';

/** Plain words for the API's error codes; the API's own message follows, as it names the value and the fix. */
const titles: Record<string, string> = {
  VALIDATION_FAILED: 'Some values are not valid',
  NOT_FOUND: 'Not found',
  FORBIDDEN: 'Your role may not do this',
  UNAUTHENTICATED: 'Your session has ended; sign in again',
  CONFLICT: 'This conflicts with another record',
  PRECONDITION_FAILED: 'Someone else changed this record since you opened it',
  NETWORK: 'No connection to the server',
};

export function errorTitle(error: unknown): string {
  if (error instanceof ApiError) return titles[error.code] ?? `The server rejected this request (${error.code})`;
  return 'Something went wrong';
}

/** An error from the API in plain words, with a retry when the caller can offer one. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <Alert color="red" title={errorTitle(error)} role="alert">
      <Text size="sm">{message}</Text>
      {details.length > 1 && (
        <ul>
          {details.map((detail) => (
            <li key={`${detail.path}:${detail.message}`}>
              <Text size="sm" span ff="monospace">
                {detail.path}
              </Text>{' '}
              {detail.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <Group mt="xs">
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Alert>
  );
}
