import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;

beforeAll(async () => {
  workspace = await startWorkspace();
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

interface Facets {
  categories: { id: string; name: string; count: number }[];
}

interface HeatmapBody {
  cells: { likelihood: number; impact: number; count: number }[];
  total: number;
  unrated: number;
  offMatrix: number;
}

async function readJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  expect(response.status(), url).toBe(200);
  return (await response.json()) as T;
}

async function rowCount(page: Page, expected: number): Promise<number> {
  await page.getByTestId('risk-count').filter({ hasText: new RegExp(` of ${expected} risks?$`) }).waitFor();
  return page.getByTestId('risk-row').count();
}

/** Reads the first risk of the demo by title, which the tests open. */
async function firstRisk(page: Page): Promise<{ id: string; title: string; version: number }> {
  const risks = await readJson<{ items: { id: string; title: string; version: number }[] }>(page, '/api/risks?limit=1&sort=title');
  return risks.items[0]!;
}

describe('the risk register', { timeout: 90_000 }, () => {
  it('filters by category and by a heatmap cell', async () => {
    const page = await workspace.signIn('admin');
    await page.goto('/risks');
    const total = (await readJson<{ total: number }>(page, '/api/risks?limit=1')).total;
    expect(await rowCount(page, total)).toBe(Math.min(total, 25));

    // The heatmap's cells, unrated and off-matrix risks add up to the risks listed.
    const heatmap = await readJson<HeatmapBody>(page, '/api/dashboard/risk-heatmap');
    let shownSum = 0;
    for (const cell of heatmap.cells) {
      const text = await page.getByTestId(`heatmap-cell-${cell.likelihood}-${cell.impact}`).textContent();
      shownSum += Number.parseInt(text ?? '', 10);
    }
    expect(shownSum + heatmap.unrated + heatmap.offMatrix).toBe(total);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '06-risks');

    const facets = await readJson<Facets>(page, '/api/dashboard/risk-facets');
    const category = facets.categories.filter((entry) => entry.count > 0).sort((a, b) => a.count - b.count)[0]!;
    await page.getByRole('combobox', { name: 'Category' }).click();
    await page.getByRole('option', { name: `${category.name} (${category.count})` }).click();
    expect(await rowCount(page, category.count)).toBe(category.count);
    expect(new URL(page.url()).searchParams.get('category')).toBe(category.id);
    const filteredHeatmap = await readJson<HeatmapBody>(page, `/api/dashboard/risk-heatmap?category=${category.id}`);
    await page.getByTestId('heatmap-totals').filter({ hasText: `${filteredHeatmap.total} in all` }).waitFor();

    // Pressing a cell narrows the table to it; pressing it again shows every cell.
    const cell = filteredHeatmap.cells.find((candidate) => candidate.count > 0)!;
    const cellButton = page.getByTestId(`heatmap-cell-${cell.likelihood}-${cell.impact}`);
    await cellButton.click();
    // The cell may hold every risk of the category, so the row count alone cannot show that the filter applied.
    await expect.poll(() => cellButton.getAttribute('aria-pressed')).toBe('true');
    expect(new URL(page.url()).searchParams.get('likelihood')).toBe(String(cell.likelihood));
    expect(await rowCount(page, cell.count)).toBe(cell.count);
    const listed = await readJson<{ total: number }>(page, `/api/risks?limit=1&category=${category.id}&likelihood=${cell.likelihood}&impact=${cell.impact}`);
    expect(listed.total).toBe(cell.count);
    await cellButton.click();
    await expect.poll(() => cellButton.getAttribute('aria-pressed')).toBe('false');
    expect(await rowCount(page, category.count)).toBe(category.count);
  });

  it('adds a treatment and shows the API error next to its field', async () => {
    const page = await workspace.signIn('admin');
    const risk = await firstRisk(page);
    await page.goto('/risks');
    await page.getByRole('link', { name: risk.title }).click();
    await page.getByRole('heading', { level: 1, name: risk.title }).waitFor();
    await page.getByTestId('treatment-row').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '07-risk-detail');
    const before = await page.getByTestId('treatment-row').count();
    // The admin may change a treatment's status in place; the auditor test checks that this control is absent.
    expect(await page.getByRole('combobox', { name: /^Status of the treatment/ }).count()).toBe(before);

    await page.getByRole('button', { name: 'Add a treatment' }).click();
    const description = page.getByRole('textbox', { name: 'What will be done' });
    await description.fill('   ');
    await page.getByRole('button', { name: 'Add the treatment' }).click();
    // The API rejects a blank description; its message shows under the field, tied to it.
    await expect.poll(() => description.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await description.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('error'));
    expect(errorId).toBeDefined();
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toMatch(/\S/);

    await description.fill('Review the decile cut-offs with the court liaison team');
    await page.getByRole('textbox', { name: 'Due date' }).fill('2031-03-31');
    await page.getByRole('textbox', { name: 'Success metric' }).fill('Cut-offs documented and approved');
    await page.getByRole('button', { name: 'Add the treatment' }).click();
    await page.getByTestId('treatment-row').filter({ hasText: 'Review the decile cut-offs with the court liaison team' }).waitFor();
    expect(await page.getByTestId('treatment-row').count()).toBe(before + 1);
    const treatments = await readJson<{ description: string; dueDate: string }[]>(page, `/api/risks/${risk.id}/treatments`);
    expect(treatments.find((treatment) => treatment.description.startsWith('Review the decile'))?.dueDate).toBe('2031-03-31');
  });

  it('explains a conflicting edit and saves after a reload', async () => {
    const page = await workspace.signIn('admin');
    const risk = await firstRisk(page);
    await page.goto(`/risks/${risk.id}`);
    await page.getByRole('button', { name: 'Edit the risk' }).click();
    const description = page.getByRole('textbox', { name: 'Description' });
    await description.fill('Edited in the browser while someone else changed the risk');

    // Someone else changes the risk in between.
    const current = await readJson<{ version: number }>(page, `/api/risks/${risk.id}`);
    const other = await page.request.patch(`/api/risks/${risk.id}`, { data: { threat: 'Changed by another session' }, headers: { 'if-match': `"${current.version}"` } });
    expect(other.status()).toBe(200);

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Someone else changed this record since you opened it').waitFor();
    expect(await description.inputValue()).toBe('Edited in the browser while someone else changed the risk');
    await page.getByRole('button', { name: 'Reload the current version' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Summary' }).waitFor();
    const saved = await readJson<{ description: string; threat: string }>(page, `/api/risks/${risk.id}`);
    expect(saved.description).toBe('Edited in the browser while someone else changed the risk');
    expect(saved.threat).toBe('Changed by another session');
  });

  it('shows the internal auditor no edit controls', async () => {
    const page = await workspace.signIn('auditor');
    const risk = await firstRisk(page);
    await page.goto(`/risks/${risk.id}`);
    await page.getByRole('heading', { level: 1, name: risk.title }).waitFor();
    await page.getByTestId('treatment-row').first().waitFor();
    expect(await page.getByRole('button', { name: 'Edit the risk' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add a treatment' }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: /^Status of the treatment/ }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
