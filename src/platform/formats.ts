import { FormatRegistry } from '@sinclair/typebox';

/**
 * String formats that custos's schemas use. The same checks run in TypeBox's checker (services,
 * the CLI, the importer) and in Fastify's Ajv at the HTTP edge, so both accept the same values.
 */
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const date = /^\d{4}-\d{2}-\d{2}$/;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Accepts absolute http and https URLs with a host. Other schemes (javascript:, file:, data:)
 * are rejected because the web app shows these values as links.
 */
function isWebUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname.length > 0;
  } catch {
    return false;
  }
}

export const formatChecks: Record<string, (value: string) => boolean> = {
  'date-time': (value) => dateTime.test(value) && !Number.isNaN(Date.parse(value)),
  date: (value) => date.test(value) && !Number.isNaN(Date.parse(value)),
  uri: isWebUrl,
  email: (value) => email.test(value),
};

/** The description of each format in error messages. */
export const formatDescriptions: Record<string, string> = {
  'date-time': 'must be an ISO 8601 date and time with a time zone (2026-05-13T09:30:00Z)',
  date: 'must be a date as YYYY-MM-DD',
  uri: 'must be an absolute http or https URL',
  email: 'must be an email address',
};

for (const [name, check] of Object.entries(formatChecks)) {
  FormatRegistry.Set(name, check);
}
