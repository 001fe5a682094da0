import { useSyncExternalStore } from 'react';
import { ApiError, readResponse } from '../api/client';
import type { ChainVerification } from './audit-api';

/**
 * The running or last audit chain verification of this browser tab, kept in a module-level store
 * rather than in the audit trail screen, so that it goes on while the user works on other screens.
 * The request asks for application/x-ndjson, and the server streams {checked, total} lines before
 * the result, which gives a determinate progress bar.
 */

export type VerificationState =
  | { status: 'idle' }
  | { status: 'running'; checked: number; total: number | null; startedAt: number }
  | { status: 'done'; result: ChainVerification; finishedAt: number }
  | { status: 'failed'; error: ApiError };

type StreamLine =
  | { type: 'progress'; checked: number; total: number }
  | { type: 'result'; verification: ChainVerification }
  | { type: 'error'; error: { code: string; message: string } };

let state: VerificationState = { status: 'idle' };
const listeners = new Set<() => void>();

// Closing or reloading the tab ends the request, so the browser asks for a confirmation first.
window.addEventListener('beforeunload', (event) => {
  if (state.status === 'running') event.preventDefault();
});

function setState(next: VerificationState): void {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Returns the verification of this tab, re-rendering on every progress line. */
export function useVerification(): VerificationState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Percentage of the events checked, 0 to 100, or null while the server has not reported the total. */
export function verificationPercent(verification: Extract<VerificationState, { status: 'running' }>): number | null {
  if (verification.total === null) return null;
  if (verification.total === 0) return 100;
  return Math.min(100, Math.round((verification.checked / verification.total) * 100));
}

/** Starts a verification unless one is running; progress and the result arrive through useVerification. */
export function startVerification(): void {
  if (state.status === 'running') return;
  setState({ status: 'running', checked: 0, total: null, startedAt: Date.now() });
  runVerification().then(
    (result) => setState({ status: 'done', result, finishedAt: Date.now() }),
    (error: unknown) => setState({ status: 'failed', error: asApiError(error) }),
  );
}

/** Forgets a finished or failed verification, so the header indicator goes away. */
export function dismissVerification(): void {
  if (state.status !== 'running') setState({ status: 'idle' });
}

async function runVerification(): Promise<ChainVerification> {
  let response: Response;
  try {
    response = await fetch('/api/audit-events/verify', {
      method: 'POST',
      headers: { accept: 'application/x-ndjson', 'content-type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The custos server cannot be reached; check that it is running and verify the chain again');
  }
  // Errors before the stream starts (access, validation) come as the usual JSON error body.
  if (!response.ok || !response.headers.get('content-type')?.includes('application/x-ndjson') || !response.body) {
    return readResponse<ChainVerification>(response);
  }

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<string>;
    try {
      chunk = await reader.read();
    } catch {
      throw new ApiError(0, 'NETWORK', 'The connection to the custos server was lost during the verification; verify the chain again');
    }
    if (chunk.done) break;
    buffered += chunk.value;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const result = handleLine(buffered.slice(0, newline));
      if (result) return result;
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  throw new ApiError(0, 'NETWORK', 'The server ended the verification without a result; verify the chain again');
}

/** Applies one progress line; returns the verification when the line carries the result. */
function handleLine(text: string): ChainVerification | undefined {
  if (text.trim() === '') return undefined;
  const line = JSON.parse(text) as StreamLine;
  if (line.type === 'progress') {
    if (state.status === 'running') setState({ ...state, checked: line.checked, total: line.total });
    return undefined;
  }
  if (line.type === 'error') throw new ApiError(500, line.error.code, line.error.message);
  return line.verification;
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'UNEXPECTED', error instanceof Error ? error.message : String(error));
}
