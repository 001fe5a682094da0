import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;

beforeAll(async () => {
  workspace = await startWorkspace();
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

describe('the web app shell', { timeout: 90_000 }, () => {
  it('rejects a wrong password, then signs in', async () => {
    const context = await workspace.browser.newContext({ baseURL: workspace.url });
    const page = await context.newPage();
    await page.goto('/ai-systems');
    await page.getByRole('heading', { name: 'Sign in to custos' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '00-sign-in');

    await page.getByLabel('Username').fill('admin');
    await page.getByLabel(/^Password/).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Sign-in failed/);

    await page.getByLabel(/^Password/).fill('admin-password-for-browser-tests');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The address asked for before signing in is the one shown after.
    await page.getByRole('heading', { level: 1, name: 'AI systems' }).waitFor();
    await context.close();
  });

  it('lists every screen and signs out', async () => {
    const page = await workspace.signIn('admin');
    expect(await page.getByTestId('signed-in-user').textContent()).toMatch(/administrator/);
    const navigation = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Dashboard', 'AI systems', 'Statement of Applicability', 'Gap assessment', 'Risks', 'Measurements', 'Evidence', 'Audit trail']) {
      await expect(navigation.getByRole('link', { name: new RegExp(`^${label}`) }).count()).resolves.toBe(1);
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to custos' }).waitFor();
    // The session cookie is gone: a reload stays on the sign-in.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to custos' }).waitFor();
  });

  it('marks the auditor read-only', async () => {
    const page = await workspace.signIn('auditor');
    await page.getByText('read-only', { exact: true }).waitFor();
  });

  it('signs in with no console error', async () => {
    const context = await workspace.browser.newContext({ baseURL: workspace.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in to custos' }).waitFor();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel(/^Password/).fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(errors).toEqual([]);

    // A reload with the session still open goes straight back to the screen.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to custos' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reaches main through the skip link', async () => {
    const page = await workspace.signIn('admin');
    // Tab order starts at the top of a freshly loaded page.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.keyboard.press('Tab');
    const skipLink = page.getByRole('link', { name: 'Skip to main content' });
    await expect(page.locator(':focus').textContent()).resolves.toBe('Skip to main content');
    await expect(skipLink.isVisible()).resolves.toBe(true);

    await page.keyboard.press('Enter');
    await expect(page.locator('#main-content:focus').count()).resolves.toBe(1);
    await expect(page.url()).toBe(`${workspace.url}/`);
    // The next Tab stop is inside the screen, past the header and the navigation.
    await page.keyboard.press('Tab');
    await expect(page.locator('main :focus').count()).resolves.toBe(1);
  });

  it('moves focus to the new heading', async () => {
    const page = await workspace.signIn('admin');
    await page.goto('/risks');
    await page.getByRole('heading', { level: 1, name: 'Risks' }).waitFor();
    // A fresh load leaves focus to the browser.
    await expect(page.locator(':focus').count()).resolves.toBe(0);

    const navigation = page.getByRole('navigation', { name: 'Main' });
    await navigation.getByRole('link', { name: /^AI systems/ }).click();
    await expect(page.locator('h1:focus').textContent({ timeout: 5_000 })).resolves.toBe('AI systems');

    // Typing a filter changes only the query string, so the field keeps focus.
    const search = page.getByLabel('Search');
    await search.fill('COMPAS');
    await page.waitForURL(/q=COMPAS/);
    await expect(page.locator(':focus').getAttribute('id')).resolves.toBe(await search.getAttribute('id'));

    // The keyboard path: Enter on a navigation link.
    await navigation.getByRole('link', { name: /^Evidence/ }).press('Enter');
    await expect(page.locator('h1:focus').textContent({ timeout: 5_000 })).resolves.toBe('Evidence');
  });

  it('leads back from an unknown screen', async () => {
    const page = await workspace.signIn('admin');
    await page.goto('/no-such-screen');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  });
});
