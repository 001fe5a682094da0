import { readResponse, retryAfterSignIn } from '../api/client';

export interface DownloadProgress {
  receivedBytes: number;
  /** From Content-Length; null when the server does not send it. */
  totalBytes: number | null;
}

/**
 * Fetches a file from the API while reporting the bytes received, then hands it to the browser
 * as a download under the name from Content-Disposition. Failures throw the API's ApiError.
 * When the session has ended, it asks the user to sign in again and then fetches the file again.
 */
export async function downloadWithProgress(path: string, onProgress: (progress: DownloadProgress) => void, signal?: AbortSignal): Promise<string> {
  // An ended session is answered before any byte of the file, so only the request is repeated.
  const { response, body } = await retryAfterSignIn(async () => {
    const answer = await fetch(path, { credentials: 'same-origin', signal });
    if (!answer.ok || !answer.body) {
      await readResponse(answer);
      throw new Error(`The download from ${path} returned no content`);
    }
    return { response: answer, body: answer.body };
  }, signal);

  const lengthHeader = response.headers.get('content-length');
  const totalBytes = lengthHeader ? Number(lengthHeader) : null;
  const reader = body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let receivedBytes = 0;
  onProgress({ receivedBytes, totalBytes });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    receivedBytes += value.byteLength;
    onProgress({ receivedBytes, totalBytes });
  }

  const fileName = fileNameOf(response.headers.get('content-disposition')) ?? path.split('/').pop() ?? 'download';
  const blob = new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once click() returns; the delay only guards slow engines.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

/** Reads `attachment; filename="x.csv"`, the form the custos API sends. */
function fileNameOf(disposition: string | null): string | undefined {
  return disposition?.match(/filename="([^"]+)"/)?.[1];
}
