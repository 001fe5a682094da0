import { randomBytes } from 'node:crypto';

/** One part of a hand-built multipart/form-data body. */
export interface FormPart {
  name: string;
  /** The field's text, or the file's bytes. */
  value: string | Buffer;
  /** Makes the part a file part; written into the header byte for byte, so tests can send hostile names. */
  fileName?: string;
  contentType?: string;
}

/**
 * Builds a multipart/form-data body by hand, so that tests control every byte of the part
 * headers, which a form library would clean up.
 */
export function multipartBody(parts: readonly FormPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----custos-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let header = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.fileName !== undefined) header += `; filename="${part.fileName}"`;
    header += '\r\n';
    if (part.contentType !== undefined) header += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${header}\r\n`, 'utf8'), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Metadata fields followed by one file part named `file`. */
export function evidenceForm(fields: Record<string, string>, file: { name: string; content: Buffer | string; contentType?: string }): { payload: Buffer; headers: Record<string, string> } {
  return multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', value: file.content, fileName: file.name, contentType: file.contentType ?? 'application/octet-stream' },
  ]);
}
