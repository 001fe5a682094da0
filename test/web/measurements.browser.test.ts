import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;

beforeAll(async () => {
  workspace = await startWorkspace();
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

/** Opens a demo policy run from the list of measurements, by the policy's name. */
async function openRun(page: Page, policyName: string): Promise<void> {
  await page.goto('/measurements?kind=check');
  await page.getByRole('heading', { level: 1, name: 'Measurements' }).waitFor();
  await page.getByRole('link', { name: policyName }).click();
  await page.getByRole('heading', { level: 1, name: policyName }).waitFor();
}

/** Waits until every chart on the page has drawn its canvas. */
async function chartsDrawn(page: Page, count: number): Promise<void> {
  await page.locator('[role="img"] canvas').nth(count - 1).waitFor();
}

describe('the measurement views', { timeout: 90_000 }, () => {
  it('lists the runs of every system with outcome, files and open tasks', async () => {
    const page = await workspace.signIn('admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Measurements/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Measurements' }).waitFor();
    const table = page.getByRole('table').first();
    await table.getByRole('link', { name: 'COMPAS fairness gate' }).waitFor();
    // 3 policy runs and 30 replayed half months.
    await expect(page.getByText('Runs 1–25 of 33').count()).resolves.toBe(1);
    const gateRow = table.getByRole('row').filter({ hasText: 'COMPAS fairness gate' });
    await expect(gateRow.getByText('failed', { exact: true }).count()).resolves.toBe(1);
    expect(await gateRow.textContent()).toMatch(/evaluation: compas-scores-two-years\.csv [0-9a-f]{12}/);

    await page.getByRole('combobox', { name: 'Outcome' }).click();
    await page.getByRole('option', { name: 'passed', exact: true }).click();
    await page.getByRole('link', { name: 'COMPAS fairness gate' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: /COMPAS input drift/ }).waitFor();
    expect(page.url()).toContain('result=passed');

    await page.getByRole('heading', { name: 'Open monitoring tasks' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '08-measurements');
  });

  it('shows the ProPublica rates, intervals and the four-fifths line of the COMPAS gate', async () => {
    const page = await workspace.signIn('admin');
    await openRun(page, 'COMPAS fairness gate');
    const view = page.getByTestId('fairness-view');
    await view.waitFor();
    const rates = view.getByRole('table', { name: 'Confusion counts and error rates by group' });
    const african = rates.locator('tr[data-group="African-American"]');
    const caucasian = rates.locator('tr[data-group="Caucasian"]');
    expect(await african.textContent()).toContain('44.85 %');
    expect(await african.textContent()).toContain('27.99 %');
    expect(await caucasian.textContent()).toContain('23.45 %');
    expect(await caucasian.textContent()).toContain('47.72 %');
    // TN FP FN TP as ProPublica counted them.
    expect(await african.textContent()).toMatch(/3,696\s*990\s*805\s*532\s*1369/);
    // Wilson interval of the African-American false positive rate, 805 of 1,795.
    expect(await african.textContent()).toMatch(/\(42\.\d % to 47\.\d %\)/);
    await expect(rates.locator('tr[data-group="Native American"]').getByText('small group').count()).resolves.toBe(1);

    const fourFifths = page.getByTestId('four-fifths');
    await fourFifths.getByText(/four-fifths line at\s*0\.8/).waitFor();
    await fourFifths.getByText(/not a legal test/).waitFor();
    await expect(fourFifths.getByRole('img', { name: /four-fifths line at 0\.8/ }).count()).resolves.toBe(1);
    await chartsDrawn(page, 2);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '09-fairness');

    await page.getByRole('tab', { name: /Checks/ }).click();
    const checks = page.getByRole('table', { name: 'Checks of the run' });
    const failedRate = checks.getByRole('row').filter({ hasText: 'race=African-American' }).filter({ hasText: 'false positive rate' });
    expect(await failedRate.textContent()).toMatch(/0\.4485.*at most 0\.3.*failed/);
  });

  it('shows the drift test of each column and overlays a selected column', async () => {
    const page = await workspace.signIn('admin');
    await openRun(page, 'COMPAS input drift, violence sample against the general sample');
    const view = page.getByTestId('drift-view');
    await view.waitFor();
    const table = view.getByRole('table', { name: 'Drift test per column' });
    await expect(table.getByRole('row').count()).resolves.toBe(11);
    const priors = table.getByRole('row').filter({ hasText: /^priors_count/ });
    expect(await priors.textContent()).toMatch(/jensen-shannon.*0\.078.*no drift/);

    await view.getByRole('combobox', { name: 'Column to compare' }).click();
    await page.getByRole('option', { name: 'race', exact: true }).click();
    const overlay = view.getByTestId('drift-overlay');
    await overlay.getByRole('img', { name: /distributions of race, overlaid/ }).waitFor();
    await overlay.getByRole('table', { name: 'Distributions of race' }).getByRole('cell', { name: 'African-American' }).waitFor();
    await chartsDrawn(page, 1);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '10-drift');

    await page.getByRole('tab', { name: 'Reproducibility' }).click();
    const files = page.getByRole('table', { name: 'Data files of the run' });
    expect(await files.getByRole('row').filter({ hasText: /^reference/ }).textContent()).toMatch(/compas-scores-two-years\.csv \(csv\), a registered dataset version7,214/);
    expect(await files.getByRole('row').filter({ hasText: /^current/ }).textContent()).toMatch(/compas-scores-two-years-violent\.csv \(csv\)4,743/);
  });

  it('draws the reliability diagram of the decile score with its calibration error', async () => {
    const page = await workspace.signIn('admin');
    await openRun(page, 'COMPAS decile calibration');
    await page.getByRole('tab', { name: 'Calibration' }).click();
    const view = page.getByTestId('calibration-view');
    await view.getByText(/Expected calibration error over 10 equal-width bins:\s*0\.1089/).waitFor();
    await view.getByRole('img', { name: /Reliability diagram/ }).waitFor();
    // The lowest decile, read as 0.05, contains 1,440 defendants of whom 21.39 % reoffended.
    const firstBin = view.getByRole('table', { name: 'Reliability diagram bins' }).getByRole('row').nth(1);
    expect(await firstBin.textContent()).toMatch(/1440.*0\.05.*0\.2139/);
    await chartsDrawn(page, 1);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '11-calibration');
  });

  it('charts the replayed false positive rates with control limits', async () => {
    const page = await workspace.signIn('admin');
    await openRun(page, 'COMPAS fairness gate');
    await page.getByRole('tab', { name: 'Time series' }).click();
    const view = page.getByTestId('kpi-series-view');
    await view.getByText(/31 points\. Shewhart chart over the first 20 points: centre 0\.\d+, sigma 0\.\d+, control limits/).waitFor();
    await view.getByRole('img', { name: /centre line and control limits/ }).waitFor();
    await view.getByRole('heading', { name: 'Breaches' }).waitFor();
    await chartsDrawn(page, 1);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '12-time-series');

    await view.getByRole('combobox', { name: 'Group or column' }).click();
    await page.getByRole('option', { name: 'race=Caucasian' }).click();
    await view.getByText(/31 points\./).waitFor();
  });

  it('stays usable at 800 px and read-only for the internal auditor', async () => {
    const page = await workspace.signIn('auditor', { width: 800, height: 900 });
    await openRun(page, 'COMPAS fairness gate');
    await page.getByTestId('fairness-view').waitFor();
    // The function runs in the page, where document exists; this file has no DOM types.
    const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    // Wide tables scroll inside their own box; the page itself does not.
    expect(width).toBeLessThanOrEqual(800);
    await page.getByRole('tab', { name: 'Time series' }).click();
    await page.getByTestId('kpi-series-view').getByRole('img', { name: /control limits/ }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The measurement screens change nothing, so the auditor gets no button that writes.
    await expect(page.getByRole('button', { name: /close|edit|delete|save/i }).count()).resolves.toBe(0);
  });
});
