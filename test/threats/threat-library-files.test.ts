import { describe, expect, it } from 'vitest';
import { loadCatalogueFiles } from '../../src/catalogue/catalogue-files.js';
import { scenarioFamilyIds, threatFrameworkIds } from '../../src/threats/threat-library.js';

/** The shipped threat library files, parsed once: counts and identifiers are facts of the published sources. */
const catalogue = loadCatalogueFiles();
const framework = (id: string) => catalogue.frameworks.find((entry) => entry.data.framework.id === id)!.data;
const threatItems = (id: string) => framework(id).items.filter((item) => item.assessable);

describe('threat library files', () => {
  it('all three threat frameworks load', () => {
    for (const id of threatFrameworkIds) {
      expect(framework(id).framework.kind, id).toBe('framework');
    }
  });

  it('OWASP ML Top 10 has ML01 to ML10', () => {
    const items = framework('owasp-ml-top10').items;
    expect(items.map((item) => item.id)).toEqual(['ML01', 'ML02', 'ML03', 'ML04', 'ML05', 'ML06', 'ML07', 'ML08', 'ML09', 'ML10']);
    expect(items.find((item) => item.id === 'ML08')!.title).toBe('Model Skewing');
    expect(framework('owasp-ml-top10').framework.version).toContain('2023');
  });

  it('OWASP LLM Top 10 2025 has LLM01 to LLM10', () => {
    const items = framework('owasp-llm-top10-2025').items;
    expect(items.map((item) => item.id)).toEqual(['LLM01', 'LLM02', 'LLM03', 'LLM04', 'LLM05', 'LLM06', 'LLM07', 'LLM08', 'LLM09', 'LLM10']);
    expect(items.find((item) => item.id === 'LLM03')!.title).toBe('Supply Chain');
    expect(items.find((item) => item.id === 'LLM07')!.title).toBe('System Prompt Leakage');
  });

  it('ATLAS has 16 tactics and at least 25 techniques', () => {
    const items = framework('mitre-atlas').items;
    const tactics = items.filter((item) => item.kind === 'tactic');
    expect(tactics).toHaveLength(16);
    for (const tactic of tactics) expect(tactic.id).toMatch(/^AML\.TA\d{4}$/);
    const techniques = items.filter((item) => item.kind === 'technique');
    expect(techniques.length).toBeGreaterThanOrEqual(25);
    for (const technique of techniques) expect(technique.id).toMatch(/^AML\.T\d{4}$/);
    for (const sub of items.filter((item) => item.kind === 'sub-technique')) {
      expect(sub.id).toMatch(/^AML\.T\d{4}\.\d{3}$/);
      expect(sub.parent, sub.id).toBe(sub.id.slice(0, 9));
    }
    expect(items.find((item) => item.id === 'AML.T0051')!.title).toBe('LLM Prompt Injection');
    expect(items.find((item) => item.id === 'AML.T0020')!.title).toBe('Poison Training Data');
  });

  it('ATLAS techniques sit under a tactic they list', () => {
    const items = framework('mitre-atlas').items;
    const tacticIds = new Set(items.filter((item) => item.kind === 'tactic').map((item) => item.id));
    for (const item of items.filter((candidate) => candidate.assessable)) {
      const tactics = item.attributes?.tactics as string[] | undefined;
      expect(tactics?.length, item.id).toBeGreaterThan(0);
      for (const tactic of tactics!) expect(tacticIds.has(tactic), `${item.id} lists ${tactic}`).toBe(true);
      if (item.kind === 'technique') expect(tactics, item.id).toContain(item.parent);
    }
  });

  it('ids are unique across the three frameworks', () => {
    const refs = threatFrameworkIds.flatMap((id) => framework(id).items.map((item) => `${id}:${item.id}`));
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('every threat item has known families', () => {
    const known = new Set<string>(scenarioFamilyIds);
    for (const id of threatFrameworkIds) {
      for (const item of threatItems(id)) {
        const families = item.attributes?.families as string[] | undefined;
        expect(families?.length, `${id}:${item.id}`).toBeGreaterThan(0);
        for (const family of families!) expect(known.has(family), `${id}:${item.id} names ${family}`).toBe(true);
      }
    }
  });

  it('every family has threats in the library', () => {
    const tagged = new Set(threatFrameworkIds.flatMap((id) => threatItems(id).flatMap((item) => item.attributes?.families as string[])));
    for (const family of scenarioFamilyIds) expect(tagged.has(family), family).toBe(true);
  });
});
