import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { systemCaller } from '../../src/platform/auth/caller.js';
import type { Role } from '../../src/platform/auth/roles.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { createApiToken } from '../../src/users/tokens.service.js';
import { insertUser } from '../../src/users/users.service.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type RequestSender, type TestServer } from '../support/server.js';

const fakeHash = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

const systemBody = (name: string) => ({
  name,
  purpose: 'Scores the risk that a defendant reoffends',
  businessUnit: 'Courts',
  lifecycleStage: 'production',
  organizationRole: 'deployer',
  deploymentEnvironments: ['production'],
  autonomy: 'human_in_the_loop',
  affectedGroups: ['defendants'],
  decisionDomain: 'criminal justice',
});

/** Every field that ISO/IEC 42005 clause 6 lists, filled in. */
const iso42005Content = {
  scope: 'Pretrial release and sentencing decisions in the county courts.',
  systemDescription: 'A questionnaire-based risk scale bought from a vendor.',
  systemCapabilities: 'Produces a decile score for general and violent recidivism.',
  purpose: 'Inform judges about the risk of reoffending.',
  intendedUses: 'Advisory input to a judge, alongside the case file.',
  unintendedUses: 'Sole basis for detention; use on juveniles.',
  dataDescription: 'Criminal history and questionnaire answers of defendants.',
  dataQuality: 'Records checked against the court system monthly.',
  algorithmAndModel: 'Proprietary regression model; vendor documentation only.',
  deploymentEnvironment: 'Court case management system, used by clerks and judges.',
  interestedParties: [
    { name: 'Defendants', interest: 'Fair and explainable release decisions' },
    { name: 'Judges', interest: 'Reliable information' },
  ],
  measures: 'Judges receive training; scores are never the only ground of a decision.',
};

const fundamentalRightsContent = {
  deployerProcesses: 'Bail hearings: the clerk runs the scale and files the score with the case.',
  periodOfUse: 'From January 2026 for three years.',
  frequencyOfUse: 'About 40 hearings a day.',
  affectedCategories: ['Defendants awaiting a bail decision', 'Their families'],
  humanOversightMeasures: 'A judge decides; the score is advisory and can be set aside with reasons.',
  riskMaterialisationMeasures: 'Suspend use and review affected decisions.',
  internalGovernance: 'The court AI board meets monthly and receives every incident.',
  complaintMechanisms: 'Defendants may appeal and ask for the score and its inputs.',
};

const harm = {
  affectedParty: 'Black defendants',
  affectedScope: 'group',
  description: 'Higher false positive rate leads to more pretrial detention.',
  nature: 'harm',
  occurrence: 'actual',
  origin: 'intended_use',
  severity: 'severe',
  likelihood: 'likely',
  reversibility: 'hard_to_reverse',
  measures: 'Monitor error rates by group every quarter; judges see group error rates.',
  residualSeverity: 'significant',
  residualLikelihood: 'possible',
};

const benefit = {
  affectedParty: 'Defendants',
  affectedScope: 'individual',
  description: 'More consistent release decisions.',
  nature: 'benefit',
  occurrence: 'foreseeable',
  origin: 'intended_use',
  severity: 'limited',
  likelihood: 'possible',
};

describe.each(databaseKinds)('impact assessments API on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let server: TestServer;
  let systemId: string;
  let otherSystemId: string;
  let friaSystemId: string;
  let spareSystemId: string;
  let systemRiskId: string;
  let organizationRiskId: string;
  let otherSystemRiskId: string;
  /** A second risk owner, who may approve what the first one wrote. */
  let secondRiskOwner: RequestSender;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    server = await startTestServer(ctx);
    secondRiskOwner = await senderForNewUser('second-risk-owner', 'risk_owner');
    const admin = server.as('administrator');
    const system = async (name: string) => {
      const response = await admin('POST', '/api/ai-systems', { body: systemBody(name) });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    systemId = await system('Recidivism risk scale');
    otherSystemId = await system('Parking permit triage');
    friaSystemId = await system('Housing benefit fraud signals');
    spareSystemId = await system('Translation assistant');

    const person = await admin('POST', '/api/people', { body: { name: 'Rita Riskowner', jobTitle: 'Head of risk' } });
    expect(person.statusCode).toBe(201);
    const risk = async (title: string, aiSystemId: string | null) => {
      const response = await admin('POST', '/api/risks', {
        body: { title, aiSystemId, riskSourceRef: 'iso42001:C.3.1', objectiveRef: 'iso42001:C.2.1', category: 'ethical', ownerPersonId: person.json().id },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().id as string;
    };
    systemRiskId = await risk('Biased release recommendations', systemId);
    organizationRiskId = await risk('Automation bias of staff', null);
    otherSystemRiskId = await risk('Wrong permit queue', otherSystemId);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  async function senderForNewUser(username: string, role: Role): Promise<RequestSender> {
    await writeTransaction(database, (trx) => insertUser(trx, systemCaller, ctx.clock.now(), { username, roles: [role] }, fakeHash));
    const { token } = await createApiToken(ctx, systemCaller, { username, role });
    return async (method, url, options = {}) =>
      server.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
        ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
      });
  }

  const userIdOf = async (send: RequestSender): Promise<string> => (await send('GET', '/api/auth/me')).json().user.id;

  const countRows = async (table: 'audit_events' | 'impact_assessments' | 'impact_assessment_impacts' | 'impact_assessment_risks'): Promise<number> => {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    return Number(row.total);
  };

  it('runs an assessment through draft, approval and revision', async () => {
    const riskOwnerId = await userIdOf(server.as('risk_owner'));
    const dpoId = await userIdOf(server.as('data_protection_officer'));
    const approverId = await userIdOf(server.as('approver'));

    const created = await server.as('risk_owner')('POST', '/api/impact-assessments', { body: { aiSystemId: systemId, riskIds: [systemRiskId, organizationRiskId] } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const draft = created.json();
    expect(draft).toMatchObject({
      aiSystemId: systemId,
      number: 1,
      status: 'draft',
      title: 'Impact assessment of Recidivism risk scale',
      fria: false,
      classificationId: null,
      basedOnId: null,
      riskIds: [systemRiskId, organizationRiskId].sort(),
      scope: '',
      interestedParties: [],
      impacts: [],
      authorId: riskOwnerId,
      editorIds: [],
      approvedBy: null,
      canadaAia: null,
    });
    expect((await server.as('internal_auditor')('GET', `/api/impact-assessments/${draft.id}`)).json()).toEqual(draft);

    const edited = await server.as('risk_owner')('PATCH', `/api/impact-assessments/${draft.id}`, { body: iso42005Content, headers: { 'if-match': '"1"' } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(edited.json()).toMatchObject(iso42005Content);

    const notReady = await server.as('internal_auditor')('GET', `/api/impact-assessments/${draft.id}/completeness`);
    expect(notReady.json()).toMatchObject({ readyForApproval: false, fria: false, fundamentalRights: null });
    expect(notReady.json().iso42005.filter((item: { complete: boolean }) => !item.complete).map((item: { ref: string }) => item.ref)).toEqual(['6.8']);

    const harmResponse = await server.as('risk_owner')('POST', `/api/impact-assessments/${draft.id}/impacts`, { body: harm });
    expect(harmResponse.statusCode, harmResponse.body).toBe(201);
    expect(harmResponse.json()).toMatchObject({ ...harm, position: 1, assessmentId: draft.id, version: 1 });
    const benefitResponse = await server.as('risk_owner')('POST', `/api/impact-assessments/${draft.id}/impacts`, { body: benefit });
    expect(benefitResponse.statusCode).toBe(201);
    expect(benefitResponse.json()).toMatchObject({ position: 2, reversibility: null, measures: '', residualSeverity: null });

    // A second writer joins the editors and so may not approve either.
    const reworded = await server.as('data_protection_officer')('PATCH', `/api/impact-assessments/${draft.id}/impacts/${harmResponse.json().id}`, {
      body: { description: 'Higher false positive rate for Black defendants leads to more pretrial detention.' },
      headers: { 'if-match': '"1"' },
    });
    expect(reworded.statusCode, reworded.body).toBe(200);
    expect(reworded.json().version).toBe(2);

    const current = await server.as('risk_owner')('GET', `/api/impact-assessments/${draft.id}`);
    // Created, edited, two impacts added, one impact changed: version 5.
    expect(current.headers.etag).toBe('"5"');
    expect(current.json().editorIds).toEqual([dpoId]);
    expect(current.json().impacts.map((impact: { nature: string }) => impact.nature)).toEqual(['harm', 'benefit']);
    const ready = await server.as('internal_auditor')('GET', `/api/impact-assessments/${draft.id}/completeness`);
    expect(ready.json().readyForApproval).toBe(true);

    const byAuthor = await server.as('risk_owner')('POST', `/api/impact-assessments/${draft.id}/approve`, { body: {} });
    expect(byAuthor.statusCode).toBe(403);
    expect(byAuthor.json().error.message).toContain('risk-owner authored version 1');
    const byEditor = await server.as('data_protection_officer')('POST', `/api/impact-assessments/${draft.id}/approve`, { body: {} });
    expect(byEditor.statusCode).toBe(403);
    expect(byEditor.json().error.message).toContain('edited version 1');
    const stale = await server.as('approver')('POST', `/api/impact-assessments/${draft.id}/approve`, { body: {}, headers: { 'if-match': '"4"' } });
    expect(stale.statusCode).toBe(412);
    const byValidator = await server.as('validator')('POST', `/api/impact-assessments/${draft.id}/approve`, { body: {} });
    expect(byValidator.statusCode).toBe(403);

    const approved = await server.as('approver')('POST', `/api/impact-assessments/${draft.id}/approve`, {
      body: { comment: 'Reviewed by the court AI board' },
      headers: { 'if-match': '"5"' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.headers.etag).toBe('"6"');
    expect(approved.json()).toMatchObject({ status: 'approved', approvedBy: approverId, approvalComment: 'Reviewed by the court AI board' });

    // An approved version is frozen.
    const frozen = [
      await server.as('risk_owner')('PATCH', `/api/impact-assessments/${draft.id}`, { body: { scope: 'Changed' } }),
      await server.as('risk_owner')('POST', `/api/impact-assessments/${draft.id}/impacts`, { body: benefit }),
      await server.as('risk_owner')('DELETE', `/api/impact-assessments/${draft.id}/impacts/${harmResponse.json().id}`),
      await server.as('risk_owner')('PUT', `/api/impact-assessments/${draft.id}/canada-aia/answers`, { body: { answers: {} } }),
      await server.as('risk_owner')('DELETE', `/api/impact-assessments/${draft.id}`),
      await secondRiskOwner('POST', `/api/impact-assessments/${draft.id}/approve`, { body: {} }),
    ];
    expect(frozen.map((response) => response.statusCode)).toEqual([409, 409, 409, 409, 409, 409]);
    expect(frozen[0]!.json().error.message).toContain(`start a revision with POST /api/impact-assessments/${draft.id}/revisions`);

    const revision = await server.as('data_protection_officer')('POST', `/api/impact-assessments/${draft.id}/revisions`);
    expect(revision.statusCode, revision.body).toBe(201);
    const second = revision.json();
    expect(second).toMatchObject({ number: 2, status: 'draft', basedOnId: draft.id, authorId: dpoId, editorIds: [], approvedBy: null, riskIds: draft.riskIds, ...iso42005Content });
    expect(second.impacts.map((impact: { description: string }) => impact.description)).toEqual(approved.json().impacts.map((impact: { description: string }) => impact.description));
    expect(second.impacts[0].id).not.toBe(approved.json().impacts[0].id);

    const twice = await server.as('risk_owner')('POST', `/api/impact-assessments/${draft.id}/revisions`);
    expect(twice.statusCode).toBe(409);
    const fresh = await server.as('risk_owner')('POST', '/api/impact-assessments', { body: { aiSystemId: systemId } });
    expect(fresh.statusCode).toBe(409);
    expect(fresh.json().error.message).toContain('already has an open draft, version 2');
    const reviseDraft = await server.as('risk_owner')('POST', `/api/impact-assessments/${second.id}/revisions`);
    expect(reviseDraft.statusCode).toBe(409);

    const listed = await server.as('internal_auditor')('GET', `/api/impact-assessments?aiSystemId=${systemId}&sort=number`);
    expect(listed.json()).toMatchObject({ total: 2, items: [{ number: 1, status: 'approved', impactCount: 2 }, { number: 2, status: 'draft', impactCount: 2 }] });
    expect((await server.as('internal_auditor')('GET', `/api/impact-assessments?aiSystemId=${systemId}&status=approved`)).json().total).toBe(1);

    const discarded = await server.as('data_protection_officer')('DELETE', `/api/impact-assessments/${second.id}`, { headers: { 'if-match': '"1"' } });
    expect(discarded.statusCode).toBe(204);
    expect((await server.as('internal_auditor')('GET', `/api/impact-assessments/${second.id}`)).statusCode).toBe(404);
    expect((await server.as('internal_auditor')('GET', `/api/impact-assessments?aiSystemId=${systemId}`)).json().total).toBe(1);
  });

  it('reports missing FRIA content and approves once complete', async () => {
    const created = await server.as('data_protection_officer')('POST', '/api/impact-assessments', {
      body: { aiSystemId: friaSystemId, title: 'FRIA of housing benefit fraud signals', fria: true, ...iso42005Content },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await server.as('data_protection_officer')('POST', `/api/impact-assessments/${id}/impacts`, { body: benefit })).statusCode).toBe(201);

    const empty = (await server.as('internal_auditor')('GET', `/api/impact-assessments/${id}/completeness`)).json();
    expect(empty.fria).toBe(true);
    expect(empty.readyForApproval).toBe(false);
    expect(empty.iso42005.every((item: { complete: boolean }) => item.complete)).toBe(true);
    expect(empty.fundamentalRights.map((item: { ref: string; complete: boolean }) => [item.ref, item.complete])).toEqual([
      ['Art 27(1)(a)', false],
      ['Art 27(1)(b)', false],
      ['Art 27(1)(c)', false],
      ['Art 27(1)(d)', false],
      ['Art 27(1)(e)', false],
      ['Art 27(1)(f)', false],
    ]);
    expect(empty.fundamentalRights[1].missing).toEqual(['periodOfUse is blank', 'frequencyOfUse is blank']);

    const blocked = await server.as('approver')('POST', `/api/impact-assessments/${id}/approve`, { body: {} });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details.map((detail: { path: string }) => detail.path)).toEqual([
      'Art 27(1)(a)',
      'Art 27(1)(b)',
      'Art 27(1)(c)',
      'Art 27(1)(d)',
      'Art 27(1)(e)',
      'Art 27(1)(f)',
    ]);

    const { complaintMechanisms: _complaints, ...mostRights } = fundamentalRightsContent;
    expect((await server.as('data_protection_officer')('PATCH', `/api/impact-assessments/${id}`, { body: mostRights })).statusCode).toBe(200);
    const partial = (await server.as('internal_auditor')('GET', `/api/impact-assessments/${id}/completeness`)).json();
    expect(partial.fundamentalRights.filter((item: { complete: boolean }) => !item.complete)).toEqual([
      { ref: 'Art 27(1)(d)', title: 'Specific risks of harm', complete: false, missing: ['no impact of nature harm is recorded'] },
      {
        ref: 'Art 27(1)(f)',
        title: 'Measures if the risks materialise, with governance and complaint mechanisms',
        complete: false,
        missing: ['complaintMechanisms is blank'],
      },
    ]);

    const harmWithoutMeasures = await server.as('data_protection_officer')('POST', `/api/impact-assessments/${id}/impacts`, { body: { ...harm, measures: '' } });
    expect(harmWithoutMeasures.statusCode).toBe(201);
    expect((await server.as('data_protection_officer')('PATCH', `/api/impact-assessments/${id}`, { body: { complaintMechanisms: fundamentalRightsContent.complaintMechanisms } })).statusCode).toBe(200);
    const almost = (await server.as('internal_auditor')('GET', `/api/impact-assessments/${id}/completeness`)).json();
    expect(almost.readyForApproval).toBe(false);
    expect(almost.iso42005.find((item: { ref: string }) => item.ref === '6.9').missing).toEqual(['1 harm(s) have blank measures']);

    const harmId = harmWithoutMeasures.json().id;
    expect((await server.as('data_protection_officer')('PATCH', `/api/impact-assessments/${id}/impacts/${harmId}`, { body: { measures: harm.measures } })).statusCode).toBe(200);
    const complete = (await server.as('internal_auditor')('GET', `/api/impact-assessments/${id}/completeness`)).json();
    expect(complete.readyForApproval).toBe(true);

    // The data protection officer wrote it; a risk owner who did not may approve it.
    const approved = await server.as('risk_owner')('POST', `/api/impact-assessments/${id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    expect((await server.as('internal_auditor')('GET', '/api/impact-assessments?fria=true')).json().items.map((item: { id: string }) => item.id)).toEqual([id]);
  });

  it('links risks of the same system or the organization', async () => {
    const created = await server.as('ai_system_owner')('POST', '/api/impact-assessments', { body: { aiSystemId: otherSystemId, riskIds: [otherSystemRiskId] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(created.json().riskIds).toEqual([otherSystemRiskId]);

    const relinked = await server.as('ai_system_owner')('PATCH', `/api/impact-assessments/${id}`, { body: { riskIds: [organizationRiskId] } });
    expect(relinked.statusCode).toBe(200);
    expect(relinked.json().riskIds).toEqual([organizationRiskId]);

    const byRisk = await server.as('internal_auditor')('GET', `/api/impact-assessments?riskId=${organizationRiskId}&sort=createdAt`);
    expect(byRisk.json().items.map((item: { aiSystemId: string }) => item.aiSystemId)).toEqual([systemId, otherSystemId]);
    expect((await server.as('internal_auditor')('GET', `/api/impact-assessments?riskId=${otherSystemRiskId}`)).json().total).toBe(0);

    const before = await countRows('impact_assessment_risks');
    const foreign = await server.as('ai_system_owner')('PATCH', `/api/impact-assessments/${id}`, { body: { riskIds: [organizationRiskId, systemRiskId, 'no-such-risk'] } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details).toEqual([
      {
        path: '/riskIds/1',
        message: `the risk "Biased release recommendations" (id ${systemRiskId}) belongs to another AI system (id ${systemId}); link risks of this AI system or of the whole organization`,
      },
      { path: '/riskIds/2', message: 'no risk with id "no-such-risk" exists; check the id or add the risk to the register first' },
    ]);
    expect(await countRows('impact_assessment_risks')).toBe(before);
    expect((await server.as('internal_auditor')('GET', `/api/impact-assessments/${id}`)).json().riskIds).toEqual([organizationRiskId]);
  });

  it('links a classification of the same system', async () => {
    const classify = async (aiSystemId: string, example: string) => {
      const answers = YAML.parse(fs.readFileSync(new URL(`../../classification/examples/${example}.yaml`, import.meta.url), 'utf8'));
      const response = await server.as('risk_owner')('POST', `/api/ai-systems/${aiSystemId}/classifications`, { body: { answers } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().id as string;
    };
    const recidivismClassification = await classify(systemId, 'compas-recidivism');
    const permitClassification = await classify(otherSystemId, 'spam-filter');
    const draft = (await server.as('internal_auditor')('GET', `/api/impact-assessments?aiSystemId=${otherSystemId}&status=draft`)).json().items[0];

    const foreign = await server.as('ai_system_owner')('PATCH', `/api/impact-assessments/${draft.id}`, { body: { classificationId: recidivismClassification } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details).toEqual([
      {
        path: '/classificationId',
        message: `the classification "${recidivismClassification}" is of another AI system (id ${systemId}); link a classification of the system assessed`,
      },
    ]);

    const linked = await server.as('ai_system_owner')('PATCH', `/api/impact-assessments/${draft.id}`, { body: { classificationId: permitClassification } });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().classificationId).toBe(permitClassification);
    const stored = (await server.as('internal_auditor')('GET', `/api/classifications/${permitClassification}`)).json();
    expect(linked.json().classification).toEqual({
      id: permitClassification,
      number: stored.number,
      status: 'draft',
      tier: 'minimal',
      impactLevel: stored.impactLevel,
      stale: false,
      staleSince: null,
      staleInputs: [],
    });

    // A change to an input the classification used shows on the assessment that relies on it.
    const changed = await server.as('administrator')('PATCH', `/api/ai-systems/${otherSystemId}`, { body: { purpose: 'Issues parking permits to residents' } });
    expect(changed.statusCode, changed.body).toBe(200);
    const read = (await server.as('internal_auditor')('GET', `/api/impact-assessments/${draft.id}`)).json();
    expect(read.classification).toMatchObject({ id: permitClassification, stale: true, staleInputs: ['purpose'] });
    expect(read.classification.staleSince).toEqual(expect.any(String));
    const listed = (await server.as('internal_auditor')('GET', `/api/impact-assessments?aiSystemId=${otherSystemId}&status=draft`)).json().items[0];
    expect(listed.classification).toEqual(read.classification);

    const unlinked = await server.as('ai_system_owner')('PATCH', `/api/impact-assessments/${draft.id}`, { body: { classificationId: null } });
    expect(unlinked.json().classificationId).toBeNull();
    expect(unlinked.json().classification).toBeNull();
    expect((await server.as('internal_auditor')('GET', `/api/impact-assessments?aiSystemId=${otherSystemId}&status=draft`)).json().items[0].classification).toBeNull();
  });

  it('rejects bad input and writes nothing', async () => {
    const owner = server.as('risk_owner');
    const events = await countRows('audit_events');
    const assessments = await countRows('impact_assessments');

    const unknownSystem = await owner('POST', '/api/impact-assessments', { body: { aiSystemId: 'no-such-system' } });
    expect(unknownSystem.statusCode).toBe(400);
    expect(unknownSystem.json().error.details).toEqual([
      { path: '/aiSystemId', message: 'no AI system with id "no-such-system" exists; check the id or register the AI system first' },
    ]);
    const classification = await owner('POST', '/api/impact-assessments', { body: { aiSystemId: spareSystemId, classificationId: 'no-such-classification' } });
    expect(classification.statusCode).toBe(400);
    expect(classification.json().error.details).toEqual([
      { path: '/classificationId', message: 'no classification with id "no-such-classification" exists; check the id or classify the AI system first' },
    ]);
    expect(await countRows('impact_assessments')).toBe(assessments);
    expect(await countRows('audit_events')).toBe(events);

    const created = await owner('POST', '/api/impact-assessments', { body: { aiSystemId: spareSystemId } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const impactsBefore = await countRows('impact_assessment_impacts');
    const eventsBefore = await countRows('audit_events');

    const { reversibility: _reversibility, ...harmWithoutReversibility } = harm;
    const noReversibility = await owner('POST', `/api/impact-assessments/${id}/impacts`, { body: harmWithoutReversibility });
    expect(noReversibility.statusCode).toBe(400);
    expect(noReversibility.json().error.details).toEqual([{ path: '/reversibility', message: 'must be reversible, hard_to_reverse or irreversible for a harm' }]);

    const halfResidual = await owner('POST', `/api/impact-assessments/${id}/impacts`, { body: { ...harm, residualLikelihood: null } });
    expect(halfResidual.statusCode).toBe(400);
    expect(halfResidual.json().error.details[0].path).toBe('/residualLikelihood');

    const badSeverity = await owner('POST', `/api/impact-assessments/${id}/impacts`, { body: { ...harm, severity: 'catastrophic' } });
    expect(badSeverity.statusCode).toBe(400);
    expect(badSeverity.json().error.details[0].message).toContain('must be one of negligible, limited, significant, severe');

    const unknownField = await owner('PATCH', `/api/impact-assessments/${id}`, { body: { summary: 'not a field' } });
    expect(unknownField.statusCode).toBe(400);
    const blankParty = await owner('PATCH', `/api/impact-assessments/${id}`, { body: { interestedParties: [{ name: ' ', interest: '' }] } });
    expect(blankParty.statusCode).toBe(400);
    expect(blankParty.json().error.details[0].path).toBe('/interestedParties/0/name');

    expect(await countRows('impact_assessment_impacts')).toBe(impactsBefore);
    expect(await countRows('audit_events')).toBe(eventsBefore);

    // A good impact can then be added and removed again.
    const added = await owner('POST', `/api/impact-assessments/${id}/impacts`, { body: benefit });
    expect(added.statusCode).toBe(201);
    const removed = await owner('DELETE', `/api/impact-assessments/${id}/impacts/${added.json().id}`, { headers: { 'if-match': '"1"' } });
    expect(removed.statusCode).toBe(204);
    expect((await owner('GET', `/api/impact-assessments/${id}/impacts/${added.json().id}`)).statusCode).toBe(404);
  });

  it('lets the internal auditor read and change nothing', async () => {
    const listed = await server.as('internal_auditor')('GET', '/api/impact-assessments');
    expect(listed.statusCode).toBe(200);
    const approved = listed.json().items.find((item: { status: string }) => item.status === 'approved');
    const auditor = server.as('internal_auditor');
    const attempts = [
      await auditor('POST', '/api/impact-assessments', { body: { aiSystemId: systemId } }),
      await auditor('PATCH', `/api/impact-assessments/${approved.id}`, { body: { scope: 'x' } }),
      await auditor('DELETE', `/api/impact-assessments/${approved.id}`),
      await auditor('POST', `/api/impact-assessments/${approved.id}/approve`, { body: {} }),
      await auditor('POST', `/api/impact-assessments/${approved.id}/revisions`, { body: {} }),
      await auditor('POST', `/api/impact-assessments/${approved.id}/impacts`, { body: benefit }),
      await auditor('PUT', `/api/impact-assessments/${approved.id}/canada-aia/answers`, { body: { answers: {} } }),
    ];
    expect(attempts.map((response) => response.statusCode)).toEqual([403, 403, 403, 403, 403, 403, 403]);

    for (const path of ['', '/completeness', '/canada-aia/answers']) {
      expect((await auditor('GET', `/api/impact-assessments/${approved.id}${path}`)).statusCode).toBe(200);
    }
    // Writing needs impact_assessments.write, which the approver and the validator lack.
    expect((await server.as('approver')('POST', '/api/impact-assessments', { body: { aiSystemId: systemId } })).statusCode).toBe(403);
    expect((await server.as('validator')('POST', '/api/impact-assessments', { body: { aiSystemId: systemId } })).statusCode).toBe(403);
  });

  it('audits every change in an intact chain', async () => {
    const actions = await database.db.selectFrom('audit_events').select('action').where('action', 'like', 'impact_assessment%').execute();
    const seen = new Set(actions.map((row) => row.action));
    for (const action of [
      'impact_assessment.created',
      'impact_assessment.updated',
      'impact_assessment.deleted',
      'impact_assessment.approved',
      'impact_assessment_impact.created',
      'impact_assessment_impact.updated',
      'impact_assessment_impact.deleted',
    ]) {
      expect(seen, action).toContain(action);
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
