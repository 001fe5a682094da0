import { evaluateDriftCheck } from './drift-checks.js';
import { evaluateQualityCheck } from './quality-checks.js';
import type { CheckEvaluator } from './run-context.js';

/** The evaluators of the data families: drift between the reference and a current file, and data quality of one file. */
export const dataCheckEvaluators: Record<'drift' | 'quality', CheckEvaluator> = {
  drift: evaluateDriftCheck,
  quality: evaluateQualityCheck,
};
