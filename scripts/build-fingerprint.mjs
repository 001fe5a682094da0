#!/usr/bin/env node
// Lets `npm start` skip the build when nothing it compiles has changed since the last one.
//   node scripts/build-fingerprint.mjs write   records the inputs of the build just made
//   node scripts/build-fingerprint.mjs check   exits 0 when dist/ was built from the same inputs, 1 otherwise
// The fingerprint covers the path, size and modification time of every build input, so a pull,
// a checkout or an edit all trigger a new build; reading times and sizes keeps the check under a
// second where hashing contents would read every file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fingerprintFile = path.join(root, 'dist', '.build-fingerprint');
const inputFolders = ['src', 'web'];
const inputFiles = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const outputs = [path.join('dist', 'cli', 'main.js'), path.join('dist', 'web', 'index.html')];

function listFiles(folder) {
  const found = [];
  for (const entry of fs.readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(relative));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}

function fingerprint() {
  const hash = createHash('sha256');
  const files = [...inputFolders.flatMap(listFiles), ...inputFiles].sort();
  for (const file of files) {
    const stats = fs.statSync(path.join(root, file));
    hash.update(`${file}\0${stats.size}\0${stats.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const mode = process.argv[2];
if (mode === 'write') {
  fs.writeFileSync(fingerprintFile, `${fingerprint()}\n`);
} else if (mode === 'check') {
  const built = outputs.every((file) => fs.existsSync(path.join(root, file)));
  const recorded = fs.existsSync(fingerprintFile) ? fs.readFileSync(fingerprintFile, 'utf8').trim() : '';
  if (built && recorded === fingerprint()) {
    console.log('custos is built from the current sources; skipping the build');
    process.exit(0);
  }
  process.exit(1);
} else {
  console.error(`usage: node scripts/build-fingerprint.mjs write|check (received "${mode ?? ''}")`);
  process.exit(2);
}
