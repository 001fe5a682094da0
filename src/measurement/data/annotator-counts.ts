import type { MulticlassConfusion } from '../core/aggregates.js';
import { invalidArgument, tooManyDistinctValues } from './data-errors.js';
import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import { maxResultRows } from './group-keys.js';
import { orderClasses } from './multiclass-counts.js';
import { quoteIdentifier, SqlParameters } from './sql-text.js';
import { toCount, toTextOrNull } from './values.js';

/**
 * How often each combination of labels occurs, with one unit per data row and one label per
 * annotator column. Null marks a unit an annotator did not label. This is the mergeable input for
 * agreement measures: Cohen's kappa reads the pair matrix of two annotators, and Krippendorff's
 * alpha the coincidences within each combination.
 */
export interface AnnotatorLabelCounts {
  readonly annotators: readonly string[];
  /** Every label given by any annotator, ordered as `orderClasses` orders classes. */
  readonly labels: readonly string[];
  readonly combinations: readonly { readonly labels: readonly (string | null)[]; readonly count: number }[];
}

/** Counts label combinations over annotator columns in one GROUP BY. Labels are compared as text. */
export async function annotatorLabelCounts(engine: DataEngine, dataSet: DataSet, annotatorColumns: readonly string[]): Promise<AnnotatorLabelCounts> {
  if (annotatorColumns.length < 2) throw invalidArgument(dataSet.path, `Agreement needs at least two annotator columns, not ${annotatorColumns.length}`);
  const columns = dataSet.requireColumns(annotatorColumns);
  const parameters = new SqlParameters();
  const labels = columns.map((column, index) => `CAST(${quoteIdentifier(column.name)} AS VARCHAR) AS label_${index}`).join(', ');
  const sql = `SELECT *, count(*) AS unit_count FROM (SELECT ${labels} FROM ${dataSet.fromClause(parameters)}) GROUP BY ALL LIMIT ${maxResultRows + 1}`;
  const rows = await engine.rows(`counting annotator labels of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  if (rows.length > maxResultRows) throw tooManyDistinctValues(dataSet.path, annotatorColumns, maxResultRows);

  const combinations = rows.map((row) => ({
    labels: columns.map((_, index) => toTextOrNull(row[`label_${index}`])),
    count: toCount(row['unit_count']),
  }));
  const allLabels = new Set(combinations.flatMap((combination) => combination.labels.filter((label): label is string => label !== null)));
  return { annotators: [...annotatorColumns], labels: orderClasses([...allLabels]), combinations };
}

/**
 * Builds the agreement matrix of two annotators: matrix[a][b] counts units the first labelled a
 * and the second b. Units either annotator left unlabelled are not counted.
 */
export function annotatorPairMatrix(counts: AnnotatorLabelCounts, first: string, second: string): MulticlassConfusion {
  const firstIndex = counts.annotators.indexOf(first);
  const secondIndex = counts.annotators.indexOf(second);
  if (firstIndex === -1 || secondIndex === -1 || firstIndex === secondIndex) {
    throw new RangeError(`Name two different annotators among ${counts.annotators.join(', ')}; received "${first}" and "${second}"`);
  }
  const position = new Map(counts.labels.map((label, index) => [label, index]));
  const matrix = counts.labels.map(() => counts.labels.map(() => 0));
  for (const combination of counts.combinations) {
    const a = combination.labels[firstIndex];
    const b = combination.labels[secondIndex];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const row = matrix[position.get(a) as number] as number[];
    const column = position.get(b) as number;
    row[column] = (row[column] ?? 0) + combination.count;
  }
  return { labels: [...counts.labels], matrix };
}
