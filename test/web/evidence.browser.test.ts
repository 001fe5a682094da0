import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, expireSession, screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;

/** A small upload limit, so that a file over it stays small; the largest file the other tests send is 1.5 MB. */
const uploadLimitBytes = 3_000_000;

beforeAll(async () => {
  workspace = await startWorkspace({ env: { CUSTOS_EVIDENCE_UPLOAD_LIMIT_BYTES: String(uploadLimitBytes) } });
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

function sha256Of(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

async function openEvidence(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Evidence/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Evidence' }).waitFor();
  await page.getByTestId('evidence-row').first().waitFor();
  // The pointer leaves the navigation link it clicked, so that axe checks the link without its hover colours.
  await page.mouse.move(640, 880);
}

/** Waits until the list shows `total` evidence files and no fetch is running. */
async function waitForTotal(page: Page, total: number): Promise<void> {
  await page.getByTestId('evidence-count').filter({ hasText: new RegExp(`^${total} evidence files?$`) }).waitFor();
}

async function apiTotal(page: Page, query: string): Promise<number> {
  const response = await page.request.get(`/api/evidence?${query}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

/** Slows uploads of this page to `bytesPerSecond` through the debugging protocol, so that progress can be watched. */
async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  await session.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
}

/** Picks an option of a Mantine select inside `scope` by its label, after typing `search` into it when given. */
async function choose(page: Page, scope: Locator, label: string | RegExp, option: string | RegExp, search?: string): Promise<void> {
  const input = scope.getByRole('combobox', { name: label });
  await input.click();
  if (search !== undefined) await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}


describe('the evidence screen', { timeout: 90_000 }, () => {
  it('uploads, lists and downloads a file', async () => {
    const page = await workspace.signIn('admin');
    await openEvidence(page);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Large enough that the throttled upload shows progress below 100 % for a while.
    const content = Buffer.concat([Buffer.from('Bias test report for the credit model\n'), randomBytes(1_500_000)]);
    const expectedSha256 = sha256Of(content);
    const title = `Bias test report ${expectedSha256.slice(0, 6)}`;

    await page.getByRole('button', { name: 'Upload evidence' }).click();
    await page.locator('input[type=file]').first().setInputFiles({ name: 'bias-report.bin', mimeType: 'application/octet-stream', buffer: content });
    await page.getByRole('textbox', { name: 'Title' }).fill(title);
    const form = page.getByRole('region', { name: 'Upload evidence' });
    await choose(page, form, 'Kind', 'test result');
    await page.getByLabel('Valid until').fill('2031-06-30');
    await page.getByLabel('Description').fill('Selection rates per group against the four-fifths rule');
    await choose(page, form, 'Linked record (optional)', /^iso42001:A\.6\.2\.4 /, 'A.6.2.4');

    await throttleUploads(page, 600_000);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const bar = page.getByRole('progressbar', { name: 'Upload of bias-report.bin' });
    await bar.waitFor();
    // The bar is read every 50 ms until it shows a value between the start and the end.
    let partway = 0;
    await expect
      .poll(
        async () => {
          partway = Number(await bar.getAttribute('aria-valuenow'));
          return partway > 0 && partway < 100;
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(true);
    expect(partway).toBeGreaterThan(0);
    expect(partway).toBeLessThan(100);

    await page.getByTestId('upload-state').filter({ hasText: `Uploaded; SHA-256 ${expectedSha256}` }).waitFor({ timeout: 30_000 });
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await screenshot(page, '13a-evidence-upload');

    await page.getByRole('textbox', { name: 'Search' }).fill(title);
    await page.waitForURL(/q=Bias/);
    await waitForTotal(page, 1);
    const row = page.getByTestId('evidence-row').filter({ hasText: title });
    await expect(page.getByTestId('evidence-row').count()).resolves.toBe(1);
    expect(await row.getByTestId('evidence-sha256-short').textContent()).toBe(`${expectedSha256.slice(0, 12)}…`);
    expect(await row.textContent()).toContain('Valid until 2031-06-30');

    await row.getByRole('button', { name: `Open ${title}` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('evidence-sha256').waitFor();
    expect(await drawer.getByTestId('evidence-sha256').textContent()).toBe(expectedSha256);
    expect(await drawer.getByTestId('evidence-links').textContent()).toContain('iso42001:A.6.2.4');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '13c-evidence-detail');

    const [download] = await Promise.all([page.waitForEvent('download'), drawer.getByRole('link', { name: 'Download bias-report.bin' }).click()]);
    const downloaded = fs.readFileSync((await download.path())!);
    expect(downloaded.length).toBe(content.length);
    expect(sha256Of(downloaded)).toBe(expectedSha256);
    expect(download.suggestedFilename()).toBe('bias-report.bin');
  });

  it('shows a blank title error inline', async () => {
    const page = await workspace.signIn('admin');
    await openEvidence(page);
    const content = Buffer.from('minutes of the AI committee\n');

    // The message the API gives for a blank title, to compare with the one on the screen.
    const direct = await page.request.post('/api/evidence', {
      multipart: { title: ' ', kind: 'meeting_minutes', file: { name: 'minutes.txt', mimeType: 'text/plain', buffer: content } },
    });
    expect(direct.status()).toBe(400);
    const apiMessage = ((await direct.json()) as { error: { details: Array<{ path: string; message: string }> } }).error.details.find(
      (detail) => detail.path === '/title',
    )!.message;

    await page.getByRole('button', { name: 'Upload evidence' }).click();
    await page.locator('input[type=file]').first().setInputFiles({ name: 'minutes.txt', mimeType: 'text/plain', buffer: content });
    await page.getByRole('textbox', { name: 'Title' }).fill(' ');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();

    const titleInput = page.getByRole('textbox', { name: 'Title' });
    await page.locator('input[aria-invalid=true]').first().waitFor();
    expect(await titleInput.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await titleInput.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
    // The field shows the plain-word form of the API message.
    expect(apiMessage).toMatch(/^must not be blank/);
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe('Required: enter more than spaces');
    // What was typed stays, and fixing the title sends it.
    expect(await page.getByRole('region', { name: 'Upload evidence' }).textContent()).toContain('minutes.txt');
    await titleInput.fill('AI committee minutes, November');
    await page.getByRole('button', { name: 'Send again' }).click();
    await page.getByTestId('upload-state').filter({ hasText: /^Uploaded; SHA-256 [0-9a-f]{64}$/ }).waitFor();
  });

  it('uploads after signing in again', async () => {
    const page = await workspace.signIn('admin');
    await openEvidence(page);
    const title = 'Model card after a session ended';
    const content = Buffer.from('model card, revision 2\n');
    await page.getByRole('button', { name: 'Upload evidence' }).click();
    await page.locator('input[type=file]').first().setInputFiles({ name: 'model-card.txt', mimeType: 'text/plain', buffer: content });
    await page.getByRole('textbox', { name: 'Title' }).fill(title);

    await expireSession(page, workspace.dataDir);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel(/^Password/).fill(adminPassword);
    await dialog.getByRole('button', { name: 'Sign in and continue' }).click();
    await dialog.waitFor({ state: 'detached' });

    const expectedSha256 = createHash('sha256').update(content).digest('hex');
    await page.getByTestId('upload-state').filter({ hasText: `Uploaded; SHA-256 ${expectedSha256}` }).waitFor({ timeout: 30_000 });
    const listed = await page.request.get(`/api/evidence?q=${encodeURIComponent(title)}`);
    const items = ((await listed.json()) as { items: Array<{ sha256: string }> }).items;
    expect(items).toHaveLength(1);
    expect(items[0]!.sha256).toBe(expectedSha256);
  });

  it('shows each upload error once', async () => {
    const page = await workspace.signIn('admin');
    await openEvidence(page);
    await page.getByRole('button', { name: 'Upload evidence' }).click();
    // U+202E reverses the text that follows, so this name would show as "invoice.exe.txt"; the API rejects it.
    await page.locator('input[type=file]').first().setInputFiles({ name: 'invoice\u202Etxt.exe', mimeType: 'text/plain', buffer: Buffer.from('not an invoice\n') });
    await page.getByRole('textbox', { name: 'Title' }).fill(' ');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();

    const form = page.getByRole('region', { name: 'Upload evidence' });
    await form.getByTestId('upload-state').filter({ hasText: 'Not stored' }).waitFor();
    const fileMessage = form.getByText(/bidirectional formatting character U\+202E/);
    const titleMessage = form.getByText('Required: enter more than spaces', { exact: true });
    expect(await fileMessage.count()).toBe(1);
    expect(await titleMessage.count()).toBe(1);
    // Both are next to their fields, so no alert repeats them.
    expect(await form.getByRole('alert').count()).toBe(0);
    expect(await page.getByTestId('evidence-count').count()).toBe(1);
  });

  it('keeps a file name with quotes', async () => {
    const page = await workspace.signIn('admin');
    await openEvidence(page);
    const fileName = 'Board "final" minutes.txt';
    const title = 'Board minutes with a quoted file name';
    await page.getByRole('button', { name: 'Upload evidence' }).click();
    await page.locator('input[type=file]').first().setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from('board minutes\n') });
    await page.getByRole('textbox', { name: 'Title' }).fill(title);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByTestId('upload-state').filter({ hasText: /^Uploaded; SHA-256 [0-9a-f]{64}$/ }).waitFor();

    const listed = await page.request.get(`/api/evidence?q=${encodeURIComponent(title)}`);
    const items = ((await listed.json()) as { items: Array<{ id: string; fileName: string }> }).items;
    expect(items.map((item) => item.fileName)).toEqual([fileName]);
    await page.goto(`/evidence?id=${items[0]!.id}`);
    await page.getByRole('dialog').getByText(fileName).first().waitFor();
  });

  it('checks the size before uploading', async () => {
    const page = await workspace.signIn('admin');
    const limit = await page.request.get('/api/evidence/upload-limit');
    expect(limit.status()).toBe(200);
    expect(await limit.json()).toEqual({ maxFileBytes: uploadLimitBytes });

    await openEvidence(page);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/evidence') posts.push(request.url());
    });
    await page.getByRole('button', { name: 'Upload evidence' }).click();
    await page.locator('input[type=file]').first().setInputFiles({ name: 'scan.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(3_200_000) });
    await page.getByRole('textbox', { name: 'Title' }).fill('Scanned contract, too large');

    const fileInput = page.getByRole('button', { name: /^File/ });
    const message = '"scan.bin" is 3.1 MiB (3200000 bytes), larger than the upload limit of 2.9 MiB (3000000 bytes); split or compress the file, or ask an administrator to raise the limit';
    await page.getByText(message, { exact: true }).waitFor();
    expect(await fileInput.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Upload', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'Title' }).press('Enter');
    expect(posts).toEqual([]);
  });

  it('keeps uploading across screens', async () => {
    const page = await workspace.signIn('admin');
    await openEvidence(page);
    const content = randomBytes(1_200_000);

    await page.getByRole('button', { name: 'Upload evidence' }).click();
    await page.locator('input[type=file]').first().setInputFiles({ name: 'drift-log.bin', mimeType: 'application/octet-stream', buffer: content });
    await page.getByRole('textbox', { name: 'Title' }).fill('Drift monitoring log, left running');
    await throttleUploads(page, 400_000);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('progressbar', { name: 'Upload of drift-log.bin' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Audit trail/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Evidence/ }).click();
    const uploads = page.getByRole('region', { name: 'Uploads in this tab' });
    await uploads.getByTestId('upload-state').filter({ hasText: /^Uploaded; SHA-256 [0-9a-f]{64}$/ }).waitFor({ timeout: 30_000 });

    const listed = await page.request.get(`/api/evidence?sha256=${sha256Of(content)}`);
    expect(((await listed.json()) as { total: number }).total).toBe(1);
  });

  it('explains a conflicting file replacement', async () => {
    const page = await workspace.signIn('admin');
    const created = await page.request.post('/api/evidence', {
      multipart: { title: 'Model card, credit model', kind: 'report', file: { name: 'model-card.md', mimeType: 'text/markdown', buffer: Buffer.from('# Model card v1\n') } },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await page.goto(`/evidence?id=${id}`);
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('evidence-sha256').waitFor();

    // Someone else replaces the file after the drawer was read.
    const meanwhile = await page.request.put(`/api/evidence/${id}/file`, {
      headers: { 'if-match': '"1"' },
      multipart: { file: { name: 'model-card.md', mimeType: 'text/markdown', buffer: Buffer.from('# Model card v2\n') } },
    });
    expect(meanwhile.status()).toBe(200);

    const mine = Buffer.from('# Model card v3, reviewed\n');
    await drawer.locator('input[type=file]').setInputFiles({ name: 'model-card.md', mimeType: 'text/markdown', buffer: mine });
    await drawer.getByRole('button', { name: 'Replace file' }).click();
    await drawer.getByRole('alert', { name: 'Someone else changed this record since you opened it' }).waitFor();

    await drawer.getByRole('button', { name: 'Reload the current version' }).click();
    await drawer.getByText('2, changed', { exact: false }).waitFor();
    await drawer.getByRole('button', { name: 'Replace file' }).click();
    await drawer.getByTestId('upload-state').filter({ hasText: /^File replaced; SHA-256 [0-9a-f]{64}$/ }).waitFor();
    await drawer.getByText('3, changed', { exact: false }).waitFor();
    expect(await drawer.getByTestId('evidence-sha256').textContent()).toBe(sha256Of(mine));
  });

  it('edits details and flags expiry', async () => {
    const page = await workspace.signIn('admin');
    const created = await page.request.post('/api/evidence', {
      multipart: { title: 'Supplier AI clause', kind: 'contract', file: { name: 'clause.txt', mimeType: 'text/plain', buffer: Buffer.from('clause 14.2\n') } },
    });
    const { id } = (await created.json()) as { id: string };
    const blank = await page.request.patch(`/api/evidence/${id}`, { headers: { 'if-match': '"1"' }, data: { title: ' ' } });
    expect(blank.status()).toBe(400);
    const apiMessage = ((await blank.json()) as { error: { details: Array<{ message: string }> } }).error.details[0]!.message;

    await page.goto(`/evidence?id=${id}`);
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('button', { name: 'Edit details' }).click();
    const title = drawer.getByRole('textbox', { name: 'Title' });
    await title.fill(' ');
    await drawer.getByRole('button', { name: 'Save details' }).click();
    await drawer.locator('input[aria-invalid=true]').first().waitFor();
    const errorId = (await title.getAttribute('aria-describedby'))!.split(' ').find((part) => part.endsWith('-error'))!;
    expect(apiMessage).toMatch(/^must not be blank/);
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe('Required: enter more than spaces');

    await title.fill('Supplier AI clause, signed');
    await drawer.getByLabel('Valid until').fill('2020-01-31');
    // Closing with unsaved changes asks first, and keeping them leaves the form as typed.
    await page.keyboard.press('Escape');
    await drawer.getByRole('alert', { name: 'Close without saving the details?' }).waitFor();
    await drawer.getByRole('button', { name: 'Keep editing' }).click();
    expect(await title.inputValue()).toBe('Supplier AI clause, signed');

    await drawer.getByRole('button', { name: 'Save details' }).click();
    await drawer.getByRole('heading', { name: 'Supplier AI clause, signed' }).waitFor();
    await drawer.getByText('Expired on 2020-01-31').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const row = page.getByTestId('evidence-row').filter({ hasText: 'Supplier AI clause, signed' });
    expect(await row.locator('[data-validity]').textContent()).toBe('Expired on 2020-01-31');
    expect(await row.locator('[data-validity]').getAttribute('data-validity')).toBe('expired');
  });

  it('hides changes from the internal auditor', async () => {
    const page = await workspace.signIn('auditor');
    await openEvidence(page);
    await expect(page.getByRole('button', { name: 'Upload evidence' }).count()).resolves.toBe(0);

    await page.getByTestId('evidence-row').first().getByRole('button').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('Your role reads evidence only').waitFor();
    await expect(drawer.getByRole('button', { name: 'Add link' }).count()).resolves.toBe(0);
    await expect(drawer.getByRole('button', { name: 'Replace file' }).count()).resolves.toBe(0);
    await expect(drawer.getByRole('button', { name: 'Edit details' }).count()).resolves.toBe(0);
    await expect(drawer.getByRole('button', { name: /^Remove/ }).count()).resolves.toBe(0);
    await expect(drawer.getByRole('link', { name: /^Download/ }).count()).resolves.toBe(1);
  });

  it('filters by kind, validity and link', async () => {
    const page = await workspace.signIn('admin');
    await openEvidence(page);
    const all = await page.getByTestId('evidence-row').count();
    await screenshot(page, '13-evidence');

    await choose(page, page.getByRole('region', { name: 'Filters' }), 'Kind', 'meeting minutes');
    await page.waitForURL(/kind=meeting_minutes/);
    await waitForTotal(page, await apiTotal(page, 'kind=meeting_minutes'));
    const kinds = await page.getByTestId('evidence-row').locator('td:nth-child(2)').allTextContents();
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.length).toBeLessThan(all);
    expect(new Set(kinds)).toEqual(new Set(['meeting minutes']));

    await page.goto('/evidence?expires=30');
    await waitForTotal(page, await apiTotal(page, 'expiresWithinDays=30'));
    const validity = await page.getByTestId('evidence-row').locator('td:nth-child(3)').allTextContents();
    for (const text of validity) expect(text).toMatch(/^(Expired on|Expires today|Expires in)/);

    await page.goto('/evidence?linkedTo=catalogue_item:iso42001:A.6.2.4');
    const linked = await apiTotal(page, 'linkedTo=catalogue_item:iso42001:A.6.2.4');
    expect(linked).toBeGreaterThan(0);
    await waitForTotal(page, linked);
    await expect(page.getByTestId('evidence-row').count()).resolves.toBe(Math.min(linked, 25));
    expect(linked).toBeLessThan(await apiTotal(page, ''));
  });

  it('stays usable at 800 px', async () => {
    const page = await workspace.signIn('admin', { width: 800, height: 900 });
    await page.goto('/evidence');
    await page.getByTestId('evidence-row').first().waitFor();
    await page.getByRole('button', { name: 'Upload evidence' }).click();
    await page.getByRole('textbox', { name: 'Title' }).waitFor();
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '13b-evidence-800px');

  });
});
