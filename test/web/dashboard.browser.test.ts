import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;

beforeAll(async () => {
  workspace = await startWorkspace();
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

interface Summary {
  aiSystems: { total: number; byTier: { tier: string | null; count: number }[]; byLifecycleStage: { stage: string; count: number }[] };
  risks: { heatmap: { cells: { likelihood: number; impact: number; count: number }[]; total: number; unrated: number; offMatrix: number } };
}

describe('the dashboard', { timeout: 90_000 }, () => {
  it('shows the numbers the API returns and links to the filtered screens', async () => {
    const page = await workspace.signIn('admin');
    await page.getByTestId('panel-risks').waitFor();
    const summary = (await (await page.request.get('/api/dashboard')).json()) as Summary;

    // Register counts, as the dashboard shows them and as the register's own list counts them.
    const highRisk = summary.aiSystems.byTier.find((entry) => entry.tier === 'high-risk')!;
    expect(await page.getByTestId('tier-high-risk').textContent()).toBe(String(highRisk.count));
    const listed = await (await page.request.get('/api/ai-systems?limit=1&classificationTier=high-risk')).json();
    expect(listed.total).toBe(highRisk.count);
    const production = summary.aiSystems.byLifecycleStage.find((entry) => entry.stage === 'production')!;
    expect(await page.getByTestId('stage-production').textContent()).toBe(String(production.count));
    expect(await page.getByRole('link', { name: `All ${summary.aiSystems.total} in the register` }).count()).toBe(1);

    // Each heatmap cell shows its count, and the cells with the unrated add up to every risk.
    let shownSum = 0;
    for (const cell of summary.risks.heatmap.cells) {
      const text = await page.getByTestId('panel-risks').getByTestId(`heatmap-cell-${cell.likelihood}-${cell.impact}`).textContent();
      expect(Number.parseInt(text ?? '', 10), `cell ${cell.likelihood}×${cell.impact}`).toBe(cell.count);
      shownSum += cell.count;
    }
    const risks = await (await page.request.get('/api/risks?limit=1')).json();
    expect(shownSum + summary.risks.heatmap.unrated + summary.risks.heatmap.offMatrix).toBe(risks.total);
    expect(risks.total).toBeGreaterThan(0);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '01-dashboard');

    // A non-empty cell opens the risk register filtered to that cell.
    const busiest = [...summary.risks.heatmap.cells].sort((a, b) => b.count - a.count)[0]!;
    await page.getByTestId('panel-risks').getByTestId(`heatmap-cell-${busiest.likelihood}-${busiest.impact}`).click();
    await page.getByRole('heading', { level: 1, name: 'Risks' }).waitFor();
    expect(new URL(page.url()).searchParams.get('likelihood')).toBe(String(busiest.likelihood));
    expect(new URL(page.url()).searchParams.get('impact')).toBe(String(busiest.impact));
    await page.getByTestId('risk-row').first().waitFor();
    expect(await page.getByTestId('risk-row').count()).toBe(busiest.count);
  });

  it('opens the register filtered by tier from a tier count', async () => {
    const page = await workspace.signIn('admin');
    await page.getByTestId('tier-high-risk').click();
    await page.getByRole('heading', { level: 1, name: 'AI systems' }).waitFor();
    expect(new URL(page.url()).searchParams.get('classificationTier')).toBe('high-risk');
  });

  it('stays usable at 800 px wide', async () => {
    const page = await workspace.signIn('admin', { width: 800, height: 900 });
    const heatmap = page.getByTestId('panel-risks');
    await heatmap.waitFor();
    // Nothing wider than the window: the page does not scroll sideways.
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await heatmap.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(800);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Risks/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Risks' }).waitFor();
    await screenshot(page, '01b-dashboard-800px-risks');
  });
});
