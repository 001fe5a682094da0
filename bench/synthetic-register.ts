import { autonomyLevels, impactAssessmentStatuses, lifecycleStages, organizationRoles } from '../src/ai-systems/ai-system.js';
import type { CreateAiSystem } from '../src/ai-systems/ai-system.schemas.js';

/*
 * Synthetic AI system records for the benchmarks. Field lengths follow the public algorithm
 * registers the demo imports: a record serializes to about 1.36 KB of canonical JSON, close to the
 * average raw record of the Dutch register sample (381 KB for 300 records, 1.27 KB each). The
 * generator is seeded, so every run builds the same register.
 */

const unitNames = ['Social Affairs', 'Tax Administration', 'Municipal Services', 'Retail Banking', 'Claims Handling', 'Human Resources', 'Customer Service', 'Public Health'];

/** The 40 business units records are spread over; list filters pick one of them. */
export const businessUnits = Array.from({ length: 40 }, (_, index) => `${unitNames[index % unitNames.length]} ${Math.floor(index / unitNames.length) + 1}`);

/** A word that appears in the names of about one system in twelve, for the text search. */
export const searchTerm = 'fraud';

const subjects = ['benefit', 'fraud', 'credit', 'parking', 'permit', 'recidivism', 'invoice', 'translation', 'triage', 'routing', 'staffing', 'complaint'];
const techniques = ['risk scoring', 'classification', 'forecast', 'matching', 'anomaly detection', 'document extraction', 'recommendation', 'chat assistant'];
const groups = ['applicants', 'citizens', 'employees', 'customers', 'patients', 'case workers', 'suppliers', 'students', 'drivers', 'visitors'];

/** A deterministic pseudo-random generator (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/** Builds the input of the index-th synthetic system; names are unique across indexes. */
export function syntheticSystem(index: number, random: () => number): CreateAiSystem {
  const subject = pick(random, subjects);
  const technique = pick(random, techniques);
  const unit = pick(random, businessUnits);
  const affected = [pick(random, groups), pick(random, groups)].filter((group, position, all) => all.indexOf(group) === position);

  return {
    name: `${subject[0]!.toUpperCase()}${subject.slice(1)} ${technique} ${index + 1}`,
    purpose:
      `Supports staff of ${unit} in ${subject} cases with ${technique}. It ranks incoming cases so that the ones ` +
      `most likely to need attention come first, and names the three factors that weighed most in each ranking.`,
    businessUnit: unit,
    intendedUse:
      `Prioritising the work queue of trained ${subject} case handlers during office hours. Each suggestion is ` +
      `checked by a handler, who records whether they followed it and why not when they did not.`,
    foreseeableMisuse:
      `Using the ranking as a decision instead of a suggestion, or applying it to ${pick(random, groups)} outside ` +
      `the population it was validated on.`,
    lifecycleStage: pick(random, lifecycleStages),
    organizationRole: pick(random, organizationRoles),
    deploymentEnvironments: random() < 0.6 ? ['staging', 'production'] : ['development'],
    autonomy: pick(random, autonomyLevels),
    affectedGroups: affected,
    decisionDomain: subject,
    inScope: random() < 0.8,
    scopeJustification: 'Processes personal data to prioritise cases that affect people directly, so it falls inside the AIMS scope.',
    legalBasis: `Article 6(1)(e) GDPR, task carried out in the public interest, as laid down in the ${unit} Act, section ${1 + Math.floor(random() * 40)}.`,
    impactAssessmentStatus: pick(random, impactAssessmentStatuses),
    publishedAt: random() < 0.5 ? '2024-06-01' : null,
    sourceUrl: `https://register.example.org/algorithms/${index + 1}`,
    externalId: `REG-${String(index + 1).padStart(6, '0')}`,
  };
}
