import fs from 'node:fs';

/** The package version, read once from package.json (two folders up from both src/ and dist/ files). */
export const custosVersion: string = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
