import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAiSystem, updateAiSystem } from '../../src/ai-systems/ai-systems.service.js';
import { approveClassification, createClassificationDraft } from '../../src/classification/classifications.service.js';
import { runCli } from '../support/cli.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { exampleAnswers, examplesDirectory } from './rules-fixtures.js';

const example = (name: string) => path.join(examplesDirectory, `${name}.yaml`);

describe.each(databaseKinds)('CLI classify on %s', (kind) => {
  let database: TestDatabase;
  let compasId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ctx = testContext(database);
    const admin = callerWith(['administrator'], 'admin');
    compasId = (await createAiSystem(ctx, admin, { name: 'COMPAS', purpose: 'Recidivism risk scores for courts', businessUnit: 'Courts', organizationRole: 'deployer' })).id;
    await createAiSystem(ctx, admin, { name: 'Mail filter', purpose: 'Spam filtering', businessUnit: 'IT', autonomy: 'autonomous' });
    await createAiSystem(ctx, admin, { name: 'Twin', purpose: 'One of two', businessUnit: 'North' });
    await createAiSystem(ctx, admin, { name: 'Twin', purpose: 'One of two', businessUnit: 'South' });
  });
  afterAll(async () => {
    await database?.cleanup();
    if (database) fs.rmSync(database.settings.dataDir, { recursive: true, force: true });
  });

  const classificationCount = async () =>
    Number((await database.db.selectFrom('classifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('prints tier, trace and obligations without storing', async () => {
    const result = await runCli(database, ['classify', 'COMPAS', '--answers', example('compas-recidivism')]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('EU AI Act tier: high-risk through Annex III\n');
    expect(result.stdout).toMatch(/\n {2}Annex III 6\(d\) +Risk of offending or re-offending: high-risk through Annex III\n {6}annex-iii-use: offending-risk-assessment\n/);
    expect(result.stdout).toContain('Obligations for the deployer (14):');
    expect(result.stdout).toMatch(/\n {2}eu-ai-act:Art 26\(11\) +Informing affected persons {2}\(Art 26\(11\)\)\n/);
    expect(result.stdout).not.toContain('eu-ai-act:Art 26(7)');
    expect(result.stdout).toMatch(/\n {2}eu-ai-act:Art 26\(1\) +Use in line with the instructions for use {2}\(High-risk tier\)\n/);
    expect(result.stdout).toContain('GDPR: DPIA required; Art 22 does not apply');
    expect(result.stdout).toContain('Internal impact level: critical (14 of 19 points; high from 7, critical from 12; built-in rules)');
    expect(result.stdout).toContain('\nApproved classification in force: none\n\nNothing was stored');
    expect(await classificationCount()).toBe(0);
  });

  it('names no high-risk route for a prohibited practice', async () => {
    const result = await runCli(database, ['classify', 'Mail filter', '--answers', example('social-scoring')]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('EU AI Act tier: prohibited\n');
  });

  it('classifies a spam filter as minimal', async () => {
    const result = await runCli(database, ['classify', 'Mail filter', '--answers', example('spam-filter')]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('EU AI Act tier: minimal\n');
    expect(result.stdout).toContain('Obligations for the deployer (1):\n  eu-ai-act:Art 4');
  });

  it('prints JSON for another role', async () => {
    const result = await runCli(database, ['classify', compasId, '--answers', example('compas-recidivism'), '--role', 'provider', '--json']);
    expect(result.exitCode).toBe(0);
    const preview = JSON.parse(result.stdout);
    expect(preview).toMatchObject({ aiSystemId: compasId, role: 'provider', roleSource: 'request', result: { euAiAct: { tier: 'high-risk', role: 'provider' } } });
    expect(preview.result.euAiAct.obligations.map((obligation: { ref: string }) => obligation.ref)).toContain('eu-ai-act:Art 9');
  });

  it('saves a draft with --save', async () => {
    const result = await runCli(database, ['classify', compasId, '--answers', example('compas-recidivism'), '--save', '--reason', 'First classification']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\nSaved as draft classification 1 \(id [0-9a-f-]{36}\); a risk owner other than cli:\S+ must approve it\.\n$/);
    const stored = await database.db.selectFrom('classifications').select(['ai_system_id', 'status', 'tier', 'created_by']).execute();
    expect(stored).toEqual([{ ai_system_id: compasId, status: 'draft', tier: 'high-risk', created_by: expect.stringMatching(/^cli:/) }]);
    const event = await database.db.selectFrom('audit_events').select(['action', 'reason']).where('action', '=', 'classification.created').executeTakeFirstOrThrow();
    expect(event.reason).toBe('First classification');
  });

  it('rejects bad answers with exit code 2', async () => {
    const badAnswers = path.join(database.settings.dataDir, 'bad-answers.yaml');
    fs.writeFileSync(badAnswers, fs.readFileSync(example('spam-filter'), 'utf8').replace('annex-iii-use: [none]', 'annex-iii-use: [palm-reading]'));
    const answer = await runCli(database, ['classify', 'Mail filter', '--answers', badAnswers]);
    expect(answer.exitCode).toBe(2);
    expect(answer.stderr).toContain('custos: Invalid value at /answers/annex-iii-use/0: "palm-reading" is not an allowed option of question annex-iii-use; choose one or more of: none, ');

    const list = path.join(database.settings.dataDir, 'list.yaml');
    fs.writeFileSync(list, '- none\n');
    const notMapping = await runCli(database, ['classify', 'Mail filter', '--answers', list]);
    expect(notMapping.exitCode).toBe(2);
    expect(notMapping.stderr).toContain('must map question ids to option ids');
  });

  it('rejects a bad role or system with exit code 2', async () => {
    const role = await runCli(database, ['classify', 'Mail filter', '--answers', example('spam-filter'), '--role', 'reseller']);
    expect(role.exitCode).toBe(2);
    expect(role.stderr).toContain('Invalid --role "reseller"; use one of provider, deployer, importer, distributor');

    const unknown = await runCli(database, ['classify', 'Nope', '--answers', example('spam-filter')]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('No AI system has the id or name "Nope"');

    const twins = await runCli(database, ['classify', 'Twin', '--answers', example('spam-filter')]);
    expect(twins.exitCode).toBe(2);
    expect(twins.stderr).toContain('2 AI systems are named "Twin"; give the id of the one to classify');
    expect(twins.stderr).toContain('business unit North');
  });

  it('rejects a missing answers file', async () => {
    const missingFile = await runCli(database, ['classify', 'Twin', '--answers', path.join(database.settings.dataDir, 'absent.yaml')]);
    expect(missingFile.exitCode).toBe(2);
    expect(await classificationCount()).toBe(1);
  });

  it('shows a stale approved classification', async () => {
    const ctx = testContext(database);
    const mailFilter = await database.db.selectFrom('ai_systems').select('id').where('name', '=', 'Mail filter').executeTakeFirstOrThrow();
    const draft = await createClassificationDraft(ctx, callerWith(['risk_owner'], 'drafter'), mailFilter.id, { answers: exampleAnswers('spam-filter') });
    await approveClassification(ctx, callerWith(['risk_owner'], 'approver'), draft.id, {});

    const current = await runCli(database, ['classify', 'Mail filter', '--answers', example('spam-filter')]);
    expect(current.exitCode).toBe(0);
    expect(current.stdout).toContain(`\nApproved classification in force: 1 (minimal, impact level ${draft.impactLevel}), up to date\n`);

    await updateAiSystem(ctx, callerWith(['administrator'], 'admin'), mailFilter.id, { deploymentEnvironments: ['production'] });
    const stale = await runCli(database, ['classify', 'Mail filter', '--answers', example('spam-filter')]);
    expect(stale.exitCode).toBe(0);
    const staleSince = (await database.db.selectFrom('classifications').select('stale_since').where('id', '=', draft.id).executeTakeFirstOrThrow()).stale_since;
    expect(stale.stdout).toContain(
      `\nApproved classification in force: 1 (minimal, impact level ${draft.impactLevel}), stale since ${staleSince} because deploymentEnvironments changed; approve a new classification to replace it\n`,
    );
  });
});
