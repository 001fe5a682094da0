import type { ReactNode } from 'react';
import { Anchor, Button, Center, Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { navigation } from '../app/navigation';
import { ErrorAlert, isAddressError } from './error-alert';

/** The main screen whose address starts the current one, so that a record that is not found leads back to its list. */
function listScreenOf(pathname: string): { path: string; label: string } {
  const first = `/${pathname.split('/').filter(Boolean)[0] ?? ''}`;
  return navigation.find((screen) => screen.path === first) ?? navigation[0];
}

/**
 * Shows a loader until the query has data, then renders the children with it. A failed query shows
 * the error with the way out that fits it: a record that does not exist links back to its list, a
 * filter or sort in the address that the API rejects offers to clear the address, and any other
 * error offers to try again.
 */
export function QueryState<T>({ query, children, label }: { query: UseQueryResult<T>; children: (data: T) => ReactNode; label: string }) {
  const location = useLocation();
  const navigate = useNavigate();
  if (query.isPending) {
    return (
      <Center p="xl">
        <Loader role="status" aria-label={`Loading ${label}`} />
      </Center>
    );
  }
  if (query.isError) {
    const error = query.error;
    if (error instanceof ApiError && error.status === 404) {
      const list = listScreenOf(location.pathname);
      const back = (
        <Anchor component={Link} to={list.path} size="sm">
          {list.path === '/' ? 'Go to the dashboard' : `Back to ${list.label}`}
        </Anchor>
      );
      return <ErrorAlert error={error} action={back} />;
    }
    if (isAddressError(error)) {
      const clear = (
        <Button size="xs" variant="light" color="red" onClick={() => void navigate(location.pathname, { replace: true })}>
          Clear filters
        </Button>
      );
      return <ErrorAlert error={error} action={clear} />;
    }
    return <ErrorAlert error={error} onRetry={() => void query.refetch()} />;
  }
  return <>{children(query.data)}</>;
}
