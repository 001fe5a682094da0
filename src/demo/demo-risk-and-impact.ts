import fs from 'node:fs';
import path from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import YAML from 'yaml';
import { approveClassificationIn, insertClassificationDraft } from '../classification/classifications.service.js';
import { CreateImpact, CreateImpactAssessment } from '../impact-assessments/impact-assessment.schemas.js';
import { approveImpactAssessmentIn, insertImpactAssessment } from '../impact-assessments/impact-assessments.service.js';
import { insertImpact } from '../impact-assessments/impacts.service.js';
import { systemCaller, type Caller } from '../platform/auth/caller.js';
import type { Db } from '../platform/database/connection.js';
import { AppError, type ErrorDetail } from '../platform/errors.js';
import { findProblems, literalUnion, notBlankPattern } from '../platform/validation.js';
import { insertDemoRisks } from '../risks/demo-risks.js';
import { demoAiSystemKeys, governanceDirectory, type DemoAiSystemKey } from './demo-governance-files.js';

/**
 * Loads the demo's risk and impact records: the COMPAS risks with their treatments and
 * appetites, approved classifications of COMPAS and of a few register systems
 * (examples/governance/classifications), and an approved impact assessment of COMPAS
 * (examples/governance/impact-assessments) linked to its classification and risks. The system
 * user drafts everything, and `demoRiskOwner` approves.
 */

/**
 * The risk owner who approves the demo's classifications and impact assessment. Approving a
 * classification needs the risk_owner or administrator role, which the demo's approver of
 * documents lacks, and the approver must not have drafted the record.
 */
export const demoRiskOwner: Caller = Object.freeze({
  userId: 'demo-risk-owner',
  username: 'demo risk owner',
  roles: ['risk_owner'] as const,
  via: 'system' as const,
  requestId: null,
});

/** Counts of the records that insertDemoRiskAndImpact added. */
export interface DemoRiskAndImpactCounts {
  risks: number;
  classifications: number;
  impactAssessments: number;
  impacts: number;
}

/** The people.yaml keys of the owners of the COMPAS risks and of their treatments. */
const riskOwnerKey = 'chief-risk-officer';
const treatmentOwnerKey = 'ml-platform-lead';

const classificationsFolder = 'classifications';
const impactAssessmentsFolder = 'impact-assessments';

const text = Type.String({ minLength: 1, pattern: notBlankPattern });

const ClassificationFile = Type.Object(
  {
    aiSystem: Type.String({ minLength: 1, description: 'the exact name of an AI system in the demo register' }),
    approvalComment: text,
    // The values are checked against the questionnaire when the draft is computed.
    answers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  },
  { additionalProperties: false },
);

const ImpactAssessmentFile = Type.Object(
  {
    aiSystem: literalUnion(demoAiSystemKeys),
    approvalComment: text,
    assessment: Type.Omit(CreateImpactAssessment, ['aiSystemId', 'classificationId', 'riskIds'], { additionalProperties: false }),
    impacts: Type.Array(CreateImpact, { minItems: 1 }),
  },
  { additionalProperties: false },
);

type ClassificationFile = Static<typeof ClassificationFile>;
type ImpactAssessmentFile = Static<typeof ImpactAssessmentFile>;

/**
 * Writes the demo's risks, classifications and impact assessments inside the caller's write
 * transaction, each through the service's in-transaction function so that it is checked and
 * audited as an API call would be. `people` maps people.yaml keys to person ids, and
 * `aiSystems` maps the demo's AI system keys to ids. A file that fails its checks is a defect of
 * the package and raises an internal error naming the file, which rolls back the whole demo.
 */
export async function insertDemoRiskAndImpact(
  trx: Db,
  now: Date,
  people: ReadonlyMap<string, string>,
  aiSystems: Record<DemoAiSystemKey, string>,
  reason: string,
): Promise<DemoRiskAndImpactCounts> {
  const classificationFiles = readFolder(classificationsFolder, ClassificationFile);
  const assessmentFiles = readFolder(impactAssessmentsFolder, ImpactAssessmentFile);

  const risks = await insertDemoRisks(trx, systemCaller, now, aiSystems.compas, { riskOwnerId: personId(people, riskOwnerKey), treatmentOwnerId: personId(people, treatmentOwnerKey) }, reason);

  // The approved classification of each AI system, by system id, for the impact assessments to link.
  const classifications = new Map<string, string>();
  for (const { file, content } of classificationFiles) {
    const aiSystemId = await findAiSystemId(trx, file, content.aiSystem);
    await namingFile(file, async () => {
      const draft = await insertClassificationDraft(trx, systemCaller, now, aiSystemId, { answers: content.answers }, reason);
      await approveClassificationIn(trx, demoRiskOwner, now, draft.id, { comment: content.approvalComment }, { reason });
      classifications.set(aiSystemId, draft.id);
    });
  }

  let impacts = 0;
  for (const { file, content } of assessmentFiles) {
    impacts += await namingFile(file, () => insertDemoImpactAssessment(trx, now, content, aiSystems[content.aiSystem], classifications, reason));
  }
  return { risks, classifications: classificationFiles.length, impactAssessments: assessmentFiles.length, impacts };
}

/** Inserts an impact assessment with its impacts, linked to the system's classification and risks, and approves it; returns the number of impacts. */
async function insertDemoImpactAssessment(
  trx: Db,
  now: Date,
  content: ImpactAssessmentFile,
  aiSystemId: string,
  classifications: ReadonlyMap<string, string>,
  reason: string,
): Promise<number> {
  const riskRows = await trx.selectFrom('risks').select('id').where('ai_system_id', '=', aiSystemId).orderBy('created_at').orderBy('id').execute();
  const assessment = await insertImpactAssessment(
    trx,
    systemCaller,
    now,
    { ...content.assessment, aiSystemId, classificationId: classifications.get(aiSystemId) ?? null, riskIds: riskRows.map((row) => row.id) },
    reason,
  );
  for (const impact of content.impacts) await insertImpact(trx, systemCaller, now, assessment.id, impact, reason);
  await approveImpactAssessmentIn(trx, demoRiskOwner, now, assessment.id, { comment: content.approvalComment });
  return content.impacts.length;
}

/** Runs a step that writes the records of one demo file, and adds the file's name to a rejection by a service. */
async function namingFile<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    throw new AppError('INTERNAL', `The demo file governance/${file} was rejected: ${error.message}`, [...error.details], { cause: error });
  }
}

function personId(people: ReadonlyMap<string, string>, key: string): string {
  const id = people.get(key);
  if (id === undefined) throw new AppError('INTERNAL', `The demo risks name the person "${key}", who is not in governance/people.yaml; add the person or change the key`);
  return id;
}

/** Finds the one AI system with the name a demo file gives; the register imports do not make names unique. */
async function findAiSystemId(trx: Db, file: string, name: string): Promise<string> {
  const rows = await trx.selectFrom('ai_systems').select('id').where('name', '=', name).limit(2).execute();
  if (rows.length !== 1) {
    const found = rows.length === 0 ? 'no AI system has that name' : 'several AI systems have that name';
    throw new AppError('INTERNAL', `The demo file governance/${file} names the AI system "${name}", but ${found} in the demo register; use the exact name of one system`);
  }
  return rows[0]!.id;
}

/** Reads and checks every YAML file of a folder under examples/governance, in file name order. */
function readFolder<T extends TSchema>(folder: string, schema: T): { file: string; content: Static<T> }[] {
  const directory = path.join(governanceDirectory, folder);
  let names: string[];
  try {
    names = fs.readdirSync(directory).filter((name) => name.endsWith('.yaml')).sort();
  } catch (error) {
    throw new AppError('INTERNAL', `The demo folder ${directory} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}); reinstall the package or start with --no-demo`, [], { cause: error });
  }
  return names.map((name) => {
    const file = `${folder}/${name}`;
    return { file, content: readYaml(path.join(directory, name), file, schema) };
  });
}

function readYaml<T extends TSchema>(filePath: string, file: string, schema: T): Static<T> {
  let parsed: unknown;
  try {
    parsed = YAML.parse(fs.readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new AppError('INTERNAL', `The demo file governance/${file} cannot be read or is not valid YAML: ${(error as Error).message}; reinstall the package or start with --no-demo`, [], { cause: error });
  }
  const problems: ErrorDetail[] = findProblems(schema, parsed);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new AppError('INTERNAL', `The demo file governance/${file} is invalid: ${problems.length} problem${problems.length === 1 ? '' : 's'}, the first at ${first.path}: ${first.message}`, problems);
  }
  return parsed as Static<T>;
}
