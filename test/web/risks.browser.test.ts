import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runCli, screenshot, seriousAccessibilityViolations, startWorkspace, type Workspace } from './support/workspace.js';

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

const boardPassword = 'board-password-for-browser-tests';

/** Adds an oversight board member with the CLI; the demo's categories escalate to that role. */
async function createBoardMember(): Promise<void> {
  await runCli(['user', 'create', '--username', 'board', '--role', 'oversight_board_member', '--display-name', 'Bea Board'], {
    CUSTOS_DATA_DIR: workspace.dataDir,
    CUSTOS_NEW_USER_PASSWORD: boardPassword,
  });
}

async function signInAsBoardMember(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await workspace.browser.newContext({ viewport, baseURL: workspace.url });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill('board');
  await page.getByLabel(/^Password/).fill(boardPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  return page;
}

interface RiskBody {
  id: string;
  title: string;
  status: string;
  version: number;
}

interface EscalationBody {
  id: string;
  openedBy: string;
  resolvedBy: string | null;
  status: string;
  outcome: string | null;
  resolutionNote: string | null;
}

async function riskByTitle(page: Page, title: string): Promise<RiskBody> {
  const found = await readJson<{ items: RiskBody[] }>(page, `/api/risks?q=${encodeURIComponent(title)}`);
  expect(found.items).toHaveLength(1);
  return found.items[0]!;
}

async function escalationsOf(page: Page, riskId: string): Promise<EscalationBody[]> {
  return (await readJson<{ items: EscalationBody[] }>(page, `/api/risks/escalations?riskId=${riskId}`)).items;
}

/** Waits for a form control to turn invalid and returns the error message it names in aria-describedby. */
async function errorTextOf(page: Page, control: ReturnType<Page['getByRole']>): Promise<string> {
  await expect.poll(() => control.getAttribute('aria-invalid')).toBe('true');
  const errorId = (await control.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('error'));
  expect(errorId).toBeDefined();
  return (await page.locator(`[id="${errorId}"]`).textContent()) ?? '';
}

const fairnessRisk = 'Unequal false positive rates across racial groups';
const contestRisk = 'Defendants cannot contest a proprietary score';
const relianceRisk = 'Judges rely on the score instead of judging the case';
const driftRisk = 'Scores drift as the defendant population changes';

describe('risk decisions', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await createBoardMember();
  }, 60_000);

  it('explains to the administrator who may decide', async () => {
    const page = await workspace.signIn('admin');
    const escalated = await riskByTitle(page, fairnessRisk);
    await page.goto(`/risks/${escalated.id}`);
    await page.getByRole('heading', { level: 1, name: fairnessRisk }).waitFor();
    // The administrator may write risks but has no acceptance authority in the demo's table.
    const blocker = page.getByTestId('acceptance-blocker');
    await blocker.waitFor();
    expect(await blocker.textContent()).toBe('Accepting residual risk in band High needs the role approver or oversight board member. Your roles (administrator) do not reach it.');
    expect(await page.getByRole('button', { name: 'Accept the residual risk' }).count()).toBe(0);
    await page.getByText('Only a holder of the role oversight board member may record the decision.').waitFor();
    expect(await page.getByRole('button', { name: 'Record a decision' }).count()).toBe(0);

    const unrated = await riskByTitle(page, driftRisk);
    await page.goto(`/risks/${unrated.id}`);
    await page.getByRole('heading', { level: 1, name: driftRisk }).waitFor();
    expect(await page.getByTestId('acceptance-blocker').textContent()).toBe('The residual risk is not rated yet. Rate the risk left after treatment before it can be accepted.');
  });

  it('accepts an escalated risk after a conflict', async () => {
    const admin = await workspace.signIn('admin');
    const board = await signInAsBoardMember();
    const risk = await riskByTitle(board, fairnessRisk);
    await board.goto(`/risks/${risk.id}`);
    await board.getByRole('heading', { level: 1, name: fairnessRisk }).waitFor();
    await board.getByRole('button', { name: 'Accept the residual risk' }).click();

    // A blank rationale goes to the API, whose message shows under the field.
    const rationale = board.getByRole('textbox', { name: 'Rationale' });
    await board.getByRole('button', { name: 'Accept the risk' }).click();
    expect(await errorTextOf(board, rationale)).toMatch(/\S/);
    expect((await readJson<RiskBody>(board, `/api/risks/${risk.id}`)).status).not.toBe('accepted');

    // The administrator changes the risk while the board member types.
    await rationale.fill('Residual gap is monitored every release and the board accepts it until the next review');
    await board.getByRole('textbox', { name: 'Review date' }).fill('2031-06-30');
    const current = await readJson<RiskBody>(admin, `/api/risks/${risk.id}`);
    const change = await admin.request.patch(`/api/risks/${risk.id}`, { data: { threat: 'Arrest data of some districts over-represents groups' }, headers: { 'if-match': `"${current.version}"` } });
    expect(change.status()).toBe(200);

    await board.getByRole('button', { name: 'Accept the risk' }).click();
    await board.getByText('Someone else changed this record since you opened it').waitFor();
    expect(await rationale.inputValue()).toBe('Residual gap is monitored every release and the board accepts it until the next review');
    await board.getByRole('button', { name: 'Reload the current version' }).click();
    await board.getByRole('button', { name: 'Accept the risk' }).click();

    await board.getByText('Residual gap is monitored every release and the board accepts it until the next review').waitFor();
    expect((await readJson<RiskBody>(board, `/api/risks/${risk.id}`)).status).toBe('accepted');
    const acceptances = await readJson<{ rationale: string; reviewDate: string; authorityRole: string }[]>(board, `/api/risks/${risk.id}/acceptances`);
    expect(acceptances).toHaveLength(1);
    expect(acceptances[0]).toMatchObject({ reviewDate: '2031-06-30', authorityRole: 'oversight_board_member' });
    // The acceptance resolves the open escalation, and the page shows it.
    const escalations = await escalationsOf(board, risk.id);
    expect(escalations.map((escalation) => escalation.outcome)).toEqual(['risk_accepted']);
    await board.getByTestId('escalations').getByText(/as risk accepted/).waitFor();
    expect(await board.getByRole('button', { name: 'Accept the residual risk' }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(board)).toEqual([]);
  });

  it('resolves an escalation with a decision', async () => {
    const board = await signInAsBoardMember();
    const risk = await riskByTitle(board, contestRisk);
    await board.goto(`/risks/${risk.id}`);
    await board.getByRole('heading', { level: 1, name: contestRisk }).waitFor();
    await board.getByRole('button', { name: 'Record a decision' }).click();

    const note = board.getByRole('textbox', { name: 'Decision note' });
    await note.fill('  ');
    await board.getByRole('button', { name: 'Resolve the escalation' }).click();
    expect(await errorTextOf(board, note)).toMatch(/\S/);
    expect((await escalationsOf(board, risk.id)).map((escalation) => escalation.status)).toEqual(['open']);

    await board.getByRole('combobox', { name: 'Outcome' }).click();
    await board.getByRole('option', { name: 'Appetite revised' }).click();
    await note.fill('The board raises the legal appetite for explanation gaps while the sheet is rolled out');
    await board.getByRole('button', { name: 'Resolve the escalation' }).click();

    await board.getByTestId('escalations').getByText(/as appetite revised: The board raises the legal appetite/).waitFor();
    const escalations = await escalationsOf(board, risk.id);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ status: 'resolved', outcome: 'appetite_revised', resolutionNote: 'The board raises the legal appetite for explanation gaps while the sheet is rolled out' });
    expect(await board.getByRole('button', { name: 'Record a decision' }).count()).toBe(0);

    // The board member may not list user accounts, and still reads who opened and who resolved.
    const shown = (await board.getByTestId('escalations').textContent()) ?? '';
    expect(shown).toContain('by Bea Board as appetite revised');
    expect(shown).not.toContain(escalations[0]!.resolvedBy);
    // The demo data opened this escalation as the system itself, which has no account.
    expect(escalations[0]!.openedBy).toBe('system');
    expect(shown).toMatch(/opened \d{1,2} [A-Z][a-z]{2} \d{4} by system/);
  });

  it('offers the auditor no decisions', async () => {
    const page = await workspace.signIn('auditor');
    const risk = await riskByTitle(page, relianceRisk);
    await page.goto(`/risks/${risk.id}`);
    await page.getByRole('heading', { level: 1, name: relianceRisk }).waitFor();
    await page.getByTestId('risk-audit-event').first().waitFor();
    expect(await page.getByRole('button', { name: 'Accept the residual risk' }).count()).toBe(0);
    expect(await page.getByTestId('acceptance-blocker').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Record a decision' }).count()).toBe(0);
  });
});

describe('risk history and layout', { timeout: 90_000 }, () => {
  it('shows the audit history newest first', async () => {
    const page = await workspace.signIn('admin');
    const risk = await riskByTitle(page, relianceRisk);
    const before = await readJson<{ version: number; threat: string }>(page, `/api/risks/${risk.id}`);
    const change = await page.request.patch(`/api/risks/${risk.id}?reason=${encodeURIComponent('Court survey results')}`, {
      data: { threat: 'Automation bias under heavy case loads' },
      headers: { 'if-match': `"${before.version}"` },
    });
    expect(change.status()).toBe(200);

    await page.goto(`/risks/${risk.id}`);
    await page.getByRole('heading', { name: 'History' }).waitFor();
    const events = page.getByTestId('risk-audit-event');
    await events.first().waitFor();
    const newest = events.first();
    expect(await newest.getByText('risk.updated').count()).toBe(1);
    expect(await newest.getByText('Reason: Court survey results').count()).toBe(1);
    // The newest event shows only the changed fields, with the old and the new value.
    const threatRow = newest.locator('tr[data-changed="true"]').filter({ hasText: 'threat' });
    expect(await threatRow.locator('td').nth(1).textContent()).toBe(before.threat);
    expect(await threatRow.locator('td').nth(2).textContent()).toContain('heavy case loads');

    const listed = await readJson<{ items: { seq: number; action: string }[]; total: number }>(page, `/api/audit-events?recordType=risk&recordId=${risk.id}`);
    expect(await events.count()).toBe(Math.min(listed.total, 10));
    expect(await events.last().locator('code').textContent()).toBe(listed.items[Math.min(listed.total, 10) - 1]!.action);
    expect(listed.items.at(-1)!.action).toBe('risk.created');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('wraps long words in the treatments at 800 px', async () => {
    const page = await workspace.signIn('admin', { width: 800, height: 900 });
    const risk = await riskByTitle(page, driftRisk);
    const longWord = 'calibration_report_identifier_2031_q1_observed_vs_predicted_x';
    expect(longWord.length).toBeGreaterThanOrEqual(60);
    const owner = (await readJson<{ ownerPersonId: string }>(page, `/api/risks/${risk.id}`)).ownerPersonId;
    const created = await page.request.post(`/api/risks/${risk.id}/treatments`, {
      data: { option: 'modify', description: `Publish ${longWord}`, ownerPersonId: owner, dueDate: '2031-04-30', successMetric: longWord, controlRefs: ['iso42001:A.6.2.6'] },
    });
    expect(created.status()).toBe(201);

    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`/risks/${risk.id}`);
      await page.getByTestId('treatment-row').filter({ hasText: longWord }).first().waitFor();
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      // The table wraps the word instead of growing past its section, where it would need a scroll bar.
      const edges = await page.locator('table[aria-label="Treatments"]').evaluate((table) => ({
        table: table.getBoundingClientRect().right,
        section: table.closest('section')!.getBoundingClientRect().right,
      }));
      expect(edges.table, `treatments table wider than its section at ${width} px`).toBeLessThanOrEqual(edges.section);
    }
    await screenshot(page, '07-risk-detail-narrow');
  });
});
