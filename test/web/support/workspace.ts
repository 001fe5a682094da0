import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inheritedEnvironment, repositoryRoot, startServerProcess, type ServerProcess } from '../../support/server-process.js';

/** Debian's chromium; `.ci/run` installs it with apt-get when it is missing. No test downloads a browser. */
export const chromiumPath = process.env.CUSTOS_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** The flags the issue and this machine's closed network ask for; playwright adds a new empty --user-data-dir per launch. */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots of the main screens go here, and the test run prints the folder at the end. */
export const screenshotDir = path.resolve(process.env.CUSTOS_SCREENSHOT_DIR ?? path.join(repositoryRoot, 'test-results', 'screenshots'));

export const adminPassword = 'admin-password-for-browser-tests';
export const auditorPassword = 'auditor-password-for-browser-tests';

export interface Workspace {
  readonly server: ServerProcess;
  readonly browser: Browser;
  readonly url: string;
  readonly dataDir: string;
  /** A fresh browser context (its own cookies) signed in as the user, on the dashboard. */
  signIn(username: 'admin' | 'auditor', viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the real server from the sources on an empty temporary data directory with the demo
 * organization, adds an internal auditor account with the CLI, and launches chromium. `env`
 * adds server settings, such as a smaller upload limit.
 * The web app comes from the build in dist/web (`npm test` builds it first).
 */
export async function startWorkspace(options: { env?: Record<string, string> } = {}): Promise<Workspace> {
  const webDir = process.env.CUSTOS_WEB_DIR ?? path.join(repositoryRoot, 'dist', 'web');
  if (!fs.existsSync(path.join(webDir, 'index.html'))) {
    throw new Error(`The web app is not built in ${webDir}; run "npm run build" first (npm test does)`);
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`No chromium at ${chromiumPath}; install Debian's package with "apt-get install chromium" (.ci/run does)`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-web-'));
  const env = { ...options.env, CUSTOS_DATA_DIR: dataDir, CUSTOS_ADMIN_PASSWORD: adminPassword, CUSTOS_WEB_DIR: webDir };
  const server = await startServerProcess({ env, demo: true, startTimeoutMs: 120_000 });
  let browser: Browser | undefined;
  try {
    await runCli(['user', 'create', '--username', 'auditor', '--role', 'internal_auditor', '--display-name', 'Ines Auditor'], {
      ...env,
      CUSTOS_NEW_USER_PASSWORD: auditorPassword,
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags, headless: true });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const launched = browser;

  return {
    server,
    browser: launched,
    url: server.url,
    dataDir,
    async signIn(username, viewport = { width: 1280, height: 900 }) {
      const context = await launched.newContext({ viewport, baseURL: server.url });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto('/');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel(/^Password/).fill(username === 'admin' ? adminPassword : auditorPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await launched.close().catch(() => undefined);
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot of a main screen as `<name>.png` in the screenshot folder. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AccessibilityViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it is now and returns the serious and critical violations.
 * The script goes in through the debugging protocol, as the page's CSP allows no inline script.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  await settleForAudit(page);
  await page.evaluate(axeSource);
  // The function runs in the page, where axe and document exist; this file has no DOM types.
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as { document: unknown; axe: { run: (context: unknown, options: object) => Promise<AxeResult> } };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => JSON.stringify(node.target)),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/**
 * Waits, for up to 5 s, until no finite CSS transition or animation runs and no table is marked busy.
 * Text that is fading in, or a table dimmed while it reloads, has a lower contrast for a moment,
 * and axe would report that passing state as a violation.
 */
async function settleForAudit(page: Page): Promise<void> {
  // The function runs in the page, where document exists; this file has no DOM types.
  const settled = `(() => {
    // A loader spins forever, so only animations with an end count.
    const running = document.getAnimations().some((animation) => animation.playState === 'running' && animation.effect?.getComputedTiming().endTime !== Infinity);
    return !running && document.querySelector('[aria-busy="true"]') === null;
  })()`;
  await page.waitForFunction(settled, undefined, { timeout: 5_000, polling: 100 }).catch(() => undefined);
}

/**
 * Ends the page's session on the server, as its expiry would: the sessions table stores the
 * SHA-256 of the cookie value, and a session past expires_at no longer authenticates.
 */
export async function expireSession(page: Page, dataDir: string): Promise<void> {
  const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'custos_session');
  if (cookie === undefined) throw new Error('The page has no custos_session cookie; sign in first');
  const database = new Database(path.join(dataDir, 'custos.db'));
  try {
    const idHash = createHash('sha256').update(cookie.value, 'utf8').digest('hex');
    const expired = database.prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?').run('2000-01-01T00:00:00.000Z', idHash);
    if (expired.changes !== 1) throw new Error(`No session row matches the page's cookie in ${dataDir}`);
  } finally {
    database.close();
  }
}

/** Runs the CLI from the sources against the workspace's data directory; rejects with its output on a non-zero exit. */
export function runCli(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: repositoryRoot,
      env: { ...inheritedEnvironment(), CUSTOS_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`custos ${args.join(' ')} exited with ${code}: ${output}`))));
  });
}
