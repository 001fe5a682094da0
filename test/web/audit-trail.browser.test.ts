import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { hashEvent } from '../../src/platform/audit/chain.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;

beforeAll(async () => {
  workspace = await startWorkspace();
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

interface Verification {
  ok: boolean;
  eventsChecked: number;
  headSeq: number;
  headHash: string;
}

async function openAuditTrail(page: Page, query = ''): Promise<void> {
  await page.goto(`/audit-trail${query}`);
  await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
  await waitForList(page);
}

/** Waits until the list shows its count with no fetch running. */
async function waitForList(page: Page): Promise<void> {
  await page.getByTestId('audit-count').filter({ hasNotText: 'updating' }).waitFor();
}

/** Waits until the list shows `total` events and no fetch is running. */
async function waitForTotal(page: Page, total: number): Promise<void> {
  const shown = total === 1 ? '1 event' : `${total.toLocaleString('en-US')} events`;
  await page.getByTestId('audit-count').filter({ hasText: new RegExp(`^${shown}, newest first$`) }).waitFor();
}

async function apiTotal(page: Page, query: string): Promise<number> {
  const response = await page.request.get(`/api/audit-events?limit=1&${query}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

async function eventCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('audit-count').textContent()) ?? '';
  return Number(/^([\d,.\s]+) events?/.exec(text)?.[1]?.replace(/[,.\s]/g, ''));
}

const boardPassword = 'board-password-for-browser-tests';

async function signInAs(username: string, password: string): Promise<Page> {
  const context = await workspace.browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: workspace.url });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  return page;
}

describe('the audit trail screen', { timeout: 90_000 }, () => {
  it('shows an upload with after values', async () => {
    const page = await workspace.signIn('admin');
    const content = Buffer.from('Human oversight procedure for the COMPAS tool, revision 4\n');
    const uploaded = await page.request.post('/api/evidence', {
      multipart: {
        title: 'Human oversight procedure, revision 4',
        kind: 'procedure',
        validUntil: '2030-01-31',
        file: { name: 'oversight-procedure.txt', mimeType: 'text/plain', buffer: content },
      },
    });
    expect(uploaded.status()).toBe(201);
    const { id } = (await uploaded.json()) as { id: string };

    await openAuditTrail(page, `?recordId=${id}`);
    const row = page.getByTestId('audit-row').filter({ hasText: 'evidence.created' });
    await expect(row.count()).resolves.toBe(1);
    await row.getByRole('button', { name: 'Show changes' }).click();

    const detail = page.getByTestId('audit-event-detail');
    const fields = detail.getByRole('table', { name: 'Fields before and after the change' });
    const valueOf = async (field: string) => (await fields.getByRole('row').filter({ has: page.getByText(field, { exact: true }) }).locator('td').nth(2).textContent())?.trim();
    expect(await valueOf('title')).toBe('Human oversight procedure, revision 4');
    expect(await valueOf('sha256')).toBe(createHash('sha256').update(content).digest('hex'));
    expect(await valueOf('validUntil')).toBe('2030-01-31');
    expect(await valueOf('fileName')).toBe('oversight-procedure.txt');
    // A creation has no before image.
    expect(await fields.getByRole('row').filter({ has: page.getByText('title', { exact: true }) }).locator('td').nth(1).textContent()).toBe('not present');
    await page.mouse.move(640, 880);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '14-audit-trail');

    // The record links back to its screen.
    await row.getByRole('link', { name: id }).click();
    await page.getByRole('dialog').getByRole('heading', { name: 'Human oversight procedure, revision 4' }).waitFor();
  });

  it('shows the changed fields of an update', async () => {
    const page = await workspace.signIn('admin');
    const uploaded = await page.request.post('/api/evidence', {
      multipart: { title: 'Data retention record', kind: 'record', file: { name: 'retention.csv', mimeType: 'text/csv', buffer: Buffer.from('system,days\nA,30\n') } },
    });
    const { id } = (await uploaded.json()) as { id: string };
    const patched = await page.request.patch(`/api/evidence/${id}`, { headers: { 'if-match': '"1"' }, data: { title: 'Data retention record, 2027' } });
    expect(patched.status()).toBe(200);

    await openAuditTrail(page, `?recordId=${id}&action=evidence.updated`);
    await page.getByTestId('audit-row').getByRole('button', { name: 'Show changes' }).click();
    const fields = page.getByRole('table', { name: 'Fields before and after the change' });
    const fieldNames = await fields.locator('tbody tr td:first-child').allTextContents();
    expect(fieldNames.sort()).toEqual(['title', 'updatedAt', 'version']);
    const title = fields.getByRole('row').filter({ has: page.getByText('title', { exact: true }) });
    expect(await title.locator('td').nth(1).textContent()).toBe('Data retention record');
    expect(await title.locator('td').nth(2).textContent()).toBe('Data retention record, 2027');

    await page.getByRole('button', { name: /^Show the \d+ unchanged fields too$/ }).click();
    expect((await fields.locator('tbody tr').count()) > 3).toBe(true);
  });

  it('names actors for roles without users.read', async () => {
    const admin = await workspace.signIn('admin');
    const me = (await (await admin.request.get('/api/auth/me')).json()) as { user: { id: string; displayName: string } };
    expect(me.user.displayName).toBe('Administrator');
    const created = await admin.request.post('/api/people', { data: { name: 'Ada Actor-Check' } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // The oversight board may read the audit trail but not list user accounts.
    await runCli(['user', 'create', '--username', 'board', '--role', 'oversight_board_member', '--display-name', 'Bea Board'], {
      CUSTOS_DATA_DIR: workspace.dataDir,
      CUSTOS_NEW_USER_PASSWORD: boardPassword,
    });
    const board = await signInAs('board', boardPassword);
    expect((await board.request.get('/api/users')).status()).toBe(403);

    for (const page of [board, await workspace.signIn('auditor')]) {
      await openAuditTrail(page, `?recordId=${id}`);
      const actor = page.getByTestId('audit-row').filter({ hasText: 'person.created' }).locator('td').nth(2);
      await actor.filter({ hasText: 'Administrator' }).waitFor();
      expect((await actor.textContent())?.trim()).toBe('Administrator');
    }
  });

  it('filters by record type and time', async () => {
    const page = await workspace.signIn('admin');
    await openAuditTrail(page);
    const all = await eventCount(page);

    await page.getByRole('combobox', { name: 'Record type' }).fill('evidence');
    await page.waitForURL(/recordType=evidence/);
    const evidenceEvents = await apiTotal(page, 'recordType=evidence');
    await waitForTotal(page, evidenceEvents);
    expect(evidenceEvents).toBeGreaterThan(0);
    expect(evidenceEvents).toBeLessThan(all);
    const types = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-record-type')));
    expect(new Set(types)).toEqual(new Set(['evidence']));

    // A reload keeps the filter, as it lives in the URL.
    await page.reload();
    await waitForTotal(page, evidenceEvents);

    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    await page.getByLabel('From', { exact: true }).fill(day(tomorrow));
    await page.getByText('No events match these filters.').waitFor();
    await page.getByLabel('From', { exact: true }).fill(day(new Date()));
    await page.waitForURL(new RegExp(`from=${day(new Date())}`));
    const today = await apiTotal(page, `recordType=evidence&occurredFrom=${encodeURIComponent(new Date(new Date().setHours(0, 0, 0, 0)).toISOString())}`);
    expect(today).toBeGreaterThan(0);
    await waitForTotal(page, today);
  });

  it('verifies the chain as intact', async () => {
    const page = await workspace.signIn('admin');
    await openAuditTrail(page);
    await page.mouse.move(640, 880);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    const api = (await (await page.request.post('/api/audit-events/verify', { data: {} })).json()) as Verification;
    expect(api.ok).toBe(true);
    expect(text).toContain('The audit chain is intact');
    expect(text).toContain(`All ${api.eventsChecked.toLocaleString('en-US')} events were checked`);
    expect(text).toContain(`The last event is number ${api.headSeq} with hash ${api.headHash}`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '14b-audit-verify');
  });

  it('exports every event as JSON Lines', async () => {
    const page = await workspace.signIn('auditor');
    await openAuditTrail(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export as JSON Lines' }).click()]);
    const lines = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n');
    const api = (await (await page.request.post('/api/audit-events/verify', { data: {} })).json()) as Verification;
    expect(lines.length).toBe(api.eventsChecked);
    const last = JSON.parse(lines.at(-1)!) as { seq: number; hash: string };
    expect(last.seq).toBe(api.headSeq);
    expect(last.hash).toBe(api.headHash);
  });

  it('shows determinate progress and runs on while the user leaves', async () => {
    // A long trail makes the verification last long enough to watch; the events are chained
    // exactly as the server chains them, so the verification finds the trail intact.
    const added = appendChainedEvents(path.join(workspace.dataDir, 'custos.db'), 250_000);
    const page = await workspace.signIn('admin');
    await openAuditTrail(page);

    // Records every percentage that the determinate bar or the header indicator shows, however briefly, from the page itself.
    await page.evaluate(() => {
      type Element = { getAttribute: (name: string) => string | null; textContent: string | null };
      const page = globalThis as unknown as {
        document: { body: unknown; querySelector: (selector: string) => Element | null };
        MutationObserver: new (callback: () => void) => { observe: (target: unknown, options: object) => void };
        shownProgress: string[];
      };
      page.shownProgress = [];
      new page.MutationObserver(() => {
        const bar = page.document.querySelector('[data-testid="verify-progress"][data-determinate="true"] [role="progressbar"]')?.getAttribute('aria-valuenow');
        const header = /^Verifying chain: (\d+) %$/.exec(page.document.querySelector('[data-testid="verify-indicator"]')?.textContent ?? '')?.[1];
        const value = bar ?? header;
        if (value && page.shownProgress.at(-1) !== value) page.shownProgress.push(value);
      }).observe(page.document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByTestId('verify-progress').getByText(/^Verified [\d,]+ of [\d,]+ events/).waitFor();

    // Leaving the screen keeps the verification; the header follows it and leads back to the result.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Dashboard/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const indicator = page.getByTestId('verify-indicator');
    await indicator.waitFor();
    expect(await indicator.textContent()).toMatch(/^(Verifying chain: \d+ %|Audit chain intact)$/);
    await indicator.filter({ hasText: 'Audit chain intact' }).waitFor({ timeout: 60_000 });
    await indicator.click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    const api = (await (await page.request.post('/api/audit-events/verify', { data: {} })).json()) as Verification;
    expect(api.ok).toBe(true);
    expect(api.eventsChecked).toBeGreaterThanOrEqual(added);
    expect(await result.textContent()).toContain(`All ${api.eventsChecked.toLocaleString('en-US')} events were checked`);

    const shown = (await page.evaluate(() => (globalThis as unknown as { shownProgress: string[] }).shownProgress)).map(Number);
    expect(shown[0]).toBe(0);
    expect(shown.some((value) => value > 0 && value < 100), `values shown: ${shown.join(', ')}`).toBe(true);
    expect([...shown].sort((a, b) => a - b)).toEqual(shown);
  });
});

/** Appends `count` events to the SQLite trail, each linked to the one before it and hashed as the server does. */
function appendChainedEvents(file: string, count: number): number {
  const database = new BetterSqlite3(file);
  try {
    database.pragma('busy_timeout = 10000');
    const head = database.prepare('select seq, hash, actor_id as actorId from audit_events order by seq desc limit 1').get() as { seq: number; hash: string; actorId: string };
    const insert = database.prepare(
      `insert into audit_events (seq, occurred_at, actor_id, action, record_type, record_id, before_json, after_json, reason, request_id, previous_hash, hash)
       values (@seq, @occurred_at, @actor_id, @action, @record_type, @record_id, @before_json, @after_json, @reason, @request_id, @previous_hash, @hash)`,
    );
    database.transaction(() => {
      let previousHash = head.hash;
      const occurredAt = new Date().toISOString();
      for (let index = 1; index <= count; index += 1) {
        const fields = {
          seq: head.seq + index,
          occurred_at: occurredAt,
          actor_id: head.actorId,
          action: 'ai_system.updated',
          record_type: 'ai_system',
          record_id: randomUUID(),
          before_json: null,
          after_json: JSON.stringify({ note: `bulk event ${index}` }),
          reason: null,
          request_id: null,
          previous_hash: previousHash,
        };
        previousHash = hashEvent(fields);
        insert.run({ ...fields, hash: previousHash });
      }
    })();
  } finally {
    database.close();
  }
  return count;
}
