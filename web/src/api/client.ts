/**
 * The one way the web app talks to the server: the public JSON API under /api, with the
 * session cookie. Every failure becomes an ApiError that carries the API's code, message and
 * per-field details, so screens can show them in plain words next to the field concerned.
 */

import { plainFieldMessage } from './plain-words';

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

  /**
   * The message for one field in plain words, matched on the last segment of the API's path
   * (`/justification` or `body/justification`).
   */
  fieldMessage(field: string): string | undefined {
    const detail = this.details.find((candidate) => lastSegment(candidate.path) === field);
    return detail && plainFieldMessage(detail.message);
  }

  /** True when the error has details and each names one of the fields, so that a form shows all of them next to its fields. */
  concernsOnly(fields: readonly string[]): boolean {
    return this.details.length > 0 && this.details.every((detail) => fields.includes(lastSegment(detail.path) ?? ''));
  }
}

function lastSegment(path: string): string | undefined {
  return path.split(/[/.]/).filter(Boolean).at(-1);
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

/**
 * Asks the user to sign in again after the session ended; resolves true once they have, false
 * when they chose to leave. Only the signed-in part of the app registers one.
 */
export type ReauthenticationHandler = () => Promise<boolean>;

let reauthenticate: ReauthenticationHandler | null = null;

/** Registers the handler for an ended session; returns the function that removes it again. */
export function setReauthenticationHandler(handler: ReauthenticationHandler): () => void {
  reauthenticate = handler;
  return () => {
    if (reauthenticate === handler) reauthenticate = null;
  };
}

/**
 * Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError. When the
 * session has ended (401), the request waits for the user to sign in again and is then sent
 * again, so that a save in progress is not lost. Signing in and out are never held.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  if (isSignInOrOut(path)) return send<T>(path, options);
  return retryAfterSignIn(() => send<T>(path, options), options.signal);
}

/**
 * Runs a request and, each time it fails because the session has ended (401), waits for the user
 * to sign in again and runs it again. Uploads with progress and file downloads bypass api(), so
 * they wrap themselves in it. `attempt` must start a new request on every call.
 */
export async function retryAfterSignIn<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isEndedSession(error) || !reauthenticate) throw error;
      if (!(await reauthenticate())) throw error;
      signal?.throwIfAborted();
    }
  }
}

function isSignInOrOut(path: string): boolean {
  return /^(\/api)?\/auth\/sign-(in|out)\b/.test(path);
}

function isEndedSession(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === 'UNAUTHENTICATED';
}

async function send<T>(path: string, options: RequestOptions): Promise<T> {
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
