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

interface ScoreRow {
  itemId: string | null;
  weightedMean: number | null;
  percentOfTarget: number | null;
  levelCounts: number[];
}

interface Scores {
  assessmentId: string;
  overall: ScoreRow;
  clauses: ScoreRow[];
  annexAGroups: ScoreRow[];
}

async function readJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(path);
  expect(response.status(), `GET ${path}`).toBe(200);
  return (await response.json()) as T;
}

async function openGapAssessment(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Gap assessment/ }).click();
  // The pointer leaves the navigation, so that the checks see the screen as a reader sees it, not a hovered link.
  await page.mouse.move(0, 0);
  await page.getByRole('heading', { level: 1, name: 'Gap assessment' }).waitFor();
  await page.getByTestId('assessment-summary').waitFor();
}

/** Reads the cells of a table row as text, header cell first. */
async function rowCells(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).locator('th, td').allTextContents();
}

describe('gap assessment screen', { timeout: 90_000 }, () => {
  it('shows the heatmap and trend with the demo scores', async () => {
    const page = await workspace.signIn('admin');
    await openGapAssessment(page);
    await page.getByTestId('maturity-table').waitFor();

    const assessments = await readJson<{ items: Array<{ id: string; status: string }> }>(page, '/api/assessments?mode=gap');
    expect(assessments.items).toHaveLength(1);
    const scores = await readJson<Scores>(page, `/api/assessments/${assessments.items[0]!.id}/scores`);

    for (const row of [scores.clauses.find((clause) => clause.itemId === '6')!, scores.annexAGroups.find((group) => group.itemId === 'A.6')!]) {
      const cells = await rowCells(page, `maturity-row-${row.itemId}`);
      expect(cells[1]).toBe(row.weightedMean!.toFixed(2));
      expect(cells[2]).toBe(`${row.percentOfTarget!.toFixed(1)}%`);
      expect(cells.slice(3, 9)).toEqual(row.levelCounts.map(String));
    }
    const overall = await rowCells(page, 'maturity-row-overall');
    expect(overall[1]).toBe(scores.overall.weightedMean!.toFixed(2));
    await expect(page.getByTestId('maturity-table').locator('tbody tr').count()).resolves.toBe(scores.clauses.length + scores.annexAGroups.length + 1);

    const heatmap = page.getByRole('img', { name: /^Heatmap of / });
    expect(await heatmap.locator('canvas').count()).toBeGreaterThan(0);

    const trend = await readJson<{ items: Scores[] }>(page, '/api/assessments/trend');
    expect(trend.items).toHaveLength(1);
    const trendRow = page.getByTestId('trend-table').locator('tbody tr').first();
    await expect(trendRow.locator('th, td').allTextContents()).resolves.toEqual(['All items in scope', trend.items[0]!.overall.weightedMean!.toFixed(2)]);
    expect(await page.getByRole('img', { name: /^Line chart of the weighted mean maturity/ }).locator('canvas').count()).toBeGreaterThan(0);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '05-gap-assessment');
  });

  it('keeps a completed assessment read-only', async () => {
    const page = await workspace.signIn('admin');
    await openGapAssessment(page);
    await page.getByText(/its answers are frozen/).waitFor();
    await page.getByRole('tab', { name: 'Questionnaire' }).click();
    await page.getByTestId('answer-row-4.1').waitFor();
    await expect(page.getByRole('button', { name: /^Answer / }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Complete the assessment' }).count()).resolves.toBe(0);
    await expect(page.getByText(/^Showing 70 of 70 items$/).count()).resolves.toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('answers an item, errors beside fields', async () => {
    const page = await workspace.signIn('admin');
    await openGapAssessment(page);
    await page.getByRole('button', { name: 'Start a gap assessment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a gap assessment' });
    await dialog.getByLabel('Title').fill('Surveillance audit readiness');
    await dialog.getByRole('button', { name: 'Start the assessment' }).click();
    await page.getByTestId('answer-row-4.1').waitFor();
    await page.getByText('In progress', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Answer 4.1' }).click();
    const editor = page.getByRole('group', { name: /^Answer 4\.1 / });
    // The API rejects "not applicable" without a reason and names the reason field.
    await editor.getByLabel('Not applicable to this organization').check();
    await editor.getByRole('button', { name: 'Save 4.1' }).click();
    await editor.getByText(/is required when the item is marked not applicable/).waitFor();
    const reason = editor.getByLabel('Why it does not apply');
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    const errorText = await page.locator(`[id="${await reason.getAttribute('id')}-error"]`).textContent();
    expect(errorText).toMatch(/is required when the item is marked not applicable/);

    await editor.getByLabel('Not applicable to this organization').uncheck();
    await editor.getByLabel('Maturity level').selectOption('3');
    await editor.getByLabel('Notes').fill('Context analysis reviewed at the last management review.');
    await editor.getByRole('button', { name: 'Save 4.1' }).click();
    await editor.waitFor({ state: 'detached' });
    await expect(page.getByTestId('answer-row-4.1').textContent()).resolves.toContain('3 Defined');

    const list = await readJson<{ items: Array<{ id: string; title: string }> }>(page, '/api/assessments?mode=gap&status=in_progress');
    const created = list.items.find((item) => item.title === 'Surveillance audit readiness')!;
    const answer = await readJson<{ maturity: number; comment: string }>(page, `/api/assessments/${created.id}/answers/${encodeURIComponent('iso42001:4.1')}`);
    expect(answer.maturity).toBe(3);
    expect(answer.comment).toBe('Context analysis reviewed at the last management review.');
    await page.getByText(/^1 of 70 items have a maturity level/).waitFor();
  });

  it('shows the internal auditor no edit controls', async () => {
    const page = await workspace.signIn('auditor');
    await openGapAssessment(page);
    await page.getByText('You are signed in as an internal auditor, so the assessment is read-only for you.').waitFor();
    await expect(page.getByRole('button', { name: 'Start a gap assessment' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Complete the assessment' }).count()).resolves.toBe(0);
    await page.getByRole('tab', { name: 'Questionnaire' }).click();
    await page.getByTestId('answer-row-4.1').waitFor();
    await expect(page.getByRole('button', { name: /^Answer / }).count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
