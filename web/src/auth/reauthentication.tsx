import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { api, ApiError, setReauthenticationHandler } from '../api/client';
import { rememberSession, sessionQueryKey, useSession, useSignOut, type SignedInUser } from './session';

/**
 * The request to sign in again: every API call that met an ended session waits on the same
 * promise, so one sign-in lets all of them go on.
 */
let waiting: { promise: Promise<boolean>; settle: (signedIn: boolean) => void } | null = null;
const listeners = new Set<() => void>();

function requestSignIn(): Promise<boolean> {
  if (!waiting) {
    let settle: (signedIn: boolean) => void = () => undefined;
    const promise = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    waiting = { promise, settle };
    for (const listener of listeners) listener();
  }
  return waiting.promise;
}

function finishSignIn(signedIn: boolean) {
  const current = waiting;
  waiting = null;
  current?.settle(signedIn);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while an API call waits for the user to sign in again. */
function useSignInRequested(): boolean {
  return useSyncExternalStore(subscribe, () => waiting !== null);
}

/**
 * Opens over the current screen when the session ends, so that the user types the password again
 * and carries on where they were. The requests that met the ended session (a save, for example)
 * are then sent again. Nothing on the screen is unmounted, so typed text stays.
 * Signing out instead gives up those requests and shows the sign-in page.
 */
export function ReauthenticationDialog() {
  const session = useSession();
  const queryClient = useQueryClient();
  const requested = useSignInRequested();
  const signOut = useSignOut();
  const [password, setPassword] = useState('');
  const username = session.user.username;

  useEffect(() => setReauthenticationHandler(requestSignIn), []);
  // Leaving the signed-in part of the app (signing out elsewhere) gives up whatever still waits.
  useEffect(() => () => finishSignIn(false), []);

  // A plain request rather than a mutation: the mutation cache signs the app out on any 401,
  // and a mistyped password here must leave the screen as it is.
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    try {
      const result = await api<{ user: SignedInUser; expiresAt: string }>('/auth/sign-in', { method: 'POST', body: { username, password } });
      rememberSession(result.expiresAt);
      setPassword('');
      setError(null);
      finishSignIn(true);
      await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'NETWORK', 'The sign-in request failed; check the connection to the custos server and try again'));
    } finally {
      setPending(false);
    }
  };

  const leave = () => {
    finishSignIn(false);
    signOut.mutate();
  };

  return (
    <Modal
      opened={requested}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title="Your session has ended"
      centered
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            Sign in again to carry on. What you typed stays on the screen, and the change you were saving is sent as soon as you are signed in.
          </Text>
          {error && (
            <Alert color="red" title={error.status === 429 ? 'Too many attempts' : 'Sign-in failed'} role="alert">
              {error.message}
            </Alert>
          )}
          <TextInput label="Username" name="username" autoComplete="username" value={username} readOnly />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            data-autofocus
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={error?.fieldMessage('password')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={leave} disabled={pending}>
              Sign out
            </Button>
            <Button type="submit" loading={pending} disabled={!password}>
              Sign in and continue
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
