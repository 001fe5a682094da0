import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fingerprintStream } from '../../src/datasets/fingerprint.js';

describe('fingerprintStream', () => {
  it('matches a one-shot hash over chunks', async () => {
    const chunks = [Buffer.from('id,outcome\n'), Buffer.alloc(70_000, 7), Buffer.from('last line\n')];
    const expected = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
    const fingerprint = await fingerprintStream(Readable.from(chunks));
    expect(fingerprint.sha256).toBe(expected);
    expect(fingerprint.sizeBytes).toBe(70_021);
  });

  it('hashes the SHA-256 test vector "abc"', async () => {
    const fingerprint = await fingerprintStream(Readable.from([Buffer.from('abc')]));
    expect(fingerprint.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('stops at the limit without destroying the stream', async () => {
    const source = new PassThrough();
    const result = fingerprintStream(source, 10);
    source.write(Buffer.alloc(6));
    source.write(Buffer.alloc(6));
    await expect(result).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect(source.destroyed).toBe(false);
  });

  it('accepts exactly the limit', async () => {
    const fingerprint = await fingerprintStream(Readable.from([Buffer.alloc(10)]), 10);
    expect(fingerprint.sizeBytes).toBe(10);
  });

  it('rejects an empty stream', async () => {
    await expect(fingerprintStream(Readable.from([]))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('rejects a stream cut off before its end', async () => {
    const source = new PassThrough();
    const result = fingerprintStream(source);
    source.write(Buffer.alloc(5));
    source.destroy();
    await expect(result).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '/', message: 'the file ended after 5 bytes, before it was complete; send it again' }],
    });
  });
});
