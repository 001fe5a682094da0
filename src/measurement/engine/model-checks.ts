/**
 * The check evaluators of the model metric families. Fairness checks read confusion counts per
 * group; performance and calibration checks read one performance measurement. Every evaluator
 * shares scans through the run's memo and stores each distinct measurement once in the run's
 * results.
 */
import { evaluateFairnessCheck } from './fairness-checks.js';
import { performanceEvaluator } from './performance-checks.js';
import type { CheckEvaluator } from './run-context.js';

export const modelCheckEvaluators: Record<'fairness' | 'performance' | 'calibration', CheckEvaluator> = {
  fairness: evaluateFairnessCheck,
  performance: performanceEvaluator('performance'),
  calibration: performanceEvaluator('calibration'),
};
