import type { ReactNode } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { ApiError } from '../api/client';
import { isAddressDetail, plainFieldMessage, plainFieldName } from '../api/plain-words';

/** Plain words for the API's error codes; the API's own message follows, as it names the value and the fix. */
const titles: Record<string, string> = {
  VALIDATION_FAILED: 'Some values are not valid',
  NOT_FOUND: 'Not found',
  FORBIDDEN: 'Your role may not do this',
  UNAUTHENTICATED: 'Your session has ended; sign in again',
  CONFLICT: 'This conflicts with another record',
  PRECONDITION_FAILED: 'Someone else changed this record since you opened it',
  BODY_TOO_LARGE: 'The file or request is too large',
  NETWORK: 'No connection to the server',
};

/** True when every problem of the error lies in the address (its query string), so that clearing the address fixes it. */
export function isAddressError(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 400 && error.details.length > 0 && error.details.every((detail) => isAddressDetail(detail.path));
}

export function errorTitle(error: unknown): string {
  if (isAddressError(error)) return 'The address contains a filter or sort order that does not exist';
  if (error instanceof ApiError) return titles[error.code] ?? `The server rejected this request (${error.code})`;
  return 'Something went wrong';
}

/** The lines the alert shows: each detail in plain words with the value it concerns, or else the API's message. */
export function errorLines(error: unknown): string[] {
  if (error instanceof ApiError && error.details.length > 0) {
    return error.details.map((detail) => `${capitalize(plainFieldName(detail.path))}: ${plainFieldMessage(detail.message)}`);
  }
  return [error instanceof Error ? error.message : String(error)];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * An error from the API in plain words. `onRetry` adds "Try again", which fits only errors that
 * may pass on a second attempt; `action` takes any other way out, such as a link back to a list.
 */
export function ErrorAlert({ error, onRetry, action }: { error: unknown; onRetry?: () => void; action?: ReactNode }) {
  const lines = errorLines(error);
  return (
    <Alert color="red" title={errorTitle(error)} role="alert">
      {lines.length === 1 ? (
        <Text size="sm">{lines[0]}</Text>
      ) : (
        <ul>
          {lines.map((line) => (
            <li key={line}>
              <Text size="sm" span>
                {line}
              </Text>
            </li>
          ))}
        </ul>
      )}
      {(onRetry || action) && (
        <Group mt="xs">
          {onRetry && (
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          )}
          {action}
        </Group>
      )}
    </Alert>
  );
}
