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

/** Waits until every chart on the page has drawn its canvas or, for the charts drawn as SVG, its SVG. */
async function chartsDrawn(page: Page, count: number): Promise<void> {
  await page.locator('[role="img"] canvas, [role="img"] svg').nth(count - 1).waitFor();
}

interface BadgeBox {
  text: string;
  rootScroll: number;
  rootClient: number;
  labelScroll: number;
  labelClient: number;
}

/** Measures every badge inside the elements the CSS selector finds: its text and whether its box cuts it. */
function measureBadges(page: Page, scope: string): Promise<BadgeBox[]> {
  return page.evaluate((scope) => {
    type Box = { textContent: string | null; scrollWidth: number; clientWidth: number; querySelector: (selector: string) => Box | null };
    const document = (globalThis as unknown as { document: { querySelectorAll: (selector: string) => Box[] } }).document;
    return [...document.querySelectorAll(`${scope} .mantine-Badge-root`)].map((badge) => {
      const label = badge.querySelector('.mantine-Badge-label') ?? badge;
      return { text: badge.textContent ?? '', rootScroll: badge.scrollWidth, rootClient: badge.clientWidth, labelScroll: label.scrollWidth, labelClient: label.clientWidth };
    });
  }, scope);
}

function expectWholeBadges(badges: BadgeBox[], texts: string[], where: string): void {
  expect(badges.length, `badges in ${where}`).toBeGreaterThan(0);
  for (const badge of badges) {
    expect(texts, `badge text in ${where}`).toContain(badge.text);
    expect(badge.labelScroll, `label of "${badge.text}" in ${where}`).toBeLessThanOrEqual(badge.labelClient);
    expect(badge.rootScroll, `box of "${badge.text}" in ${where}`).toBeLessThanOrEqual(badge.rootClient);
  }
}

/** Returns the box of an element in page coordinates. */
async function boxOf(locator: ReturnType<Page['locator']>): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  return box!;
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

    // The line's label lies wholly inside the chart, not cut at its right edge.
    const chart = fourFifths.getByRole('img', { name: /four-fifths line at 0\.8/ });
    const label = chart.locator('svg text').filter({ hasText: 'four-fifths line (0.8)' });
    await label.waitFor();
    const chartBox = await boxOf(chart);
    const labelBox = await boxOf(label);
    expect(labelBox.x).toBeGreaterThanOrEqual(chartBox.x);
    expect(labelBox.x + labelBox.width).toBeLessThanOrEqual(chartBox.x + chartBox.width);
    expect(labelBox.y).toBeGreaterThanOrEqual(chartBox.y);

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

  it('shows every badge whole at 1280 and 800 px', async () => {
    for (const width of [1280, 800]) {
      const page = await workspace.signIn('admin', { width, height: 900 });
      await page.goto('/measurements');
      await page.getByRole('table').first().getByRole('link', { name: 'COMPAS fairness gate' }).waitFor();
      expectWholeBadges(await measureBadges(page, 'main table'), ['passed', 'passed with warnings', 'failed'], `the run list at ${width} px`);

      await openRun(page, 'COMPAS fairness gate');
      await page.getByTestId('fairness-view').waitFor();
      const fairness = await measureBadges(page, '[data-testid="fairness-view"]');
      expect(fairness.map((badge) => badge.text)).toContain('small group');
      expectWholeBadges(fairness, ['small group', 'below 0.8', 'at or above 0.8'], `the fairness view at ${width} px`);
      await page.context().close();
    }
  });

  it('places KPI points at their measurement times', async () => {
    const page = await workspace.signIn('admin');
    await openRun(page, 'COMPAS fairness gate');
    const runId = new URL(page.url()).pathname.split('/').at(-1)!;
    const run = (await (await page.request.get(`/api/measurements/${runId}`)).json()) as { aiSystemId: string; values: { metric: string; group: string | null }[] };
    const first = run.values[0]!;
    const query = new URLSearchParams({ baselineLength: '20', ...(first.group ? { group: first.group } : {}) });
    const report = (await (await page.request.get(`/api/ai-systems/${run.aiSystemId}/kpis/${first.metric}?${query}`)).json()) as {
      series: { group: string | null; points: { measuredAt: string; value: unknown }[] }[];
    };
    const times = report.series.find((series) => series.group === first.group)!.points.filter((point) => typeof point.value === 'number').map((point) => Date.parse(point.measuredAt));
    expect(times.length).toBeGreaterThan(2);

    await page.getByRole('tab', { name: 'Time series' }).click();
    const chart = page.getByTestId('kpi-series-view').getByRole('img', { name: /centre line and control limits/ });
    await chart.locator('svg path').first().waitFor({ state: 'attached' });
    // The value line is the path with the most vertices; its x coordinates are the points' positions.
    const paths = await chart.locator('svg path').evaluateAll((elements) => elements.map((element) => (element as unknown as { getAttribute: (name: string) => string | null }).getAttribute('d') ?? ''));
    const lines = paths.map((d) => [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((match) => Number(match[1])));
    const xs = lines.reduce((longest, line) => (line.length > longest.length ? line : longest), [] as number[]);
    expect(xs).toHaveLength(times.length);

    // Even spacing would pass only if the runs were evenly spaced in time, which the demo's are not.
    const span = times.at(-1)! - times[0]!;
    const width = xs.at(-1)! - xs[0]!;
    expect(width).toBeGreaterThan(200);
    for (let index = 0; index < times.length; index += 1) {
      const expected = xs[0]! + ((times[index]! - times[0]!) / span) * width;
      expect(Math.abs(xs[index]! - expected), `point ${index} at ${new Date(times[index]!).toISOString()}`).toBeLessThan(1.5);
    }
  });

  it('closes a monitoring task with a resolution', async () => {
    const page = await workspace.signIn('admin');
    await page.goto('/measurements');
    const section = page.getByTestId('open-monitoring-tasks');
    const rows = section.getByTestId('monitoring-task-row');
    await rows.first().waitFor();
    const before = await rows.count();
    const open = (await (await page.request.get('/api/monitoring-tasks?status=open&limit=100')).json()) as { items: { id: string }[]; total: number };
    expect(before).toBe(open.total);

    await rows.first().getByRole('button', { name: /^Close task: / }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('button', { name: 'Close the task' }).isDisabled()).resolves.toBe(true);
    await dialog.getByLabel(/^Resolution/).fill('Reviewed the half month with the fairness lead; the rise follows a change in the screened population.');
    await dialog.getByRole('button', { name: 'Close the task' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => rows.count()).toBe(before - 1);

    const closed = (await (await page.request.get('/api/monitoring-tasks?status=done&limit=100')).json()) as { items: { id: string; resolution: string }[] };
    expect(closed.items).toHaveLength(1);
    expect(closed.items[0]!.resolution).toMatch(/^Reviewed the half month/);

    await page.goto(`/audit-trail?recordId=${closed.items[0]!.id}`);
    await page.getByTestId('audit-row').filter({ hasText: 'monitoring_task.closed' }).waitFor();
  });
});
