import { Center } from '@mantine/core';
import { LoadingScreen } from './loading-screen';
import { SignInPage } from '../auth/sign-in-page';
import { SessionProvider, useSessionQuery } from '../auth/session';
import { ErrorAlert } from '../components/error-alert';
import { Layout } from './layout';

/** Shows the sign-in until the API knows the caller, then the app frame with the screen the URL names. */
export function SignedInRoot() {
  const session = useSessionQuery();
  if (session.isPending) return <LoadingScreen />;
  if (session.isError) {
    return (
      <Center mih="100vh" p="md">
        <ErrorAlert error={session.error} onRetry={() => void session.refetch()} />
      </Center>
    );
  }
  if (!session.data) return <SignInPage />;
  return (
    <SessionProvider session={session.data}>
      <Layout />
    </SessionProvider>
  );
}
