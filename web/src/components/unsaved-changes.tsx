import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { Button, Group, Modal, Text } from '@mantine/core';

/**
 * Keeps unsaved edits from being lost: while `dirty`, a move to another address inside the app
 * (another screen, or another tab, drawer or version of this one) asks first, and closing or
 * reloading the tab makes the browser ask.
 */
export function UnsavedChangesGuard({ dirty, what = 'your changes' }: { dirty: boolean; what?: string }) {
  // Tabs, drawers and versions live in the query string, so a change there can unmount the edit too.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  return (
    <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title="Leave without saving?" centered>
      <Text size="sm">You have not saved {what}. If you leave this screen now, they are lost.</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
          Stay and keep editing
        </Button>
        <Button color="red" onClick={() => blocker.proceed?.()}>
          Leave and discard
        </Button>
      </Group>
    </Modal>
  );
}
