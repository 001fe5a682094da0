import { FormatRegistry } from '@sinclair/typebox';
import { fullFormats } from 'ajv-formats/dist/formats.js';

/**
 * String formats that custos's schemas use. The same checks run in TypeBox's checker (services,
 * the CLI, the importer) and in Fastify's Ajv at the HTTP edge, so both accept the same values.
 * Each starts from ajv-formats' full check, which Fastify's response serializer also applies: a
 * value accepted here then always serializes, where a looser check (Date.parse takes 30 February)
 * let a stored record break every list that contained it.
 */
type FormatDefinition = RegExp | ((value: string) => boolean) | { validate: RegExp | ((value: string) => boolean) };

function ajvCheck(name: 'date' | 'date-time' | 'uri' | 'email'): (value: string) => boolean {
  const definition = fullFormats[name] as FormatDefinition;
  const validate = definition instanceof RegExp || typeof definition === 'function' ? definition : definition.validate;
  return validate instanceof RegExp ? (value) => validate.test(value) : validate;
}

const isDate = ajvCheck('date');
const isDateTime = ajvCheck('date-time');
const isUri = ajvCheck('uri');
const isEmail = ajvCheck('email');

/**
 * Accepts absolute http and https URLs with a host. Other schemes (javascript:, file:, data:)
 * are rejected because the web app shows these values as links.
 */
function isWebUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || !isUri(value)) return false;
  try {
    return new URL(value).hostname.length > 0;
  } catch {
    return false;
  }
}

export const formatChecks: Record<string, (value: string) => boolean> = {
  // ajv-formats accepts a date-time without a time zone; custos stores instants, so it needs one.
  'date-time': (value) => isDateTime(value) && /(Z|[+-]\d{2}:\d{2})$/i.test(value),
  date: isDate,
  uri: isWebUrl,
  email: isEmail,
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
