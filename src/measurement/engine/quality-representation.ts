import type { CategoryCounts } from '../core/aggregates.js';
import { categoryRepresentativeness, type Representativeness, type RepresentativenessMeasure } from '../core/quality.js';
import { labelRateDisparity, representation, type LabelRateOptions, type LabelRateReport, type RepresentationOptions, type RepresentationReport } from '../core/representation.js';
import { missingSensitiveValues } from '../data/data-errors.js';
import { compareCategories, groupedConfusionCounts, type BinaryLabelSpec, type DataEngine, type DataSet, type MissingGroupPolicy } from '../data/index.js';
import { withCoreErrors } from './core-errors.js';

/**
 * Comparisons of a data set's categories with a reference population: the representativeness of
 * one column, and, for protected attributes in training data, each group's representation and
 * the rate of positive labels per group.
 */

/** Categories counted apart before the rest are pooled; a column with more is an id, not a group. */
const maxCountedCategories = 100_000;

export interface RepresentativenessRequest {
  readonly column: string;
  /** Share (or count, or weight) of each category in the reference population. */
  readonly population: Readonly<Record<string, number>>;
  /** Default `total-variation`. */
  readonly measure?: RepresentativenessMeasure;
  readonly maximumDistance?: number;
  readonly minimumRatio?: number;
}

export interface RepresentativenessResult extends Representativeness {
  readonly column: string;
  /** Rows whose value is missing; they are left out of the shares. */
  readonly missing: number;
}

export interface ProtectedAttribute {
  readonly column: string;
  /** Share of each group in the reference population (census figures, say), summing to at most 1; without it no representation is measured. */
  readonly referenceShares?: Readonly<Record<string, number>>;
}

export interface ProtectedAttributeOptions {
  readonly attributes: readonly ProtectedAttribute[];
  /** The label and its positive values; without it no label-rate disparity is measured. */
  readonly label?: BinaryLabelSpec;
  /** Rows whose attribute is missing form a group of their own (`group`, the default) or are an error. */
  readonly missing?: MissingGroupPolicy;
  readonly representation?: RepresentationOptions;
  readonly labelRate?: LabelRateOptions;
}

export interface ProtectedAttributeResult {
  readonly attribute: string;
  readonly representation: RepresentationReport | null;
  readonly labelRate: LabelRateReport | null;
  readonly warnings: readonly string[];
}

/** Counts each category of a column, missing values apart. */
export async function categoryCounts(engine: DataEngine, dataSet: DataSet, column: string): Promise<CategoryCounts> {
  // Comparing the data set with itself reuses the data layer's category counting; both sides are equal.
  const comparison = await compareCategories(engine, dataSet, dataSet, column, { topK: maxCountedCategories });
  return comparison.reference;
}

export async function measureRepresentativeness(engine: DataEngine, dataSet: DataSet, request: RepresentativenessRequest): Promise<RepresentativenessResult> {
  const counts = await categoryCounts(engine, dataSet, request.column);
  const result = withCoreErrors(`/representativeness/${request.column}`, () =>
    categoryRepresentativeness(counts, new Map(Object.entries(request.population)), {
      ...(request.measure === undefined ? {} : { measure: request.measure }),
      ...(request.maximumDistance === undefined ? {} : { maximumDistance: request.maximumDistance }),
      ...(request.minimumRatio === undefined ? {} : { minimumRatio: request.minimumRatio }),
    }),
  );
  return { ...result, column: request.column, missing: counts.missing };
}

/**
 * Measures each protected attribute: representation against its reference shares, and the
 * positive-label rate per group. The label rates come from the data layer's confusion counts
 * with the label standing in for the prediction too, so only the actual-class counts are read.
 */
export async function measureProtectedAttributes(engine: DataEngine, dataSet: DataSet, options: ProtectedAttributeOptions): Promise<ProtectedAttributeResult[]> {
  const results: ProtectedAttributeResult[] = [];
  for (const attribute of options.attributes) {
    const warnings: string[] = [];
    let representationReport: RepresentationReport | null = null;
    if (attribute.referenceShares !== undefined) {
      const counts = await categoryCounts(engine, dataSet, attribute.column);
      if (options.missing === 'error' && counts.missing > 0) throw missingSensitiveValues(dataSet.path, attribute.column, counts.missing);
      const shares = attribute.referenceShares;
      representationReport = withCoreErrors(`/protectedAttributes/${attribute.column}`, () => representation(counts, new Map(Object.entries(shares)), options.representation));
    }

    let labelRate: LabelRateReport | null = null;
    if (options.label !== undefined) {
      const label = options.label;
      const confusion = await groupedConfusionCounts(engine, dataSet, {
        label,
        prediction: { column: label.column, positive: label.positive },
        sensitive: [attribute.column],
        missingSensitive: options.missing ?? 'group',
      });
      warnings.push(...confusion.warnings);
      const groups = confusion.grouped.groups.map((group) => ({
        group: group.key[0] ?? '(missing)',
        positives: group.counts.truePositives + group.counts.falseNegatives,
        negatives: group.counts.trueNegatives + group.counts.falsePositives,
      }));
      labelRate = withCoreErrors(`/protectedAttributes/${attribute.column}`, () => labelRateDisparity(groups, options.labelRate));
    }
    results.push({ attribute: attribute.column, representation: representationReport, labelRate, warnings });
  }
  return results;
}
