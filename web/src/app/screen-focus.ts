import { useEffect, useRef, type RefObject } from 'react';
import { useMatches } from 'react-router';

/** How long to wait for the new screen's heading, which some screens render only after their data arrive. */
const headingWaitMs = 5_000;

/**
 * Identifies the screen the address shows: the matched route and its record id. A tab of the AI
 * system page (`:tab`) and the query string (filters, drawers) stay inside one screen.
 */
function useScreenKey(): string {
  const match = useMatches().at(-1);
  if (!match) return '';
  const params = Object.entries(match.params).filter(([name]) => name !== 'tab' && name !== '*');
  return `${match.id}:${params.map(([name, value]) => `${name}=${value ?? ''}`).join('&')}`;
}

/**
 * Moves keyboard focus to the h1 of the screen after a move to another screen, so that a
 * keyboard or screen reader user starts there instead of at the top of the page. The first
 * screen after a load keeps the browser's own focus. Focus that the new screen already placed
 * inside `main` (an autofocused field, for example), or that the user moved while the screen was
 * loading, is left alone.
 */
export function useFocusOnScreenChange(main: RefObject<HTMLElement | null>): void {
  const screenKey = useScreenKey();
  const previous = useRef(screenKey);

  useEffect(() => {
    if (previous.current === screenKey) return;
    previous.current = screenKey;
    const container = main.current;
    if (!container) return;
    const focusedAtMove = document.activeElement;

    const focusHeading = (): boolean => {
      const focused = document.activeElement;
      if (focused instanceof HTMLElement && focused !== document.body && (container.contains(focused) || focused !== focusedAtMove)) return true;
      const heading = container.querySelector('h1');
      if (!(heading instanceof HTMLElement)) return false;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
      return true;
    };
    if (focusHeading()) return;

    // The screen's code or data may still be loading, so wait for its heading to appear.
    const observer = new MutationObserver(() => {
      if (focusHeading()) stop();
    });
    const timer = window.setTimeout(() => stop(), headingWaitMs);
    const stop = () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
    observer.observe(container, { childList: true, subtree: true });
    return stop;
  }, [screenKey, main]);
}
