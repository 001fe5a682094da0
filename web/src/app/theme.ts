import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * Dense enough for a working day in tables; focus rings always visible for keyboard users.
 * Dimmed text is darkened so that small grey text still meets WCAG AA contrast.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  focusRing: 'always',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
