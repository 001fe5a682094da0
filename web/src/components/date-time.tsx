import { formatDate, formatDateTime } from './format';

interface Props {
  /** An ISO timestamp or a YYYY-MM-DD date from the API. */
  value: string | null | undefined;
  /** Shows the time of day too ("4 Dec 2026, 14:05"); a YYYY-MM-DD value still shows only the day. */
  withTime?: boolean;
  /** The text for a missing value. */
  fallback?: string;
}

/** Renders a date in the app's one style, with the exact value from the API in the tooltip and the dateTime attribute. */
export function DateTime({ value, withTime = false, fallback = '' }: Props) {
  if (!value) return <>{fallback}</>;
  return (
    <time dateTime={value} title={value}>
      {withTime ? formatDateTime(value) : formatDate(value)}
    </time>
  );
}
