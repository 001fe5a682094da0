import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;

beforeAll(async () => {
  workspace = await startWorkspace();
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

const compasName = 'COMPAS recidivism risk assessment';

interface ListedSystem {
  id: string;
  name: string;
  version: number;
  classification: { stale: boolean } | null;
}

/** Reads GET /api/ai-systems with the browser's session, as the screen does. */
async function listSystems(request: APIRequestContext, query: string): Promise<{ items: ListedSystem[]; total: number }> {
  const response = await request.get(`/api/ai-systems?${query}`);
  expect(response.status(), query).toBe(200);
  return (await response.json()) as { items: ListedSystem[]; total: number };
}

async function compasId(page: Page): Promise<string> {
  const found = await listSystems(page.request, `q=${encodeURIComponent(compasName)}`);
  expect(found.total).toBe(1);
  return found.items[0]!.id;
}

async function rangeText(page: Page): Promise<string> {
  return (await page.getByTestId('register-range').textContent()) ?? '';
}

async function waitForRange(page: Page, expected: string): Promise<void> {
  await page.getByTestId('register-range').filter({ hasText: expected }).waitFor({ timeout: 15_000 });
  // The table stays dimmed (aria-busy) while the rows shown are those of the previous request.
  await page.locator('table[aria-busy="false"]').waitFor();
}

/** Finds the link in the first row once the rows shown are those of the latest request. */
function firstRowLink(page: Page, name: string) {
  return page.locator('table[aria-busy="false"] tbody tr').first().getByRole('link', { name, exact: true });
}

async function registerRows(page: Page) {
  return page.locator('table[aria-busy] tbody tr');
}

describe('AI system register and detail', { timeout: 90_000 }, () => {
  it('finds COMPAS by search and opens it', async () => {
    const page = await workspace.signIn('admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^AI systems/ }).click();
    await page.getByRole('heading', { level: 1, name: 'AI systems' }).waitFor();
    // The pointer would otherwise rest on the navigation link, whose hover colours axe would judge.
    await page.mouse.move(1200, 880);
    const all = await listSystems(page.request, 'limit=1');
    await waitForRange(page, `1–50 of ${all.total}`);
    expect(await (await registerRows(page)).count()).toBe(50);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '02-ai-systems-register');

    await page.getByLabel('Search').fill('COMPAS');
    await waitForRange(page, '1–1 of 1');
    expect(page.url()).toContain('q=COMPAS');
    await page.getByRole('link', { name: compasName }).click();
    await page.getByRole('heading', { level: 1, name: compasName }).waitFor();
    expect(page.url()).toMatch(/\/ai-systems\/[0-9a-f-]{36}$/);
    await page.getByText('Broward County pretrial services (Florida)').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '03-ai-system-detail');

    // Back restores the search.
    await page.goBack();
    await waitForRange(page, '1–1 of 1');
    expect(await page.getByLabel('Search').inputValue()).toBe('COMPAS');
  });

  it('narrows by tier and stale classification', async () => {
    const page = await workspace.signIn('admin');

    // Changing the purpose of a classified system makes its classification stale.
    const upToDate = await listSystems(page.request, 'classificationStale=false&sort=name');
    const target = upToDate.items.find((system) => system.name !== compasName)!;
    const patched = await page.request.patch(`/api/ai-systems/${target.id}`, {
      data: { purpose: 'Purpose changed by the browser test so that the classification turns stale' },
      headers: { 'if-match': `"${target.version}"` },
    });
    expect(patched.status()).toBe(200);

    await page.goto('/ai-systems');
    const all = await listSystems(page.request, 'limit=1');
    await waitForRange(page, `of ${all.total}`);

    const highRisk = await listSystems(page.request, 'classificationTier=high-risk');
    expect(highRisk.total).toBeGreaterThan(0);
    expect(highRisk.total).toBeLessThan(all.total);
    await page.getByLabel('Tier').selectOption('high-risk');
    await waitForRange(page, `1–${highRisk.total} of ${highRisk.total}`);
    expect(page.url()).toContain('classificationTier=high-risk');
    const rows = await registerRows(page);
    expect(await rows.count()).toBe(highRisk.total);
    for (const system of highRisk.items) await page.getByRole('link', { name: system.name }).waitFor();

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForRange(page, `of ${all.total}`);

    const stale = await listSystems(page.request, 'classificationStale=true');
    expect(stale.total).toBe(1);
    expect(stale.items[0]!.id).toBe(target.id);
    await page.getByLabel('Classification').selectOption('true');
    await waitForRange(page, '1–1 of 1');
    await page.getByRole('link', { name: target.name }).waitFor();
    expect(await (await registerRows(page)).first().textContent()).toContain('(stale)');
  });

  it('sorts by column and pages through the register', async () => {
    const page = await workspace.signIn('admin');
    await page.goto('/ai-systems');
    const byName = await listSystems(page.request, 'sort=name&limit=50');
    const byNameDescending = await listSystems(page.request, 'sort=-name&limit=1');
    await waitForRange(page, `1–50 of ${byName.total}`);
    const nameHeader = page.getByRole('columnheader', { name: /Name/ });
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await firstRowLink(page, byName.items[0]!.name).waitFor();

    await nameHeader.getByRole('button').click();
    await page.getByRole('columnheader', { name: /Name/, exact: false }).and(page.locator('[aria-sort="descending"]')).waitFor();
    await firstRowLink(page, byNameDescending.items[0]!.name).waitFor();
    expect(page.url()).toContain('sort=-name');

    await page.getByRole('columnheader', { name: /Lifecycle stage/ }).getByRole('button').click();
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Lifecycle stage' }).waitFor();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('none');

    await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Name' }).waitFor();
    await firstRowLink(page, byName.items[0]!.name).waitFor();
    await waitForRange(page, `1–50 of ${byName.total}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await waitForRange(page, `51–100 of ${byName.total}`);
    const secondPage = await listSystems(page.request, 'sort=name&limit=50&offset=50');
    await firstRowLink(page, secondPage.items[0]!.name).waitFor();
    expect(page.url()).toContain('offset=50');

    await page.goBack();
    await waitForRange(page, `1–50 of ${byName.total}`);

    await page.getByLabel('Rows per page').selectOption('100');
    await waitForRange(page, `1–100 of ${byName.total}`);
    expect(await (await registerRows(page)).count()).toBe(100);
    await page.getByRole('button', { name: 'Last' }).click();
    const lastStart = Math.floor((byName.total - 1) / 100) * 100 + 1;
    await waitForRange(page, `${lastStart}–${byName.total} of ${byName.total}`);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
  });

  it('renders every tab of COMPAS', async () => {
    const page = await workspace.signIn('admin');
    const id = await compasId(page);
    await page.goto(`/ai-systems/${id}`);
    await page.getByRole('heading', { level: 1, name: compasName }).waitFor();

    const tab = async (name: string, path: string, expected: string | RegExp) => {
      await page.getByRole('tab', { name }).click();
      await page.waitForURL(`**/ai-systems/${id}/${path}`);
      await page.getByRole('tabpanel').getByText(expected).first().waitFor();
    };

    await tab('Classification', 'classification', 'Annex III 6(d)');
    await page.getByRole('heading', { name: /Rule trace, EU AI Act/ }).waitFor();
    await page.getByText('Up to date: no input it used has changed since.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '03b-ai-system-classification');

    await tab('Impact assessment', 'impact-assessment', `Impact assessment of the ${compasName}`);
    await page.getByText('serves as FRIA (EU AI Act Art 27)').waitFor();

    await tab('Risks', 'risks', 'Unequal false positive rates across racial groups');
    expect(await page.getByRole('tabpanel').getByRole('link', { name: 'Unequal false positive rates across racial groups' }).getAttribute('href')).toMatch(/^\/risks\//);

    await tab('Controls', 'controls', 'A.6.2.4');
    await page.getByText(/Statement of Applicability, version 1 \(approved\)/).waitFor();

    await tab('Measurements', 'measurements', 'COMPAS fairness gate');
    const runs = (await (await page.request.get(`/api/ai-systems/${id}/measurements?limit=1`)).json()) as { items: { id: string }[]; total: number };
    expect(await page.getByRole('tabpanel').getByRole('link').first().getAttribute('href')).toBe(`/measurements/${runs.items[0]!.id}`);
    await page.getByText(`of ${runs.total} runs`).waitFor();

    await tab('Models and datasets', 'models-and-datasets', 'COMPAS Risk of Recidivism scale');
    await page.getByText('COMPAS scores and two-year outcomes, Broward County').first().waitFor();

    await tab('Audit history', 'audit-history', 'ai_system.created');

    // The address alone opens a tab.
    await page.goto(`/ai-systems/${id}/risks`);
    await page.getByRole('tab', { name: 'Risks', selected: true }).waitFor();
  });

  it('saves an edit into the audit history', async () => {
    const page = await workspace.signIn('admin');
    const id = await compasId(page);
    await page.goto(`/ai-systems/${id}`);
    await page.getByRole('button', { name: 'Edit AI system' }).click();

    // A name of blanks is refused by the API, and the message sits under the field.
    const name = page.getByLabel(/^Name/);
    await name.fill('   ');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('input[aria-invalid="true"]').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    const errorId = ((await name.getAttribute('aria-describedby')) ?? '').split(' ').find((part) => part.endsWith('-error'));
    expect(errorId).toBeDefined();
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toMatch(/\S/);

    // Leaving with unsaved changes opens a confirmation first.
    await page.getByRole('link', { name: '← AI systems' }).click();
    await page.getByRole('dialog', { name: 'Leave without saving?' }).waitFor();
    await page.getByRole('button', { name: 'Stay and keep editing' }).click();

    await name.fill(compasName);
    const legalBasis = 'Florida statutes on pretrial release, as recorded by the browser test';
    await page.getByLabel('Legal basis').fill(legalBasis);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: /Saved as version \d+/ }).waitFor();
    await page.getByText(legalBasis).waitFor();

    await page.getByRole('tab', { name: 'Audit history' }).click();
    const firstRow = page.getByRole('tabpanel').locator('tbody tr').first();
    await firstRow.getByText('ai_system.updated').waitFor();
    expect(await firstRow.textContent()).toContain(legalBasis);
    expect(await firstRow.textContent()).toContain('(you)');
  });

  it('explains a conflicting edit and reapplies it', async () => {
    const page = await workspace.signIn('admin');
    const id = await compasId(page);
    await page.goto(`/ai-systems/${id}`);
    await page.getByRole('button', { name: 'Edit AI system' }).click();
    const mine = 'Decision support only; the browser test typed this before the conflict';
    await page.getByLabel('Intended use').fill(mine);

    // Someone else changes the record in between.
    const current = await page.request.get(`/api/ai-systems/${id}`);
    const theirs = 'Changed elsewhere while the form was open';
    const other = await page.request.patch(`/api/ai-systems/${id}`, { data: { scopeJustification: theirs }, headers: { 'if-match': current.headers().etag! } });
    expect(other.status()).toBe(200);

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this record since you opened it' }).waitFor();
    expect(await page.getByLabel('Intended use').inputValue()).toBe(mine);

    await page.getByRole('button', { name: 'Reload the current version' }).click();
    await expect.poll(() => page.getByLabel('Scope justification').inputValue()).toBe(theirs);
    expect(await page.getByLabel('Intended use').inputValue()).toBe(mine);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: /Saved as version/ }).waitFor();

    const saved = (await (await page.request.get(`/api/ai-systems/${id}`)).json()) as { intendedUse: string; scopeJustification: string };
    expect(saved.intendedUse).toBe(mine);
    expect(saved.scopeJustification).toBe(theirs);
  });

  it('checks a long name before sending', async () => {
    const page = await workspace.signIn('admin');
    const id = await compasId(page);
    await page.goto(`/ai-systems/${id}`);
    await page.getByRole('button', { name: 'Edit AI system' }).click();
    const patches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.url());
    });

    // The API's schema allows 200 characters; the browser checks the same schema first.
    const name = page.getByLabel(/^Name/);
    await name.fill('N'.repeat(201));
    await page.getByRole('button', { name: 'Save changes' }).click();
    const message = 'Too long: 201 characters; use at most 200';
    await page.getByText(message, { exact: true }).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    const errorId = ((await name.getAttribute('aria-describedby')) ?? '').split(' ').find((part) => part.endsWith('-error'));
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe(message);
    // The message appears once, next to the field, and nothing went to the server.
    expect(await page.getByText(message).count()).toBe(1);
    expect(await page.getByText(/must be at most|received/).count()).toBe(0);
    expect(patches).toEqual([]);

    await name.fill(compasName);
    await expect.poll(() => name.getAttribute('aria-invalid')).not.toBe('true');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('leads back from an unknown AI system', async () => {
    const page = await workspace.signIn('admin');
    await page.goto('/ai-systems/no-such-system');
    const alert = page.getByRole('alert').filter({ hasText: 'Not found' });
    await alert.waitFor();
    expect(await alert.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await alert.getByRole('link', { name: 'Back to AI systems' }).click();
    await page.getByRole('heading', { level: 1, name: 'AI systems' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ai-systems');
  });

  it('clears a bad address on every list', async () => {
    const page = await workspace.signIn('admin');
    const addresses = [
      '/ai-systems?sort=evil',
      '/ai-systems?classificationTier=evil',
      '/risks?sort=evil',
      '/evidence?kind=evil',
      `/audit-trail?recordType=${'x'.repeat(65)}`,
      '/measurements?kind=evil',
    ];
    for (const address of addresses) {
      await page.goto(address);
      const alert = page.getByRole('alert').filter({ hasText: 'The address contains a filter or sort order that does not exist' }).first();
      await alert.waitFor();
      expect(await page.getByRole('button', { name: 'Try again' }).count(), address).toBe(0);
      expect(await alert.textContent(), address).toMatch(/in the address: /);
      expect(await alert.textContent(), address).not.toContain('querystring');
      await alert.getByRole('button', { name: 'Clear filters' }).click();
      await expect.poll(() => new URL(page.url()).search, { message: address }).toBe('');
      await page.getByRole('alert').filter({ hasText: 'The address contains' }).first().waitFor({ state: 'detached' });
    }
  });

  it('gives the auditor no edit controls', async () => {
    const page = await workspace.signIn('auditor');
    const id = await compasId(page);
    await page.goto(`/ai-systems/${id}`);
    await page.getByRole('heading', { level: 1, name: compasName }).waitFor();
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit AI system' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Record stage change' }).count()).toBe(0);
    const patch = await page.request.patch(`/api/ai-systems/${id}`, { data: { legalBasis: 'auditor attempt' } });
    expect(patch.status()).toBe(403);

    // The auditor may read the audit trail.
    await page.getByRole('tab', { name: 'Audit history' }).click();
    await page.getByRole('tabpanel').getByText('ai_system.created').waitFor();
  });

  it('stays usable at 800 px', async () => {
    const page = await workspace.signIn('admin', { width: 800, height: 900 });
    await page.goto('/ai-systems');
    const all = await listSystems(page.request, 'limit=1');
    await waitForRange(page, `1–50 of ${all.total}`);
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByLabel('Search').fill('COMPAS');
    await waitForRange(page, '1–1 of 1');
    await page.getByRole('link', { name: compasName }).click();
    await page.getByRole('heading', { level: 1, name: compasName }).waitFor();
    await page.getByRole('tab', { name: 'Controls' }).click();
    await page.getByRole('tabpanel').getByText('A.6.2.4').first().waitFor();
  });

  it('picks an owner beyond the first 500 people', async () => {
    const page = await workspace.signIn('admin');
    const id = await compasId(page);
    // The form starts from a current owner, whose name the picker shows.
    const people = (await (await page.request.get('/api/people?limit=1')).json()) as { items: Array<{ id: string; name: string }> };
    const { id: ownerId, name: ownerName } = people.items[0]!;
    const before = (await (await page.request.get(`/api/ai-systems/${id}`)).json()) as { version: number };
    const owned = await page.request.patch(`/api/ai-systems/${id}`, { data: { ownerId }, headers: { 'if-match': `"${before.version}"` } });
    expect(owned.status()).toBe(200);

    // 520 people sort before the new owner, so a picker that reads one page of 500 cannot offer them.
    const fillers = Array.from({ length: 520 }, (_, index) => `Zz Filler ${String(index).padStart(3, '0')}`);
    for (let start = 0; start < fillers.length; start += 20) {
      const statuses = await Promise.all(fillers.slice(start, start + 20).map(async (name) => (await page.request.post('/api/people', { data: { name } })).status()));
      expect(statuses.every((status) => status === 201)).toBe(true);
    }
    const created = await page.request.post('/api/people', { data: { name: 'Zzz Picked Owner', jobTitle: 'Head of model risk' } });
    expect(created.status()).toBe(201);
    const newOwnerId = ((await created.json()) as { id: string }).id;
    const firstPage = (await (await page.request.get('/api/people?limit=500')).json()) as { items: Array<{ id: string }>; total: number };
    expect(firstPage.total).toBeGreaterThan(500);
    expect(firstPage.items.map((person) => person.id)).not.toContain(newOwnerId);

    await page.goto(`/ai-systems/${id}`);
    await page.getByRole('button', { name: 'Edit AI system' }).click();
    const owner = page.getByRole('combobox', { name: 'Owner', exact: true });
    await expect.poll(() => owner.inputValue()).toBe(ownerName);

    await owner.click();
    await page.getByRole('option', { name: /more match\. Type to narrow the list$/ }).waitFor();
    await owner.fill('model risk');
    const option = page.getByRole('option', { name: /^Zzz Picked Owner/ });
    await option.waitFor();
    expect(await option.textContent()).toContain('Head of model risk');
    await option.click();
    await expect.poll(() => owner.inputValue()).toBe('Zzz Picked Owner');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: /Saved as version \d+/ }).waitFor();

    const after = (await (await page.request.get(`/api/ai-systems/${id}`)).json()) as { ownerId: string | null };
    expect(after.ownerId).toBe(newOwnerId);
  });
});
