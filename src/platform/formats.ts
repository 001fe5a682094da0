import { FormatRegistry } from '@sinclair/typebox';

/**
 * String formats that custos's schemas use, for TypeBox's checker (the CLI and services).
 * Fastify's Ajv checks the same formats with ajv-formats at the HTTP edge.
 */
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const date = /^\d{4}-\d{2}-\d{2}$/;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isUri(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol.length > 1;
  } catch {
    return false;
  }
}

function registerFormats(): void {
  FormatRegistry.Set('date-time', (value) => dateTime.test(value) && !Number.isNaN(Date.parse(value)));
  FormatRegistry.Set('date', (value) => date.test(value) && !Number.isNaN(Date.parse(value)));
  FormatRegistry.Set('uri', isUri);
  FormatRegistry.Set('email', (value) => email.test(value));
}

registerFormats();
