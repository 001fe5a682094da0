import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { ApiError } from '../api/client';
import { useSignIn } from './session';

/** Username and password against POST /api/auth/sign-in; the server sets an httpOnly session cookie. */
export function SignInPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();
  const error = signIn.error instanceof ApiError ? signIn.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ username: username.trim(), password });
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380} maw="100%">
        <form onSubmit={submit} noValidate aria-labelledby="sign-in-title">
          <Stack>
            <div>
              <Title order={1} size="h2" id="sign-in-title">
                Sign in to custos
              </Title>
              <Text size="sm" c="dimmed">
                The AI management system for ISO/IEC 42001
              </Text>
            </div>
            {error && (
              <Alert color="red" title={error.status === 429 ? 'Too many attempts' : 'Sign-in failed'} role="alert">
                {error.message}
              </Alert>
            )}
            <TextInput
              label="Username"
              name="username"
              autoComplete="username"
              required
              autoFocus
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
              error={error?.fieldMessage('username')}
            />
            <PasswordInput
              label="Password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={error?.fieldMessage('password')}
            />
            <Button type="submit" loading={signIn.isPending} disabled={!username || !password}>
              Sign in
            </Button>
            <Text size="xs" c="dimmed">
              The first start prints the administrator&apos;s password in the console. Other accounts come from{' '}
              <code>custos user create</code>.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
