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

interface RemediationAction {
  id: string;
  itemRef: string;
  title: string;
  ownerPersonId: string;
  dueDate: string;
  status: string;
  doneAt: string | null;
}

interface Assessment {
  id: string;
  title: string;
  mode: string;
  sampleSize: number | null;
  seed: number | null;
  progress: { findingCounts: Record<string, number> };
}

async function demoAssessmentId(page: Page): Promise<string> {
  const list = await readJson<{ items: Array<{ id: string; status: string }> }>(page, '/api/assessments?mode=gap&status=completed');
  return list.items[0]!.id;
}

/** Opens the remediation of the demo's completed assessment; a test above starts a newer one, which the screen would show first. */
async function openRemediation(page: Page): Promise<void> {
  await openGapAssessment(page);
  await page.getByLabel('Assessment', { exact: true }).selectOption(await demoAssessmentId(page));
  await page.getByRole('tab', { name: 'Remediation' }).click();
  await page.getByTestId('remediation-plan').waitFor();
}

async function openMockAudits(page: Page): Promise<void> {
  await openGapAssessment(page);
  await page.getByRole('tab', { name: 'Mock audits' }).click();
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
    await editor.getByText(/Required when the item is marked not applicable/).waitFor();
    const reason = editor.getByLabel('Why it does not apply');
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    const errorText = await page.locator(`[id="${await reason.getAttribute('id')}-error"]`).textContent();
    expect(errorText).toMatch(/^Required when the item is marked not applicable/);

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

  it('lists remediation actions with owner names', async () => {
    const page = await workspace.signIn('admin');
    await openRemediation(page);
    const assessmentId = await demoAssessmentId(page);
    const actions = await readJson<{ items: RemediationAction[] }>(page, `/api/assessments/${assessmentId}/remediation-actions?sort=dueDate&limit=500`);
    // The demo raises three actions; a test below adds one more.
    expect(actions.items.length).toBeGreaterThanOrEqual(3);
    const names = await readJson<Array<{ id: string; name: string }>>(
      page,
      `/api/people/names?${actions.items.map((action) => `ids=${encodeURIComponent(action.ownerPersonId)}`).join('&')}`,
    );

    const rows = page.getByTestId('remediation-action-row');
    await expect(rows.count()).resolves.toBe(actions.items.length);
    for (const [index, action] of actions.items.entries()) {
      const cells = await rows.nth(index).locator('th, td').allTextContents();
      expect(cells[1]).toContain(action.title);
      expect(cells[2]).toBe(names.find((person) => person.id === action.ownerPersonId)!.name);
      expect(cells[2]).not.toContain(action.ownerPersonId);
      // The due date is shown in the app's date style, with the API's value in the time element.
      const due = rows.nth(index).locator('time').first();
      await expect(due.getAttribute('datetime')).resolves.toBe(action.dueDate);
      expect(await due.textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
      await expect(rows.nth(index).getByRole('combobox', { name: `Status of ${action.title}` }).inputValue()).resolves.toBe(action.status);
    }

    const plan = await readJson<{ items: Array<{ itemId: string; priority: number }> }>(page, `/api/assessments/${assessmentId}/remediation-plan?limit=500`);
    await expect(page.getByTestId('remediation-plan').locator('tbody tr').count()).resolves.toBe(plan.items.length);
    const first = await rowCells(page, `plan-row-${plan.items[0]!.itemId}`);
    expect(first[3]).toBe(String(plan.items[0]!.priority));

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '05b-remediation');
  });

  it('adds a remediation action, then completes it', async () => {
    const page = await workspace.signIn('admin');
    await openRemediation(page);
    const assessmentId = await demoAssessmentId(page);
    const plan = await readJson<{ items: Array<{ ref: string; itemId: string }> }>(page, `/api/assessments/${assessmentId}/remediation-plan?limit=500`);
    const item = plan.items.at(-1)!;

    await page.getByRole('button', { name: `Raise action for ${item.itemId}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a remediation action' });
    await expect(dialog.getByLabel('Item').inputValue()).resolves.toBe(item.ref);
    // Without a title, owner and due date the API names each field, and the form shows it beside the field.
    await dialog.getByRole('button', { name: 'Add the action' }).click();
    await dialog.getByText('Required: enter more than spaces').waitFor();
    for (const label of ['Title', 'Owner', 'Due date']) {
      // The owner picker's option list carries the same label as its input.
      const field = label === 'Owner' ? dialog.getByRole('combobox', { name: label, exact: true }) : dialog.getByLabel(label, { exact: true });
      await expect(field.getAttribute('aria-invalid'), label).resolves.toBe('true');
      const errorText = await page.locator(`[id="${await field.getAttribute('id')}-error"]`).textContent();
      expect(errorText, label).toMatch(/^Required/);
    }
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await dialog.getByLabel('Title', { exact: true }).fill('Write the supplier AI clause');
    const owner = dialog.getByRole('combobox', { name: 'Owner', exact: true });
    await owner.click();
    // The option list renders outside the dialog.
    const firstPerson = page.getByRole('listbox', { name: 'Owner' }).getByRole('option').first();
    // Each option shows the name, then the job title on its own line.
    const ownerName = (await firstPerson.locator('p').first().textContent())!;
    await firstPerson.click();
    await expect.poll(() => owner.inputValue()).toBe(ownerName);
    await dialog.getByLabel('Due date', { exact: true }).fill('2027-03-31');
    await dialog.getByRole('button', { name: 'Add the action' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('remediation-action-row').filter({ hasText: 'Write the supplier AI clause' });
    await row.waitFor();
    const cells = await row.locator('th, td').allTextContents();
    expect(cells[0]).toContain(item.itemId);
    expect(cells[2]).toBe(ownerName);
    expect(cells[3]).toBe('31 Mar 2027');

    await row.getByRole('combobox', { name: 'Status of Write the supplier AI clause' }).selectOption('done');
    await row.getByText(/^Done \d{1,2} [A-Z][a-z]{2} \d{4}$/).waitFor();

    const actions = await readJson<{ items: RemediationAction[] }>(page, `/api/assessments/${assessmentId}/remediation-actions?limit=500`);
    const saved = actions.items.find((action) => action.title === 'Write the supplier AI clause')!;
    expect(saved.itemRef).toBe(item.ref);
    expect(saved.dueDate).toBe('2027-03-31');
    expect(saved.status).toBe('done');
    expect(saved.doneAt).not.toBeNull();
  });

  it('starts a mock audit and records a finding', async () => {
    const page = await workspace.signIn('admin');
    await openMockAudits(page);
    await page.getByText(/^No mock audit has been started yet/).waitFor();
    await page.getByRole('button', { name: 'Start a mock audit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a mock audit' });
    await dialog.getByLabel('Title').fill('Rehearsal before stage 2');
    // More controls than the catalogue has: the API's limit appears beside the field in plain words.
    await dialog.getByLabel('Sample size').fill('1000');
    await dialog.getByRole('button', { name: 'Start the mock audit' }).click();
    const sampleError = dialog.getByText(/^Only \d+ controls are in scope: choose at most \d+, or include the organization's own controls$/);
    await sampleError.waitFor();
    await expect(dialog.getByLabel('Sample size').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await dialog.getByLabel('Sample size').fill('5');
    await dialog.getByLabel('Seed').fill('42');
    await dialog.getByRole('button', { name: 'Start the mock audit' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('mock-audit-findings').waitFor();

    const audits = await readJson<{ items: Assessment[] }>(page, '/api/assessments?mode=mock_audit');
    expect(audits.items).toHaveLength(1);
    const audit = audits.items[0]!;
    expect(audit.sampleSize).toBe(5);
    expect(audit.seed).toBe(42);
    const answers = await readJson<{ items: Array<{ ref: string; itemId: string }> }>(page, `/api/assessments/${audit.id}/answers?limit=500`);
    expect(answers.items).toHaveLength(5);
    await expect(page.getByTestId('mock-audit-findings').locator('tbody tr').count()).resolves.toBe(5);
    await page.getByText(/^0 of 5 sampled controls have a finding/).waitFor();

    const control = answers.items[0]!;
    await page.getByRole('button', { name: `Record finding on ${control.itemId}` }).click();
    const editor = page.getByRole('group', { name: new RegExp(`^Finding on ${control.itemId.replaceAll('.', '\\.')} `) });
    // A nonconformity without its statement is rejected, and the message sits under the statement.
    await editor.getByLabel('Finding', { exact: true }).selectOption('minor_nonconformity');
    await editor.getByRole('button', { name: `Save ${control.itemId}` }).click();
    const statement = editor.getByLabel('Statement of the finding');
    await expect.poll(() => statement.getAttribute('aria-invalid')).toBe('true');
    const statementError = await page.locator(`[id="${await statement.getAttribute('id')}-error"]`).textContent();
    expect(statementError).toMatch(/^Required for a finding of minor_nonconformity/);

    await statement.fill('No record shows that the control was reviewed in the last twelve months.');
    await editor.getByRole('button', { name: `Save ${control.itemId}` }).click();
    await editor.waitFor({ state: 'detached' });
    await expect(page.getByTestId(`finding-row-${control.itemId}`).textContent()).resolves.toContain('Minor nonconformity');
    await page.getByText('Findings: 1 minor nonconformity.').waitFor();

    const answer = await readJson<{ finding: string; findingText: string }>(page, `/api/assessments/${audit.id}/answers/${encodeURIComponent(control.ref)}`);
    expect(answer.finding).toBe('minor_nonconformity');
    expect(answer.findingText).toBe('No record shows that the control was reviewed in the last twelve months.');

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, '05c-mock-audit');
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

    await page.getByLabel('Assessment', { exact: true }).selectOption(await demoAssessmentId(page));
    await page.getByRole('tab', { name: 'Remediation' }).click();
    await page.getByTestId('remediation-plan').waitFor();
    const rows = page.getByTestId('remediation-action-row');
    await rows.first().waitFor();
    // The status shows as text; the auditor gets no control that writes.
    await expect(rows.first().locator('td').last().textContent()).resolves.toMatch(/^(Open|In progress|Done)/);
    await expect(page.getByRole('combobox', { name: /^Status of / }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Add a remediation action' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Raise action for / }).count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('tab', { name: 'Mock audits' }).click();
    await page.getByLabel('Mock audit').or(page.getByText(/^No mock audit has been started yet/)).first().waitFor();
    await expect(page.getByRole('button', { name: 'Start a mock audit' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Record finding on / }).count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
