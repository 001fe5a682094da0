import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

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

  it('leads back from an unknown screen', async () => {
    const page = await workspace.signIn('admin');
    await page.goto('/no-such-screen');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  });
});
