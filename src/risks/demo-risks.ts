import type { Caller } from '../platform/auth/caller.js';
import type { Db } from '../platform/database/connection.js';
import { addDays, utcDate } from '../evidence/evidence.js';
import { applyAppetite } from './categories.service.js';
import type { CreateRisk, CreateTreatment } from './risk.schemas.js';
import { insertRisk } from './risks.service.js';
import { insertTreatment } from './treatments.service.js';

/**
 * Demo risks of the COMPAS recidivism tool, with treatments linked to Annex A controls, and
 * appetites for the ethical and legal categories that two of the risks exceed, so the demo shows
 * escalations. The risks summarize well-known public criticism of such tools in custos's own words.
 */

export interface DemoRiskPeople {
  /** Owns the risks, such as the chief risk officer. */
  riskOwnerId: string;
  /** Owns the treatments, such as the ML platform lead. */
  treatmentOwnerId: string;
}

interface DemoRisk {
  risk: Omit<CreateRisk, 'ownerPersonId' | 'aiSystemId'>;
  treatment: Omit<CreateTreatment, 'ownerPersonId' | 'dueDate'> & { dueInDays: number };
}

const demoRisks: readonly DemoRisk[] = [
  {
    risk: {
      title: 'Unequal false positive rates across racial groups',
      description: 'Defendants of some groups who do not reoffend are labelled high risk more often than others, which can lengthen their detention.',
      riskSourceRef: 'iso42001:C.3.4',
      threat: 'Training data reflects unequal arrest and charging rates',
      objectiveRef: 'iso42001:C.2.5',
      category: 'ethical',
      inherent: { likelihood: 4, impact: 5 },
      residual: { likelihood: 3, impact: 4 },
    },
    treatment: {
      option: 'modify',
      description: 'Measure error rates per group before every model release and block releases that widen the gap.',
      controlRefs: ['iso42001:A.6.2.4', 'iso42001:A.7.4'],
      successMetric: 'False positive rate gap between groups below 5 percentage points',
      dueInDays: 60,
    },
  },
  {
    risk: {
      title: 'Defendants cannot contest a proprietary score',
      description: 'The scoring method is a trade secret, so a defendant cannot examine how the score that informs the court was reached.',
      riskSourceRef: 'iso42001:C.3.2',
      threat: 'Vendor withholds the model and its inputs',
      objectiveRef: 'iso42001:C.2.11',
      category: 'legal',
      inherent: { likelihood: 4, impact: 4 },
      residual: { likelihood: 3, impact: 3 },
    },
    treatment: {
      option: 'modify',
      description: 'Give courts and defence counsel a plain description of the inputs and the factors behind each score.',
      controlRefs: ['iso42001:A.8.2', 'iso42001:A.8.5'],
      successMetric: 'Every score report carries the explanation sheet',
      dueInDays: 90,
    },
  },
  {
    risk: {
      title: 'Judges rely on the score instead of judging the case',
      description: 'A numeric score looks objective, so decision makers may give it more weight than the tool was designed to carry.',
      riskSourceRef: 'iso42001:C.3.3',
      threat: 'Automation bias under time pressure',
      objectiveRef: 'iso42001:C.2.1',
      category: 'operational',
      inherent: { likelihood: 3, impact: 4 },
      residual: { likelihood: 2, impact: 4 },
    },
    treatment: {
      option: 'modify',
      description: 'Train judges on what the score does and does not predict, and record the reasons whenever a decision follows it.',
      controlRefs: ['iso42001:A.9.2', 'iso42001:A.9.4'],
      successMetric: 'All judges using the tool trained; reasons recorded in 95 % of decisions',
      dueInDays: 120,
    },
  },
  {
    risk: {
      title: 'Scores drift as the defendant population changes',
      description: 'The model was fitted on past cohorts; changes in policing and law shift the population it scores.',
      riskSourceRef: 'iso42001:C.3.6',
      threat: 'Concept drift after policy changes',
      objectiveRef: 'iso42001:C.2.8',
      category: 'operational',
      inherent: { likelihood: 3, impact: 3 },
    },
    treatment: {
      option: 'modify',
      description: 'Compare predicted and observed reoffending every quarter and recalibrate when they diverge.',
      controlRefs: ['iso42001:A.6.2.6'],
      successMetric: 'Quarterly calibration report with observed versus predicted rates',
      dueInDays: 45,
    },
  },
];

const demoAppetites = [
  { category: 'ethical', statement: 'Low appetite for outcomes that treat groups of people unequally.', maxScore: 8 },
  { category: 'legal', statement: 'Minimal appetite for breaching the rights of people affected by our decisions.', maxScore: 6 },
];

/**
 * Writes the demo appetites and the COMPAS risks with their treatments inside the caller's write
 * transaction, each audited as an API call would be. Returns the number of risks added.
 */
export async function insertDemoRisks(trx: Db, caller: Caller, now: Date, compasSystemId: string, people: DemoRiskPeople, reason: string): Promise<number> {
  for (const appetite of demoAppetites) {
    await applyAppetite(trx, caller, now, appetite.category, { statement: appetite.statement, maxScore: appetite.maxScore }, { reason });
  }
  const today = utcDate(now);
  for (const entry of demoRisks) {
    const risk = await insertRisk(trx, caller, now, { ...entry.risk, aiSystemId: compasSystemId, ownerPersonId: people.riskOwnerId }, { reason });
    const { dueInDays, ...treatment } = entry.treatment;
    await insertTreatment(trx, caller, now, risk.id, { ...treatment, ownerPersonId: people.treatmentOwnerId, dueDate: addDays(today, dueInDays) }, reason);
  }
  return demoRisks.length;
}
