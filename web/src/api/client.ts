/**
 * The one way the web app talks to the server: the public JSON API under /api, with the
 * session cookie. Every failure becomes an ApiError that carries the API's code, message and
 * per-field details, so screens can show them in plain words next to the field concerned.
 */

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for one field, matched on the last segment of the API's path (`/justification` or `body/justification`). */
  fieldMessage(field: string): string | undefined {
    return this.details.find((detail) => detail.path.split(/[/.]/).filter(Boolean).at(-1) === field)?.message;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** The version the change is based on, sent as If-Match so that the API refuses a stale edit with 412. */
  ifMatch?: string | number;
  signal?: AbortSignal;
}

export type Query = Record<string, string | number | boolean | undefined | null | readonly (string | number)[]>;

/** Builds `/api/…?a=1&b=x` leaving out empty values; arrays repeat the key. */
export function apiPath(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return `/api${path}${text ? `?${text}` : ''}`;
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.ifMatch !== undefined) headers['if-match'] = quoteVersion(options.ifMatch);

  let response: Response;
  try {
    response = await fetch(path.startsWith('/api') ? path : `/api${path}`, {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'The custos server cannot be reached; check that it is running and try again');
  }
  return readResponse<T>(response);
}

export async function readResponse<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `The server answered ${response.status} ${response.statusText}`,
      error?.details ?? [],
    );
  }
  return parsed as T;
}

/** The API's ETags are quoted versions; a number becomes `"7"`. */
function quoteVersion(version: string | number): string {
  const text = String(version);
  return text.startsWith('"') || text.startsWith('W/') ? text : `"${text}"`;
}

/** A page of records as every list endpoint returns it. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
