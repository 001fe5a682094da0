import argon2 from 'argon2';

/**
 * Argon2id with the library's defaults (64 MiB memory, 3 passes, parallelism 4 in argon2 0.45),
 * which meet OWASP's minimum recommendation for Argon2id.
 */
export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash is treated as a failed sign-in, never as a server error.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real verification, so a sign-in for an unknown user takes as long as a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('custos-timing-equalizer');
  await verifyPassword(await dummyHash, password);
}
