/**
 * Rules of AI system impact assessments (ISO/IEC 42001 clauses 6.1.4 and 8.4, control A.5). The
 * record follows the content that ISO/IEC 42005 clause 6 lists, and the same record can serve as
 * the fundamental rights impact assessment (FRIA) of EU AI Act Art 27. A version is approved by
 * someone who neither authored nor edited it, and only once its content is complete.
 */

export const impactAssessmentStatuses = ['draft', 'approved'] as const;
export type ImpactAssessmentStatus = (typeof impactAssessmentStatuses)[number];

/** Reach of an impact: one person at a time, a group of people, or society as a whole. */
export const affectedScopes = ['individual', 'group', 'society'] as const;
export const impactNatures = ['benefit', 'harm'] as const;
/** Whether the impact has been observed, or is reasonably foreseeable. */
export const impactOccurrences = ['actual', 'foreseeable'] as const;
/** Cause of an impact: use as intended, misuse, or a failure of the system. */
export const impactOrigins = ['intended_use', 'misuse', 'failure'] as const;
/** Severity of a harm, or size of a benefit, from least to most. */
export const impactSeverities = ['negligible', 'limited', 'significant', 'severe'] as const;
/** From least to most likely; `certain` fits an actual impact. */
export const impactLikelihoods = ['rare', 'unlikely', 'possible', 'likely', 'certain'] as const;
export const impactReversibilities = ['reversible', 'hard_to_reverse', 'irreversible'] as const;

export type AffectedScope = (typeof affectedScopes)[number];
export type ImpactNature = (typeof impactNatures)[number];
export type ImpactOccurrence = (typeof impactOccurrences)[number];
export type ImpactOrigin = (typeof impactOrigins)[number];
export type ImpactSeverity = (typeof impactSeverities)[number];
export type ImpactLikelihood = (typeof impactLikelihoods)[number];
export type ImpactReversibility = (typeof impactReversibilities)[number];

/** Maximum length of a text field of an assessment or impact, in characters. */
export const maxTextLength = 20_000;

/** The content of an assessment that decides whether it is complete. */
export interface AssessmentContent {
  fria: boolean;
  scope: string;
  systemDescription: string;
  systemCapabilities: string;
  purpose: string;
  intendedUses: string;
  unintendedUses: string;
  dataDescription: string;
  dataQuality: string;
  algorithmAndModel: string;
  deploymentEnvironment: string;
  interestedParties: readonly { name: string; interest: string }[];
  measures: string;
  deployerProcesses: string;
  periodOfUse: string;
  frequencyOfUse: string;
  affectedCategories: readonly string[];
  humanOversightMeasures: string;
  riskMaterialisationMeasures: string;
  internalGovernance: string;
  complaintMechanisms: string;
}

export interface ImpactContent {
  nature: ImpactNature;
  measures: string;
}

/** One section of ISO/IEC 42005 clause 6 or one point of Art 27(1), and what it still lacks. */
export interface CompletenessItem {
  ref: string;
  title: string;
  complete: boolean;
  /** Missing content, each entry naming the field to fill in. */
  missing: string[];
}

type TextField = {
  [K in keyof AssessmentContent]: AssessmentContent[K] extends string ? K : never;
}[keyof AssessmentContent];

const blank = (text: string): boolean => text.trim() === '';

function item(ref: string, title: string, missing: string[]): CompletenessItem {
  return { ref, title, complete: missing.length === 0, missing };
}

function blankFields(content: AssessmentContent, fields: readonly TextField[]): string[] {
  return fields.filter((field) => blank(content[field])).map((field) => `${field} is blank`);
}

/**
 * Checks the sections of ISO/IEC 42005 clause 6 (6.2 to 6.9). Each needs its text fields filled
 * in; 6.7 needs at least one interested party, 6.8 at least one impact, and 6.9 the overall
 * measures and measures for every harm.
 */
export function iso42005Completeness(content: AssessmentContent, impacts: readonly ImpactContent[]): CompletenessItem[] {
  const harmsWithoutMeasures = impacts.filter((impact) => impact.nature === 'harm' && blank(impact.measures)).length;
  return [
    item('6.2', 'Scope of the assessment', blankFields(content, ['scope'])),
    item('6.3', 'AI system information', blankFields(content, ['systemDescription', 'systemCapabilities', 'purpose', 'intendedUses', 'unintendedUses'])),
    item('6.4', 'Data information and quality', blankFields(content, ['dataDescription', 'dataQuality'])),
    item('6.5', 'Algorithm and model information', blankFields(content, ['algorithmAndModel'])),
    item('6.6', 'Deployment environment', blankFields(content, ['deploymentEnvironment'])),
    item('6.7', 'Relevant interested parties', content.interestedParties.length === 0 ? ['interestedParties lists no party'] : []),
    item('6.8', 'Actual and reasonably foreseeable impacts', impacts.length === 0 ? ['no impact is recorded; add the benefits and harms for individuals, groups and society'] : []),
    item('6.9', 'Measures to address harms and benefits', [
      ...blankFields(content, ['measures']),
      ...(harmsWithoutMeasures > 0 ? [`${harmsWithoutMeasures} harm(s) have blank measures`] : []),
    ]),
  ];
}

/**
 * Checks the content EU AI Act Art 27(1) requires of a FRIA, point by point. The points are
 * (a) the deployer's processes that use the system and (b) the period and frequency of use.
 * (c) names the categories of persons and groups affected and (d) the specific risks of harm to
 * them, which the impacts recorded as harms meet. (e) covers the human oversight measures and
 * (f) the measures if those risks materialise, including internal governance and complaints.
 */
export function friaCompleteness(content: AssessmentContent, impacts: readonly ImpactContent[]): CompletenessItem[] {
  const harms = impacts.filter((impact) => impact.nature === 'harm').length;
  return [
    item('Art 27(1)(a)', "Deployer's processes in which the system is used", blankFields(content, ['deployerProcesses'])),
    item('Art 27(1)(b)', 'Period and frequency of use', blankFields(content, ['periodOfUse', 'frequencyOfUse'])),
    item('Art 27(1)(c)', 'Categories of persons and groups affected', content.affectedCategories.length === 0 ? ['affectedCategories lists no category'] : []),
    item('Art 27(1)(d)', 'Specific risks of harm', harms === 0 ? ['no impact of nature harm is recorded'] : []),
    item('Art 27(1)(e)', 'Human oversight measures', blankFields(content, ['humanOversightMeasures'])),
    item('Art 27(1)(f)', 'Measures if the risks materialise, with governance and complaint mechanisms', blankFields(content, ['riskMaterialisationMeasures', 'internalGovernance', 'complaintMechanisms'])),
  ];
}

/** Everyone who wrote a version: its author and every user who edited the draft. */
export function writersOf(assessment: { authorId: string; editorIds: readonly string[] }): Set<string> {
  return new Set([assessment.authorId, ...assessment.editorIds]);
}

/** Returns the editors after `userId` changed the draft: unchanged for the author or a known editor. */
export function editorsAfterChange(assessment: { authorId: string; editorIds: readonly string[] }, userId: string): string[] {
  return writersOf(assessment).has(userId) ? [...assessment.editorIds] : [...assessment.editorIds, userId];
}
