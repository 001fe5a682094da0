import { Suspense, useRef, type MouseEvent } from 'react';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { AppShell, Badge, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { ReauthenticationDialog } from '../auth/reauthentication';
import { useReadOnly, useSession, useSignOut } from '../auth/session';
import { navigation } from './navigation';
import { useFocusOnScreenChange } from './screen-focus';
import { UploadsIndicator } from '../evidence/uploads-indicator';
import { VerifyIndicator } from '../audit-trail/verify-indicator';

/** The frame of every signed-in screen: header with the user, navigation, and the screen itself. */
export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSession();
  const readOnly = useReadOnly();
  const signOut = useSignOut();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  useFocusOnScreenChange(main);

  // The link moves focus itself: following "#main-content" would put a hash in the address,
  // which the router would treat as a move.
  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    main.current?.focus();
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main-content" className="skip-link" onClick={skipToMain}>
        Skip to main content
      </a>
      <ReauthenticationDialog />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
            <Title order={2} size="h4">
              custos
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="md">
              AI management system
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <UploadsIndicator />
            <VerifyIndicator />
            {readOnly && (
              <Badge color="gray" variant="outline">
                read-only
              </Badge>
            )}
            <Text size="sm" visibleFrom="sm" data-testid="signed-in-user">
              {session.user.displayName || session.user.username} · {session.actingRoles.map((role) => role.replace(/_/g, ' ')).join(', ')}
            </Text>
            <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {navigation.map((item) => (
          <NavLink
            key={item.path}
            component={RouterLink}
            to={item.path}
            label={item.label}
            description={item.description}
            active={item.path === '/' ? location.pathname === '/' : location.pathname.startsWith(item.path)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main id="main-content" tabIndex={-1} ref={main}>
        <Suspense
          fallback={
            <Center p="xl">
              <Loader role="status" aria-label="Loading the screen" />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
