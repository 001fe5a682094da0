import { useSyncExternalStore } from 'react';
import { api, ApiError, readResponse, retryAfterSignIn } from '../api/client';
import { queryClient } from '../app/query-client';
import type { Evidence, LinkTargetType } from './evidence-api';

/**
 * Uploads of evidence files, kept in a module-level store rather than in a screen, so that an
 * upload goes on while the user works on other screens of the app. XMLHttpRequest is used
 * because fetch does not report the progress of a request body. Each task keeps what was sent,
 * so a failed upload can be corrected and sent again without typing it anew.
 */

/** The metadata form fields of POST /api/evidence; empty optional fields are left out. */
export interface EvidenceMetadata {
  title: string;
  kind: string;
  description: string;
  validUntil: string;
  confidentiality: string;
}

export interface FirstLink {
  targetType: LinkTargetType;
  targetId: string;
}

export type UploadRequest =
  | { action: 'create'; file: File; metadata: EvidenceMetadata; link: FirstLink | null }
  | { action: 'replace'; file: File; evidenceId: string; evidenceTitle: string; version: number };

export type UploadState = 'uploading' | 'storing' | 'linking' | 'done' | 'failed' | 'cancelled';

export interface UploadTask {
  readonly id: number;
  readonly request: UploadRequest;
  readonly state: UploadState;
  readonly sentBytes: number;
  readonly totalBytes: number;
  /** The evidence as the API returned it, once the file is stored. */
  readonly evidence?: Evidence;
  /** Reason the upload, or the link made after it, failed. */
  readonly error?: ApiError;
  /** True when the file was stored but the first link failed. */
  readonly linkFailed?: boolean;
}

type Listener = () => void;

let tasks: readonly UploadTask[] = [];
let nextId = 1;
const listeners = new Set<Listener>();
const requests = new Map<number, XMLHttpRequest>();

// Closing or reloading the tab ends every running upload, so the browser requests a confirmation first.
window.addEventListener('beforeunload', (event) => {
  if (tasks.some(isRunning)) event.preventDefault();
});

function update(id: number, change: Partial<UploadTask>): void {
  tasks = tasks.map((task) => (task.id === id ? { ...task, ...change } : task));
  for (const listener of listeners) listener();
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Returns every upload of this browser tab, oldest first, and re-renders on each progress event. */
export function useUploads(): readonly UploadTask[] {
  return useSyncExternalStore(subscribe, () => tasks);
}

export function findUpload(id: number): UploadTask | undefined {
  return tasks.find((task) => task.id === id);
}

export function isRunning(task: UploadTask): boolean {
  return task.state === 'uploading' || task.state === 'storing' || task.state === 'linking';
}

/** Starts an upload and returns its task id; progress and the result arrive through useUploads. */
export function startUpload(request: UploadRequest): number {
  const id = nextId++;
  tasks = [...tasks, { id, request, state: 'uploading', sentBytes: 0, totalBytes: request.file.size }];
  for (const listener of listeners) listener();
  void runUpload(id, request);
  return id;
}

export function cancelUpload(id: number): void {
  requests.get(id)?.abort();
}

/** Removes finished, failed and cancelled uploads from the list; running ones stay. */
export function clearFinishedUploads(): void {
  tasks = tasks.filter(isRunning);
  for (const listener of listeners) listener();
}

export function dismissUpload(id: number): void {
  tasks = tasks.filter((task) => task.id !== id || isRunning(task));
  for (const listener of listeners) listener();
}

async function runUpload(id: number, request: UploadRequest): Promise<void> {
  let evidence: Evidence;
  try {
    // After the user signs in again, the whole file is sent anew, so progress starts over.
    let attempt = 0;
    evidence = await retryAfterSignIn(() => {
      if (attempt++ > 0) update(id, { state: 'uploading', sentBytes: 0 });
      return send(id, request);
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') update(id, { state: 'cancelled' });
    else update(id, { state: 'failed', error: asApiError(error) });
    return;
  } finally {
    requests.delete(id);
  }

  if (request.action === 'create' && request.link) {
    update(id, { state: 'linking', evidence });
    try {
      const link = await api<Evidence['links'][number]>(`/evidence/${encodeURIComponent(evidence.id)}/links`, { method: 'POST', body: request.link });
      evidence = { ...evidence, links: [...evidence.links, link] };
    } catch (error) {
      update(id, { state: 'failed', error: asApiError(error), linkFailed: true, evidence });
      void refreshEvidence();
      return;
    }
  }
  update(id, { state: 'done', evidence });
  void refreshEvidence();
}

function refreshEvidence(): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['evidence'] }),
    queryClient.invalidateQueries({ queryKey: ['audit-events'] }),
  ]).then(() => undefined);
}

/** Sends the multipart form with the metadata fields first and the file last, as the API reads them in order. */
function send(id: number, request: UploadRequest): Promise<Evidence> {
  const form = new FormData();
  let url = '/api/evidence';
  let method = 'POST';
  const xhr = new XMLHttpRequest();

  if (request.action === 'create') {
    for (const [name, value] of Object.entries(request.metadata)) {
      // The title is sent even when empty, so that the API names the problem next to the field.
      if (name === 'title' || name === 'kind' || value.trim() !== '') form.append(name, value);
    }
  } else {
    url = `/api/evidence/${encodeURIComponent(request.evidenceId)}/file`;
    method = 'PUT';
  }
  form.append('file', request.file, request.file.name);

  return new Promise<Evidence>((resolve, reject) => {
    requests.set(id, xhr);
    xhr.open(method, url);
    xhr.setRequestHeader('accept', 'application/json');
    if (request.action === 'replace') xhr.setRequestHeader('if-match', `"${request.version}"`);

    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      update(id, { sentBytes: event.loaded, totalBytes: event.total });
    };
    // Every byte is sent. The server now hashes and stores the file before it responds.
    xhr.upload.onload = () => update(id, { state: 'storing' });
    xhr.onload = () => {
      try {
        const response = new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, statusText: xhr.statusText });
        readResponse<Evidence>(response).then(resolve, reject);
      } catch (error) {
        // Response rejects a status outside 200 to 599.
        reject(error);
      }
    };
    xhr.onerror = () =>
      reject(new ApiError(0, 'NETWORK', 'The upload failed before the server responded; check that the custos server is running and send the file again'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    xhr.send(form);
  });
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'UNEXPECTED', error instanceof Error ? error.message : String(error));
}
