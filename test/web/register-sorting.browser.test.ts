import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { startWorkspace, type Workspace } from './support/workspace.js';

/*
 * The register's tier and owner columns, and owner names past the first 500 people. This file
 * has its own workspace because it fills the people register, which would change the owner
 * pickers that other register tests use.
 */

let workspace: Workspace;

beforeAll(async () => {
  workspace = await startWorkspace();
}, 180_000);

afterAll(async () => {
  await workspace?.close();
});

interface ListedSystem {
  id: string;
  name: string;
  ownerId: string | null;
  classification: { tier: string } | null;
}

async function listSystems(request: APIRequestContext, query: string): Promise<ListedSystem[]> {
  const response = await request.get(`/api/ai-systems?${query}`);
  expect(response.status(), query).toBe(200);
  return ((await response.json()) as { items: ListedSystem[] }).items;
}

async function firstRowName(page: Page): Promise<string> {
  return (await page.locator('tbody tr').first().locator('td').first().textContent()) ?? '';
}

async function waitForSort(page: Page, sort: string): Promise<void> {
  await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe(sort);
  await expect.poll(() => page.locator('table[aria-busy="false"]').count()).toBe(1);
}

describe('register sorting', { timeout: 120_000 }, () => {
  it('sorts by tier and by owner', async () => {
    const page = await workspace.signIn('admin');
    await page.goto('/ai-systems');
    const tierButton = page.getByRole('button', { name: /^Tier/ });
    await tierButton.click();
    await waitForSort(page, 'classificationTier');
    await expect.poll(() => page.getByRole('columnheader', { name: /^Tier/ }).getAttribute('aria-sort')).toBe('ascending');
    const byTier = await listSystems(page.request, 'sort=classificationTier&limit=50');
    expect(byTier[0]!.classification).not.toBeNull();
    await expect.poll(() => firstRowName(page)).toBe(byTier[0]!.name);

    await tierButton.click();
    await waitForSort(page, '-classificationTier');
    await expect.poll(() => page.getByRole('columnheader', { name: /^Tier/ }).getAttribute('aria-sort')).toBe('descending');
    const byTierDescending = await listSystems(page.request, 'sort=-classificationTier&limit=50');
    await expect.poll(() => firstRowName(page)).toBe(byTierDescending[0]!.name);

    await page.getByRole('button', { name: /^Owner/ }).click();
    await waitForSort(page, 'ownerName');
    await expect.poll(() => page.getByRole('columnheader', { name: /^Owner/ }).getAttribute('aria-sort')).toBe('ascending');
    const byOwner = await listSystems(page.request, 'sort=ownerName&limit=50');
    await expect.poll(() => firstRowName(page)).toBe(byOwner[0]!.name);
  });

  it('names an owner past the first 500 people', async () => {
    const page = await workspace.signIn('admin');
    // Names that sort before the owner's fill the first page of 500 people that the app used to read.
    for (let start = 0; start < 510; start += 30) {
      const batch = Array.from({ length: Math.min(30, 510 - start) }, (_, index) => `Aaron Filler ${String(start + index).padStart(3, '0')}`);
      const responses = await Promise.all(batch.map((name) => page.request.post('/api/people', { data: { name } })));
      for (const response of responses) expect(response.status()).toBe(201);
    }
    const owner = await page.request.post('/api/people', { data: { name: 'Zelda Late Owner', email: 'zelda@example.org' } });
    expect(owner.status()).toBe(201);
    const ownerId = ((await owner.json()) as { id: string }).id;
    const system = await page.request.post('/api/ai-systems', {
      data: { name: 'Parking fine triage', purpose: 'Ranks appeals against parking fines for review', businessUnit: 'Municipal services', ownerId },
    });
    expect(system.status()).toBe(201);

    // The internal auditor reads the register and finds the owner's name.
    const auditor = await workspace.signIn('auditor');
    await auditor.goto('/ai-systems?q=Parking%20fine%20triage');
    const row = auditor.locator('tbody tr').filter({ hasText: 'Parking fine triage' });
    await row.waitFor();
    await expect.poll(() => row.locator('td').nth(4).textContent()).toBe('Zelda Late Owner');
    expect(await row.textContent()).not.toContain(ownerId);
  });
});
