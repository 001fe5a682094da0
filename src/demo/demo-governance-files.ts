import '../platform/formats.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import YAML from 'yaml';
import { efforts, remediationStatuses } from '../assessments/assessment.js';
import { documentKinds } from '../documents/document.js';
import { confidentialityLevels, evidenceKinds } from '../evidence/evidence.js';
import { objectiveDirections, objectiveStatuses } from '../objectives/objective.js';
import { AppError, type ErrorDetail } from '../platform/errors.js';
import { findProblems, literalUnion, notBlankPattern } from '../platform/validation.js';
import { implementationStatuses, inclusionBases } from '../statement-of-applicability/soa.js';

/**
 * Reads the demo organization's governance records from examples/governance: YAML files for
 * people, the Statement of Applicability, the gap assessment, documents, evidence and objectives,
 * plus the Markdown and CSV files they name. Every file is checked, and so is every key one file
 * uses to name a record of another, before anything is written. A problem here is a defect of
 * the package, so it is reported as an internal error naming the file.
 */

export const governanceDirectory = fileURLToPath(new URL('../../examples/governance/', import.meta.url));

/** The AI systems that governance files may name, by key. The loader maps each key to the system's id. */
export const demoAiSystemKeys = ['compas'] as const;
export type DemoAiSystemKey = (typeof demoAiSystemKeys)[number];

const text = Type.String({ minLength: 1, pattern: notBlankPattern });
const optionalText = Type.Optional(Type.String());
const key = Type.String({ pattern: '^[a-z][a-z0-9-]*$', description: 'lower-case letters, digits and hyphens' });
const catalogueRef = Type.String({ pattern: '^[a-z0-9-]+:\\S.*$', description: 'a catalogue ref such as iso42001:A.6.2.4' });
/** A path below examples/governance, without `..` or a leading slash. */
const relativeFile = Type.String({ pattern: '^(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._/-]+$' });
const days = Type.Integer({ minimum: 0, maximum: 3650 });
const aiSystemKeys = Type.Array(literalUnion(demoAiSystemKeys), { uniqueItems: true });

const PeopleFile = Type.Array(
  Type.Object(
    {
      key,
      name: text,
      jobTitle: text,
      email: Type.String({ format: 'email' }),
      reportsTo: Type.Optional(key),
      boardMember: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);

const SoaEntryEntry = Type.Object(
  {
    decision: literalUnion(['applicable', 'excluded'] as const),
    justification: text,
    basis: Type.Optional(Type.Array(literalUnion(inclusionBases), { uniqueItems: true })),
    requirements: Type.Optional(Type.Array(catalogueRef, { uniqueItems: true })),
    status: Type.Optional(literalUnion(implementationStatuses)),
    owner: Type.Optional(key),
    notes: optionalText,
  },
  { additionalProperties: false },
);

const SoaFile = Type.Object(
  { title: text, approvalComment: text, entries: Type.Record(catalogueRef, SoaEntryEntry) },
  { additionalProperties: false },
);

const GapAnswerEntry = Type.Object(
  {
    maturity: Type.Integer({ minimum: 0, maximum: 5 }),
    comment: text,
    effort: Type.Optional(literalUnion(efforts)),
    evidence: Type.Optional(Type.Array(key, { uniqueItems: true })),
  },
  { additionalProperties: false },
);

const GapAssessmentFile = Type.Object(
  {
    title: text,
    description: text,
    targetLevel: Type.Integer({ minimum: 1, maximum: 5 }),
    leadAssessor: key,
    answers: Type.Record(catalogueRef, GapAnswerEntry),
    remediationActions: Type.Array(
      Type.Object(
        { item: catalogueRef, title: text, description: text, owner: key, dueInDays: days, status: literalUnion(remediationStatuses) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const DocumentsFile = Type.Array(
  Type.Object(
    {
      title: text,
      kind: literalUnion(documentKinds),
      isAiPolicy: Type.Optional(Type.Boolean()),
      owner: key,
      reviewIntervalMonths: Type.Integer({ minimum: 1 }),
      retentionMonths: Type.Integer({ minimum: 1 }),
      confidentiality: literalUnion(confidentialityLevels),
      catalogueRefs: Type.Array(catalogueRef, { uniqueItems: true }),
      content: relativeFile,
      changeSummary: text,
      approve: Type.Boolean(),
      approvalComment: Type.Optional(text),
    },
    { additionalProperties: false },
  ),
);

const EvidenceFile = Type.Array(
  Type.Object(
    {
      key,
      file: relativeFile,
      mediaType: Type.String({ pattern: '^[a-z]+/[a-z0-9.+-]+$' }),
      title: text,
      kind: literalUnion(evidenceKinds),
      description: text,
      collectedBy: key,
      collectedDaysAgo: days,
      validUntilInDays: Type.Optional(days),
      confidentiality: literalUnion(confidentialityLevels),
      links: Type.Object(
        { catalogueRefs: Type.Optional(Type.Array(catalogueRef, { uniqueItems: true })), aiSystems: Type.Optional(aiSystemKeys) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
);

const ObjectivesFile = Type.Array(
  Type.Object(
    {
      title: text,
      description: text,
      metricName: text,
      targetValue: Type.Number(),
      unit: Type.String(),
      direction: literalUnion(objectiveDirections),
      owner: key,
      dueInDays: days,
      status: literalUnion(objectiveStatuses),
      catalogueRefs: Type.Array(catalogueRef, { uniqueItems: true }),
      aiSystems: Type.Optional(aiSystemKeys),
      measurements: Type.Array(Type.Object({ value: Type.Number(), daysAgo: days, note: text }, { additionalProperties: false })),
    },
    { additionalProperties: false },
  ),
);

export type DemoPerson = Static<typeof PeopleFile>[number];
export type DemoSoa = Static<typeof SoaFile>;
export type DemoSoaEntry = Static<typeof SoaEntryEntry>;
export type DemoGapAssessment = Static<typeof GapAssessmentFile>;
export type DemoDocument = Static<typeof DocumentsFile>[number] & { text: string };
export type DemoEvidence = Static<typeof EvidenceFile>[number] & { path: string };
export type DemoObjective = Static<typeof ObjectivesFile>[number];

/** The governance records of the demo organization, checked and with document texts read. */
export interface DemoGovernanceData {
  people: DemoPerson[];
  soa: DemoSoa;
  gapAssessment: DemoGapAssessment;
  documents: DemoDocument[];
  evidence: DemoEvidence[];
  objectives: DemoObjective[];
}

export function readDemoGovernance(directory: string = governanceDirectory): DemoGovernanceData {
  const people = readYaml(directory, 'people.yaml', PeopleFile);
  const soa = readYaml(directory, 'statement-of-applicability.yaml', SoaFile);
  const gapAssessment = readYaml(directory, 'gap-assessment.yaml', GapAssessmentFile);
  const documents = readYaml(directory, 'documents.yaml', DocumentsFile).map((document) => ({
    ...document,
    text: readText(directory, document.content),
  }));
  const evidence = readYaml(directory, 'evidence.yaml', EvidenceFile).map((entry) => ({ ...entry, path: path.join(directory, entry.file) }));
  const objectives = readYaml(directory, 'objectives.yaml', ObjectivesFile);

  const data = { people, soa, gapAssessment, documents, evidence, objectives };
  const problems = findReferenceProblems(data);
  if (problems.length > 0) throw invalidDemoFile(problems[0]!.file, [problems[0]!.problem], problems.length);
  return data;
}

interface ReferenceProblem {
  file: string;
  problem: ErrorDetail;
}

/** Checks the keys that one file uses to name records of another, and the rules that tie the SoA and the gap assessment together. */
function findReferenceProblems(data: DemoGovernanceData): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const personKeys = new Set<string>();
  data.people.forEach((person, index) => {
    if (personKeys.has(person.key)) problems.push({ file: 'people.yaml', problem: { path: `/${index}/key`, message: `"${person.key}" is used twice` } });
    // A manager must come first, so that people can be inserted in file order.
    if (person.reportsTo !== undefined && !personKeys.has(person.reportsTo)) {
      problems.push({ file: 'people.yaml', problem: { path: `/${index}/reportsTo`, message: `"${person.reportsTo}" is not a person listed above this one` } });
    }
    personKeys.add(person.key);
  });
  const checkPerson = (file: string, pointer: string, value: string) => {
    if (!personKeys.has(value)) problems.push({ file, problem: { path: pointer, message: `"${value}" is not a key in people.yaml` } });
  };

  for (const [ref, entry] of Object.entries(data.soa.entries)) {
    const pointer = `/entries/${ref}`;
    if (entry.decision === 'applicable') {
      if (entry.status === undefined) problems.push({ file: 'statement-of-applicability.yaml', problem: { path: `${pointer}/status`, message: 'is required for an applicable control' } });
      if (entry.owner === undefined) problems.push({ file: 'statement-of-applicability.yaml', problem: { path: `${pointer}/owner`, message: 'is required for an applicable control' } });
    } else if (entry.status !== undefined || (entry.basis ?? []).length > 0) {
      problems.push({ file: 'statement-of-applicability.yaml', problem: { path: pointer, message: 'is excluded, so it has neither status nor basis' } });
    }
    if (entry.owner !== undefined) checkPerson('statement-of-applicability.yaml', `${pointer}/owner`, entry.owner);
  }

  const evidenceKeys = new Set(data.evidence.map((entry) => entry.key));
  if (evidenceKeys.size !== data.evidence.length) problems.push({ file: 'evidence.yaml', problem: { path: '/', message: 'uses an evidence key twice' } });
  data.evidence.forEach((entry, index) => checkPerson('evidence.yaml', `/${index}/collectedBy`, entry.collectedBy));

  checkPerson('gap-assessment.yaml', '/leadAssessor', data.gapAssessment.leadAssessor);
  for (const [ref, answer] of Object.entries(data.gapAssessment.answers)) {
    const soaEntry = data.soa.entries[ref];
    if (soaEntry?.decision === 'excluded') {
      problems.push({ file: 'gap-assessment.yaml', problem: { path: `/answers/${ref}`, message: 'is excluded in the Statement of Applicability, which makes it not applicable; remove the answer' } });
    }
    for (const evidenceKey of answer.evidence ?? []) {
      if (!evidenceKeys.has(evidenceKey)) problems.push({ file: 'gap-assessment.yaml', problem: { path: `/answers/${ref}/evidence`, message: `"${evidenceKey}" is not a key in evidence.yaml` } });
    }
  }
  data.gapAssessment.remediationActions.forEach((action, index) => checkPerson('gap-assessment.yaml', `/remediationActions/${index}/owner`, action.owner));
  data.documents.forEach((document, index) => checkPerson('documents.yaml', `/${index}/owner`, document.owner));
  data.objectives.forEach((objective, index) => checkPerson('objectives.yaml', `/${index}/owner`, objective.owner));
  return problems;
}

function readYaml<T extends TSchema>(directory: string, file: string, schema: T): Static<T> {
  let parsed: unknown;
  try {
    parsed = YAML.parse(readText(directory, file));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('INTERNAL', `The demo file governance/${file} is not valid YAML: ${(error as Error).message}`, [], { cause: error });
  }
  const problems = findProblems(schema, parsed);
  if (problems.length > 0) throw invalidDemoFile(file, problems, problems.length);
  return parsed as Static<T>;
}

function readText(directory: string, file: string): string {
  const filePath = path.join(directory, file);
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new AppError(
      'INTERNAL',
      `The demo file ${filePath} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}); reinstall the package or start with --no-demo`,
      [],
      { cause: error },
    );
  }
}

function invalidDemoFile(file: string, problems: readonly ErrorDetail[], count: number): AppError {
  const first = problems[0]!;
  return new AppError('INTERNAL', `The demo file governance/${file} is invalid: ${count} problem${count === 1 ? '' : 's'}, the first at ${first.path}: ${first.message}`, [...problems]);
}
