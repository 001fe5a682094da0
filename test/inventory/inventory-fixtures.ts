import type { Db } from '../../src/platform/database/connection.js';

/** Rows in the register and the audit trail, to show that a rejected import wrote nothing. */
export async function countRows(db: Db): Promise<{ aiSystems: number; auditEvents: number }> {
  const systems = await db.selectFrom('ai_systems').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const events = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { aiSystems: Number(systems.n), auditEvents: Number(events.n) };
}

/**
 * A spreadsheet export in the style of a Dutch municipality: semicolon delimiter, byte order mark,
 * CRLF line ends, a quoted purpose spanning two lines, and its own column names.
 */
export const municipalCsv = [
  '\uFEFFnaam;doel;afdeling;status;groepen;in_scope;website',
  'Parkeerscan;Herkent kentekens bij parkeercontrole;Stadsbeheer;in_gebruik;automobilisten|bezoekers;ja;https://example.org/parkeerscan',
  '"Chatbot Gem";"Beantwoordt vragen van inwoners;\r\nverwijst door naar een medewerker";Dienstverlening;ontwikkeling;inwoners;nee;',
  'Fraudesignalering;;Sociaal domein;buiten_gebruik;;ja;https://example.org/fraude',
  '',
].join('\r\n');

export const municipalMapping = {
  fields: {
    name: 'naam',
    purpose: { from: 'doel', default: 'Purpose not stated' },
    businessUnit: { template: 'Gemeente Voorbeeld, {afdeling}' },
    lifecycleStage: { from: 'status', values: { in_gebruik: 'production', ontwikkeling: 'development', buiten_gebruik: 'retired' } },
    affectedGroups: { from: 'groepen', split: '|' },
    inScope: { from: 'in_scope', values: { ja: true, nee: false } },
    sourceUrl: 'website',
    organizationRole: { value: 'deployer' },
  },
};

/** Three systems in custos's own field names, as a YAML list. */
export const ownFieldsYaml = `
- name: Invoice fraud detection
  purpose: Flags supplier invoices for manual review
  businessUnit: Finance
  lifecycleStage: pilot
  deploymentEnvironments: [staging]
  inScope: true
- name: CV screening
  purpose: Ranks applications for open positions
  businessUnit: Human resources
  affectedGroups: [job applicants]
  decisionDomain: employment
- name: Route planner
  purpose: Plans delivery routes
  businessUnit: Logistics
  autonomy: autonomous
`;

/** A register export whose records sit under a property, with nested fields. */
export const nestedJson = JSON.stringify({
  exported: '2026-03-01',
  systems: [
    { id: 'A-1', title: 'Loan pre-check', owner: { unit: 'Retail' }, summary: 'Pre-checks consumer loan applications', phase: 'live' },
    { id: 'A-2', title: 'Churn model', owner: { unit: 'Marketing' }, summary: 'Predicts which customers may leave', phase: 'trial' },
  ],
});

export const nestedMapping = {
  records: 'systems',
  fields: {
    name: 'title',
    purpose: 'summary',
    businessUnit: 'owner.unit',
    externalId: 'id',
    lifecycleStage: { from: 'phase', values: { live: 'production', trial: 'pilot' } },
    scopeJustification: { template: 'Listed as {id} ({phase})' },
  },
};
