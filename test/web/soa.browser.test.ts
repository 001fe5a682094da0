import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { adminPassword, expireSession, runCli, screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;

const approverPassword = 'approver-password-for-soa-tests';
const riskOwnerPassword = 'risk-owner-password-for-soa-tests';

interface SoaEntry {
  controlId: string;
  controlRef: string;
  groupRef: string | null;
  decision: string;
  justification: string;
  implementationStatus: string | null;
  notes: string;
  version: number;
}

beforeAll(async () => {
  workspace = await startWorkspace();
  const env = { CUSTOS_DATA_DIR: workspace.dataDir };
  await runCli(['user', 'create', '--username', 'approver', '--role', 'approver', '--display-name', 'Ada Approver'], { ...env, CUSTOS_NEW_USER_PASSWORD: approverPassword });
  await runCli(['user', 'create', '--username', 'riskowner', '--role', 'risk_owner', '--display-name', 'Rui Owner'], { ...env, CUSTOS_NEW_USER_PASSWORD: riskOwnerPassword });
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

/** Signs in a user the tests created, in a fresh browser context, and waits for the dashboard. */
async function signInAs(username: string, password: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await workspace.browser.newContext({ viewport, baseURL: workspace.url });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  return page;
}

async function openSoa(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Statement of Applicability/ }).click();
  // The pointer leaves the navigation, so that the checks see the screen as a reader sees it, not a hovered link.
  await page.mouse.move(0, 0);
  await page.getByRole('heading', { level: 1, name: 'Statement of Applicability' }).waitFor();
  await page.getByTestId('soa-version-note').waitFor();
}

async function readJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(path);
  expect(response.status(), `GET ${path}`).toBe(200);
  return (await response.json()) as T;
}

async function versionsOf(page: Page): Promise<Array<{ id: string; number: number; status: string; version: number }>> {
  return (await readJson<{ items: Array<{ id: string; number: number; status: string; version: number }> }>(page, '/api/soa/versions')).items;
}

async function entriesOf(page: Page, versionId: string): Promise<SoaEntry[]> {
  return (await readJson<{ items: SoaEntry[] }>(page, `/api/soa/versions/${versionId}/entries?limit=500`)).items;
}

/** Returns the open draft, starting one from the latest approved version when there is none. */
async function openDraftOf(page: Page): Promise<{ id: string; number: number }> {
  const open = (await versionsOf(page)).find((version) => version.status === 'draft');
  if (open) return open;
  const started = await page.request.post('/api/soa/versions', { data: { basedOn: 'latest-approved' } });
  expect(started.status(), 'POST /api/soa/versions').toBe(201);
  return (await started.json()) as { id: string; number: number };
}


describe('Statement of Applicability screen', { timeout: 90_000 }, () => {
  it('shows the approved version read-only with progress by group', async () => {
    const page = await workspace.signIn('admin');
    await openSoa(page);
    await page.getByTestId('soa-version-note').getByText('v1 is approved and read-only', { exact: true }).waitFor();
    await expect(page.getByRole('button', { name: /^Edit A\./ }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Approve/ }).count()).resolves.toBe(0);

    const [approved] = await versionsOf(page);
    const entries = await entriesOf(page, approved!.id);
    expect(entries).toHaveLength(38);
    for (const group of ['iso42001:A.2', 'iso42001:A.6', 'iso42001:A.10']) {
      const inGroup = entries.filter((entry) => entry.groupRef === group);
      const applicable = inGroup.filter((entry) => entry.decision === 'applicable');
      const implemented = applicable.filter((entry) => entry.implementationStatus === 'implemented');
      const row = page.getByTestId(`group-progress-${group}`);
      await expect(row.textContent()).resolves.toContain(`${implemented.length} of ${applicable.length}`);
    }
    await expect(page.getByRole('status').filter({ hasText: 'Showing' }).textContent()).resolves.toBe('Showing 38 of 38 controls');

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '04-soa');

    await page.getByLabel('Applicability').selectOption('excluded');
    const excluded = entries.filter((entry) => entry.decision === 'excluded');
    await page.getByText(`Showing ${excluded.length} of 38 controls`).waitFor();
    for (const entry of excluded) await page.getByTestId(`soa-row-${entry.controlId}`).waitFor();
    await page.getByLabel('Applicability').selectOption('');
    await page.getByText('Showing 38 of 38 controls').waitFor();
    await page.getByLabel('Search controls').fill('A.6.2.4');
    // Fewer than 38 rows remain: A.6.2.4 stays and A.2.2, which never names it, goes.
    await page.getByText(/^Showing ([1-9]|[12]\d|3[0-7]) of 38 controls$/).waitFor();
    await page.getByTestId('soa-row-A.6.2.4').waitFor();
    await expect(page.getByTestId('soa-row-A.2.2').count()).resolves.toBe(0);
  });

  it('rejects exclusion without justification, then saves', async () => {
    const page = await workspace.signIn('admin');
    await openSoa(page);
    await page.getByRole('button', { name: 'Start a new draft' }).click();
    await page.getByRole('dialog', { name: 'Start a new draft?' }).getByRole('button', { name: 'Start the draft' }).click();
    await page.getByTestId('soa-version-note').getByText('v2 is a draft', { exact: true }).waitFor();
    const draft = (await versionsOf(page)).find((version) => version.status === 'draft')!;
    expect(draft.number).toBe(2);

    await page.getByRole('button', { name: 'Edit A.7.3' }).click();
    const editor = page.getByRole('group', { name: /^Edit A\.7\.3 / });
    // The stored justification argues for inclusion, so excluding starts from an empty one, and choosing applicable again brings it back.
    const stored = (await entriesOf(page, draft.id)).find((entry) => entry.controlId === 'A.7.3')!;
    expect(stored.decision).toBe('applicable');
    expect(stored.justification).not.toBe('');
    await expect(editor.getByLabel('Justification').inputValue()).resolves.toBe(stored.justification);
    await editor.getByLabel('Applicability').selectOption('excluded');
    await expect(editor.getByLabel('Justification').inputValue()).resolves.toBe('');
    await editor.getByLabel('Applicability').selectOption('applicable');
    await expect(editor.getByLabel('Justification').inputValue()).resolves.toBe(stored.justification);
    await editor.getByLabel('Applicability').selectOption('excluded');
    await editor.getByRole('button', { name: 'Save A.7.3' }).click();

    // The API rejects the same change, sent directly, with the message the screen must show.
    const rejected = await page.request.patch(`/api/soa/versions/${draft.id}/entries/${encodeURIComponent('iso42001:A.7.3')}`, { data: { decision: 'excluded', justification: '' } });
    expect(rejected.status()).toBe(400);
    const rejection = (await rejected.json()) as { error: { code: string; details: Array<{ path: string; message: string }> } };
    expect(rejection.error.code).toBe('VALIDATION_FAILED');
    const justificationProblem = rejection.error.details.find((detail) => detail.path.endsWith('justification'));
    expect(justificationProblem).toBeDefined();

    const justification = editor.getByLabel('Justification');
    const errorId = `${await justification.getAttribute('id')}-error`;
    await page.locator(`[id="${errorId}"]`).waitFor();
    // The API's "is required to exclude a control: …" reads as a sentence under the field.
    expect(justificationProblem!.message).toMatch(/^is required to exclude a control/);
    await expect(page.locator(`[id="${errorId}"]`).textContent()).resolves.toBe(justificationProblem!.message.replace(/^is required/, 'Required'));
    await expect(justification.getAttribute('aria-invalid')).resolves.toBe('true');

    // Leaving with the unsaved edit opens a confirmation, and staying keeps the chosen value.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Dashboard/ }).click();
    const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
    await leave.waitFor();
    await leave.getByRole('button', { name: 'Stay and keep editing' }).click();
    await expect(editor.getByLabel('Applicability').inputValue()).resolves.toBe('excluded');

    const reason = 'Training data is never acquired for this system: it only scores records that staff already hold under the case-management policy.';
    await justification.fill(reason);
    await editor.getByRole('button', { name: 'Save A.7.3' }).click();
    await editor.waitFor({ state: 'detached' });
    const row = page.getByTestId('soa-row-A.7.3');
    await expect(row.textContent()).resolves.toContain('Excluded');
    await expect(row.textContent()).resolves.toContain(reason);

    await page.reload();
    await page.getByTestId('soa-row-A.7.3').waitFor();
    await expect(page.getByTestId('soa-row-A.7.3').textContent()).resolves.toContain(reason);
    const saved = (await entriesOf(page, draft.id)).find((entry) => entry.controlId === 'A.7.3')!;
    expect(saved.decision).toBe('excluded');
    expect(saved.justification).toBe(reason);
    expect(saved.implementationStatus).toBeNull();
  });

  it('explains a conflicting edit and saves after a reload', async () => {
    const page = await workspace.signIn('admin');
    await openSoa(page);
    await page.getByTestId('soa-version-note').getByText('v2 is a draft', { exact: true }).waitFor();
    const draft = (await versionsOf(page)).find((version) => version.status === 'draft')!;
    const ref = 'iso42001:A.7.4';

    await page.getByRole('button', { name: 'Edit A.7.4' }).click();
    const editor = page.getByRole('group', { name: /^Edit A\.7\.4 / });
    const before = (await entriesOf(page, draft.id)).find((entry) => entry.controlRef === ref)!;
    const other = await page.request.patch(`/api/soa/versions/${draft.id}/entries/${encodeURIComponent(ref)}`, {
      data: { notes: 'Changed by a colleague in another tab.' },
      headers: { 'if-match': `"${before.version}"` },
    });
    expect(other.status()).toBe(200);

    await editor.getByLabel('Notes').fill('Data quality checks run in the nightly pipeline.');
    await editor.getByRole('button', { name: 'Save A.7.4' }).click();
    await editor.getByRole('alert').filter({ hasText: 'Someone else changed this record' }).waitFor();
    await editor.getByRole('button', { name: 'Reload the current version' }).click();
    await editor.getByRole('alert').waitFor({ state: 'detached' });
    await expect(editor.getByLabel('Notes').inputValue()).resolves.toBe('Data quality checks run in the nightly pipeline.');
    await editor.getByRole('button', { name: 'Save A.7.4' }).click();
    await editor.waitFor({ state: 'detached' });
    const after = (await entriesOf(page, draft.id)).find((entry) => entry.controlRef === ref)!;
    expect(after.notes).toBe('Data quality checks run in the nightly pipeline.');
    expect(after.version).toBe(before.version + 2);
  });

  it('hides approval from risk owner and author', async () => {
    const riskOwner = await signInAs('riskowner', riskOwnerPassword);
    await openSoa(riskOwner);
    await riskOwner.getByTestId('soa-version-note').getByText('v2 is a draft', { exact: true }).waitFor();
    await riskOwner.getByRole('button', { name: 'Edit A.2.2' }).waitFor();
    await expect(riskOwner.getByRole('button', { name: /^Approve/ }).count()).resolves.toBe(0);

    // The administrator started and edited v2, so the button is disabled and shows the reason.
    const admin = await workspace.signIn('admin');
    await openSoa(admin);
    const approve = admin.getByRole('button', { name: 'Approve v2' });
    await expect(approve.isDisabled()).resolves.toBe(true);
    const reasonId = await approve.getAttribute('aria-describedby');
    await expect(admin.locator(`[id="${reasonId}"]`).textContent()).resolves.toBe(
      'You started or edited v2, so you may not approve it. An approver who did not write the draft must approve it.',
    );

    // The API applies the same rule.
    const draft = (await versionsOf(admin)).find((version) => version.status === 'draft')!;
    const rejected = await admin.request.post(`/api/soa/versions/${draft.id}/approve`, { data: {}, headers: { 'if-match': `"${draft.version}"` } });
    expect(rejected.status()).toBe(403);
    const rejection = (await rejected.json()) as { error: { message: string } };
    expect(rejection.error.message).toMatch(/admin wrote part of Statement of Applicability v2, so may not approve it/);
  });

  it('approves the draft, which then reads only', async () => {
    const page = await signInAs('approver', approverPassword);
    await openSoa(page);
    await page.getByTestId('soa-version-note').getByText('v2 is a draft', { exact: true }).waitFor();
    // An approver reads the draft but does not edit it.
    await expect(page.getByRole('button', { name: /^Edit A\./ }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Approve v2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve v2?' });
    await dialog.getByLabel('Approval note (optional)').fill('Approved after the data exclusion was reviewed.');
    await dialog.getByRole('button', { name: 'Approve and freeze' }).click();
    await page.getByTestId('soa-version-note').getByText('v2 is approved and read-only', { exact: true }).waitFor();
    await page.getByText('Approval note: Approved after the data exclusion was reviewed.').waitFor();

    const versions = await versionsOf(page);
    expect(versions.map((version) => [version.number, version.status])).toEqual([
      [2, 'approved'],
      [1, 'approved'],
    ]);

    const admin = await workspace.signIn('admin');
    await openSoa(admin);
    await admin.getByTestId('soa-version-note').getByText('v2 is approved and read-only', { exact: true }).waitFor();
    await expect(admin.getByRole('button', { name: /^Edit A\./ }).count()).resolves.toBe(0);
    await expect(admin.getByRole('button', { name: /^Approve/ }).count()).resolves.toBe(0);
  });

  it('shows the difference between two versions', async () => {
    const page = await workspace.signIn('admin');
    await openSoa(page);
    await page.getByRole('tab', { name: 'Versions and differences' }).click();
    const diffTable = page.getByTestId('soa-diff');
    await diffTable.waitFor();

    const [newer, older] = await versionsOf(page);
    const diff = await readJson<{ differences: Array<{ controlRef: string; fields: Array<{ field: string; before: unknown; after: unknown }> }> }>(
      page,
      `/api/soa/versions/${newer!.id}/diff?against=${older!.id}`,
    );
    expect(diff.differences.map((difference) => difference.controlRef)).toEqual(['iso42001:A.7.3', 'iso42001:A.7.4']);
    const rowCount = diff.differences.reduce((total, difference) => total + difference.fields.length, 0);
    await expect(diffTable.locator('tbody tr').count()).resolves.toBe(rowCount);

    const decisionRow = diffTable.locator('tbody tr').filter({ has: page.locator('td:nth-child(2)', { hasText: /^Applicability$/ }) });
    await expect(decisionRow.locator('td').nth(2).textContent()).resolves.toBe('Applicable');
    await expect(decisionRow.locator('td').nth(3).textContent()).resolves.toBe('Excluded');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '04b-soa-diff');
  });

  it('exports the version as a CSV and an XLSX download', async () => {
    const page = await workspace.signIn('admin');
    await openSoa(page);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toBe('statement-of-applicability-v2.csv');
    const csv = fs.readFileSync((await csvDownload.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^Control,Title,Group,Decision,Justification/);
    expect(lines).toHaveLength(39);
    expect(lines.find((line) => line.startsWith('A.7.3,'))).toContain('Excluded');
    await page.getByText('Downloaded statement-of-applicability-v2.csv').waitFor();

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Excel (XLSX)' }).click()]);
    expect(xlsxDownload.suggestedFilename()).toBe('statement-of-applicability-v2.xlsx');
    const workbook = fs.readFileSync((await xlsxDownload.path())!);
    expect(workbook.length).toBeGreaterThan(1000);
    // An XLSX file is a ZIP archive.
    expect(workbook.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('downloads after signing in again', async () => {
    const page = await workspace.signIn('admin');
    await openSoa(page);
    await expireSession(page, workspace.dataDir);

    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await dialog.getByLabel(/^Password/).fill(adminPassword);
    await dialog.getByRole('button', { name: 'Sign in and continue' }).click();
    await dialog.waitFor({ state: 'detached' });

    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('statement-of-applicability-v2.csv');
    expect(fs.readFileSync((await download.path())!, 'utf8')).toMatch(/^Control,Title,Group,Decision,Justification/);
    await page.getByText('Downloaded statement-of-applicability-v2.csv').waitFor();
  });

  it('shows the internal auditor no edit controls', async () => {
    const page = await workspace.signIn('auditor');
    await openSoa(page);
    await page.getByText('You are signed in as an internal auditor, so the Statement of Applicability is read-only for you.').waitFor();
    await page.getByLabel('Version', { exact: true }).selectOption({ label: 'v1 · approved · Statement of Applicability' });
    await page.getByTestId('soa-version-note').getByText('v1 is approved and read-only', { exact: true }).waitFor();
    await expect(page.getByRole('button', { name: /^Edit / }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Approve/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Start a new draft' }).count()).resolves.toBe(0);
    // Reading and exporting stay open to the auditor.
    await page.getByRole('button', { name: 'CSV' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('stays usable at 800 pixels wide', async () => {
    const page = await workspace.signIn('admin', { width: 800, height: 900 });
    await page.goto('/soa');
    await page.getByRole('heading', { level: 1, name: 'Statement of Applicability' }).waitFor();
    await page.getByTestId('soa-row-A.2.2').waitFor();
    const pageWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(800);
    await page.getByLabel('Search controls').fill('Data');
    await page.getByText(/^Showing \d+ of 38 controls$/).waitFor();
    await page.getByRole('tab', { name: 'Versions and differences' }).click();
    await page.getByTestId('soa-diff').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('keeps an edit across tabs and filters', async () => {
    const page = await workspace.signIn('admin');
    const draft = await openDraftOf(page);
    await openSoa(page);
    await page.getByTestId('soa-version-note').getByText(`v${draft.number} is a draft`, { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Edit A.6.2.4' }).click();
    const editor = page.getByRole('group', { name: /^Edit A\.6\.2\.4 / });
    const notes = 'Verification reports are filed with each model release.';
    await editor.getByLabel('Notes').fill(notes);

    // Opening the history neither opens the leave dialog nor loses the edit.
    await page.getByRole('tab', { name: 'Versions and differences' }).click();
    await page.getByRole('table', { name: 'Statement of Applicability versions' }).waitFor();
    await expect(page.getByRole('dialog', { name: 'Leave without saving?' }).count()).resolves.toBe(0);
    await page.getByRole('tab', { name: /^Controls of v/ }).click();
    await expect(editor.getByLabel('Notes').inputValue()).resolves.toBe(notes);

    // A filter that hides the row keeps the edit too.
    await page.getByLabel('Search controls').fill('A.2.2');
    await page.getByTestId('soa-row-A.2.2').waitFor();
    await expect(page.getByRole('dialog', { name: 'Leave without saving?' }).count()).resolves.toBe(0);
    await page.getByLabel('Search controls').fill('');
    await expect(editor.getByLabel('Notes').inputValue()).resolves.toBe(notes);

    await editor.getByRole('button', { name: 'Save A.6.2.4' }).click();
    await editor.waitFor({ state: 'detached' });
    const saved = (await entriesOf(page, draft.id)).find((entry) => entry.controlId === 'A.6.2.4')!;
    expect(saved.notes).toBe(notes);
  });

  it('shows dates in one style', async () => {
    const page = await workspace.signIn('admin');
    const draft = await openDraftOf(page);
    await openSoa(page);
    const { createdAt } = await readJson<{ createdAt: string }>(page, `/api/soa/versions/${draft.id}`);
    const started = page.getByTestId('soa-version-note').locator('time');
    await expect(started.getAttribute('datetime')).resolves.toBe(createdAt);
    await expect(started.textContent()).resolves.toMatch(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/);

    await page.getByRole('tab', { name: 'Versions and differences' }).click();
    const cells = page.getByRole('table', { name: 'Statement of Applicability versions' }).locator('tbody time');
    await cells.first().waitFor();
    for (const text of await cells.allTextContents()) expect(text).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
  });

  it('signs in again and saves after expiry', async () => {
    const page = await workspace.signIn('admin');
    const draft = await openDraftOf(page);
    await openSoa(page);
    await page.getByTestId('soa-version-note').getByText(`v${draft.number} is a draft`, { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Edit A.2.2' }).click();
    const editor = page.getByRole('group', { name: /^Edit A\.2\.2 / });
    const notes = 'The AI policy is reviewed by the board every spring.';
    await editor.getByLabel('Notes').fill(notes);
    await expireSession(page, workspace.dataDir);

    await editor.getByRole('button', { name: 'Save A.2.2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await expect(dialog.getByLabel('Username').inputValue()).resolves.toBe('admin');
    // The screen stays behind the dialog with what was typed.
    await expect(page.getByRole('heading', { level: 1, name: 'Statement of Applicability' }).count()).resolves.toBe(1);
    await expect(editor.getByLabel('Notes').inputValue()).resolves.toBe(notes);

    await dialog.getByLabel(/^Password/).fill('not-the-password');
    await dialog.getByRole('button', { name: 'Sign in and continue' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();

    await dialog.getByLabel(/^Password/).fill(adminPassword);
    await dialog.getByRole('button', { name: 'Sign in and continue' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The save that met the ended session goes through after the sign-in.
    await editor.waitFor({ state: 'detached' });
    const saved = (await entriesOf(page, draft.id)).find((entry) => entry.controlId === 'A.2.2')!;
    expect(saved.notes).toBe(notes);
  });
});
