import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { Button, Group, Modal, Text } from '@mantine/core';

interface Props {
  dirty: boolean;
  what?: string;
  /**
   * Query-string parameters that the screen may change without losing the edit, because it
   * keeps the edit mounted or stores it outside the part that changes (filters, for example).
   */
  keptAcross?: readonly string[];
}

/**
 * Keeps unsaved edits from being lost: while `dirty`, a move to another address inside the app
 * (another screen, or another tab, drawer or version of this one) asks first, and closing or
 * reloading the tab makes the browser ask.
 */
export function UnsavedChangesGuard({ dirty, what = 'your changes', keptAcross = [] }: Props) {
  // Tabs, drawers and versions live in the query string, so a change there can unmount the edit too.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && (currentLocation.pathname !== nextLocation.pathname || !sameParams(currentLocation.search, nextLocation.search, keptAcross)),
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
        <Button color="red.9" onClick={() => blocker.proceed?.()}>
          Leave and discard
        </Button>
      </Group>
    </Modal>
  );
}

/** Compares two query strings, leaving out the parameters in `ignored`. */
function sameParams(left: string, right: string, ignored: readonly string[]): boolean {
  const normalize = (search: string) => {
    const params = new URLSearchParams(search);
    for (const name of ignored) params.delete(name);
    params.sort();
    return params.toString();
  };
  return normalize(left) === normalize(right);
}
