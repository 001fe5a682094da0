import { cohenKappa, krippendorffAlphaOfCombinations, type KappaWeights, type KrippendorffLevel } from '../core/agreement.js';
import { undefinedBecause, type Measured } from '../core/measured.js';
import { invalidArgument } from '../data/data-errors.js';
import { annotatorLabelCounts, annotatorPairMatrix, type AnnotatorLabelCounts, type DataEngine, type DataSet } from '../data/index.js';
import { withCoreErrors } from './core-errors.js';

/**
 * Agreement between annotators who labelled the same items, one label column per annotator and
 * one item per row: Cohen's kappa for every pair of annotators and Krippendorff's alpha over all
 * of them. Labels are compared by their text form; a missing label means the annotator did not
 * label the item.
 */

export interface AgreementOptions {
  /** The label columns, one per annotator; at least two. */
  readonly columns: readonly string[];
  /** Kappa weights for ordered labels; default `none`. */
  readonly weights?: KappaWeights;
  /** Krippendorff's level of measurement; default `nominal`. */
  readonly level?: KrippendorffLevel;
  /**
   * The labels from lowest to highest, for weighted kappa and ordinal alpha over text labels.
   * Without it, labels that are all numbers are ordered numerically and others alphabetically.
   */
  readonly order?: readonly string[];
}

export interface PairAgreement {
  readonly first: string;
  readonly second: string;
  /** Items both annotators labelled. */
  readonly items: number;
  readonly kappa: Measured;
}

export interface AgreementResult {
  readonly annotators: readonly string[];
  readonly labels: readonly string[];
  /** Rows, each an item. */
  readonly items: number;
  readonly weights: KappaWeights;
  readonly level: KrippendorffLevel;
  /** Cohen's kappa of each pair of annotators, in the order of `annotators`. */
  readonly cohenKappa: readonly PairAgreement[];
  readonly krippendorffAlpha: Measured;
}

/** Counts the label combinations in one GROUP BY and computes both measures from them. */
export async function measureAgreement(engine: DataEngine, dataSet: DataSet, options: AgreementOptions): Promise<AgreementResult> {
  const duplicate = options.columns.find((name, index) => options.columns.indexOf(name) !== index);
  if (duplicate !== undefined) throw invalidArgument(dataSet.path, `The annotator column "${duplicate}" is named twice; name each annotator's column once`);
  const counts = await annotatorLabelCounts(engine, dataSet, options.columns);
  const weights = options.weights ?? 'none';
  const level = options.level ?? 'nominal';
  const labels = orderedLabels(dataSet, counts, options.order);

  const pairs: PairAgreement[] = [];
  for (let first = 0; first < options.columns.length; first++) {
    for (let second = first + 1; second < options.columns.length; second++) {
      pairs.push(pairAgreement(counts, options.columns[first] as string, options.columns[second] as string, labels, weights));
    }
  }
  const order = level === 'ordinal' && options.order !== undefined ? options.order : undefined;
  const alpha = withCoreErrors('/annotators/level', () => krippendorffAlphaOfCombinations(counts.combinations, { level, ...(order === undefined ? {} : { order }) }));
  return {
    annotators: [...options.columns],
    labels,
    items: counts.combinations.reduce((sum, combination) => sum + combination.count, 0),
    weights,
    level,
    cohenKappa: pairs,
    krippendorffAlpha: alpha,
  };
}

/** Computes the kappa of one pair over the items both labelled, with the matrix in the label order given. */
export function pairAgreement(counts: AnnotatorLabelCounts, first: string, second: string, labels: readonly string[], weights: KappaWeights): PairAgreement {
  if (labels.length === 0) return { first, second, items: 0, kappa: undefinedBecause('no annotator gave any label') };
  const matrix = annotatorPairMatrix(counts, first, second);
  const position = new Map(matrix.labels.map((label, index) => [label, index]));
  const reordered = labels.map((row) => labels.map((column) => matrix.matrix[position.get(row) as number]?.[position.get(column) as number] ?? 0));
  const items = reordered.reduce((sum, row) => sum + row.reduce((rowSum, count) => rowSum + count, 0), 0);
  const kappa = withCoreErrors('/annotators/weights', () => cohenKappa({ labels: [...labels], matrix: reordered }, { weights }));
  return { first, second, items, kappa };
}

function orderedLabels(dataSet: DataSet, counts: AnnotatorLabelCounts, order: readonly string[] | undefined): string[] {
  if (order === undefined) return [...counts.labels];
  const unlisted = counts.labels.filter((label) => !order.includes(label));
  if (unlisted.length > 0) {
    throw invalidArgument(dataSet.path, `The label order [${order.join(', ')}] lacks the labels ${unlisted.map((label) => JSON.stringify(label)).join(', ')} found in ${counts.annotators.join(', ')}; list every label`);
  }
  return [...order];
}
