import type { BinnedCounts } from '../core/aggregates.js';
import { isNumberLike, numericExpression } from './column-types.js';
import { invalidArgument, wrongColumnType } from './data-errors.js';
import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import { SqlParameters } from './sql-text.js';
import { toCount, toNumberOrNull } from './values.js';

/** The bin edges for one column: at least two, finite and strictly increasing. */
export interface BinSpec {
  readonly column: string;
  readonly edges: readonly number[];
}

/**
 * Quantiles of a column's finite values, with linear interpolation between order statistics
 * (DuckDB's `quantile_cont`, the same rule as NumPy's default `linear` method). Returns null
 * when the column has no finite value.
 */
export async function columnQuantiles(engine: DataEngine, dataSet: DataSet, columnName: string, probabilities: readonly number[]): Promise<number[] | null> {
  const column = dataSet.column(columnName);
  if (!isNumberLike(column)) throw wrongColumnType(dataSet.path, column.name, column.duckdbType, 'numeric, date or timestamp');
  const invalid = probabilities.find((probability) => !(probability >= 0 && probability <= 1));
  if (invalid !== undefined) throw invalidArgument(dataSet.path, `Quantile probabilities must lie in [0, 1]; ${invalid} does not`);
  if (probabilities.length === 0) return [];

  const parameters = new SqlParameters();
  const list = probabilities.map((probability) => parameters.bindDouble(probability)).join(', ');
  const sql = `SELECT quantile_cont(value, [${list}]) AS quantiles FROM (SELECT ${numericExpression(column)} AS value FROM ${dataSet.fromClause(parameters)}) WHERE isfinite(value)`;
  const [row] = await engine.rows(`quantiles of ${columnName} in ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  const quantiles = row?.['quantiles'];
  if (!Array.isArray(quantiles)) return null;
  return quantiles.map((value) => toNumberOrNull(value) ?? Number.NaN);
}

/**
 * Counts values per bin for several columns in one scan. Bin i contains values in
 * [edges[i], edges[i + 1]); the last bin also contains its right edge. Finite values outside the
 * edges count in `below` and `above`; missing, infinite and NaN values in `excluded`.
 */
export async function binnedCounts(engine: DataEngine, dataSet: DataSet, specs: readonly BinSpec[]): Promise<Map<string, BinnedCounts>> {
  const parameters = new SqlParameters();
  const values: string[] = [];
  const aggregates: string[] = [];
  specs.forEach((spec, index) => {
    const column = dataSet.column(spec.column);
    if (!isNumberLike(column)) throw wrongColumnType(dataSet.path, column.name, column.duckdbType, 'numeric, date or timestamp');
    checkEdges(dataSet, spec);
    values.push(`${numericExpression(column)} AS v${index}`);
    aggregates.push(
      `histogram(${binIndexExpression(`v${index}`, spec.edges, parameters)}) AS bins_${index}`,
      `count(*) FILTER (WHERE v${index} IS NULL) AS missing_${index}`,
      `count(*) FILTER (WHERE v${index} = CAST('inf' AS DOUBLE)) AS positive_infinity_${index}`,
      `count(*) FILTER (WHERE v${index} = CAST('-inf' AS DOUBLE)) AS negative_infinity_${index}`,
      `count(*) FILTER (WHERE isnan(v${index})) AS not_a_number_${index}`,
    );
  });
  const result = new Map<string, BinnedCounts>();
  if (specs.length === 0) return result;

  const sql = `SELECT ${aggregates.join(', ')} FROM (SELECT ${values.join(', ')} FROM ${dataSet.fromClause(parameters)})`;
  const [row] = await engine.rows(`binning ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  specs.forEach((spec, index) => {
    const binCount = spec.edges.length - 1;
    const counts = new Array<number>(binCount).fill(0);
    let below = 0;
    let above = 0;
    for (const entry of histogramEntries(row?.[`bins_${index}`])) {
      if (entry.bin < 0) below += entry.count;
      else if (entry.bin >= binCount) above += entry.count;
      else counts[entry.bin] = entry.count;
    }
    result.set(spec.column, {
      edges: [...spec.edges],
      counts,
      below,
      above,
      excluded: {
        missing: toCount(row?.[`missing_${index}`]),
        positiveInfinity: toCount(row?.[`positive_infinity_${index}`]),
        negativeInfinity: toCount(row?.[`negative_infinity_${index}`]),
        notANumber: toCount(row?.[`not_a_number_${index}`]),
      },
    });
  });
  return result;
}

function checkEdges(dataSet: DataSet, spec: BinSpec): void {
  const { edges } = spec;
  const increasing = edges.every((edge, index) => Number.isFinite(edge) && (index === 0 || edge > (edges[index - 1] as number)));
  if (edges.length < 2 || !increasing) {
    throw invalidArgument(dataSet.path, `The bin edges for "${spec.column}" must be at least two finite numbers in strictly increasing order, not [${edges.join(', ')}]`);
  }
}

/**
 * SQL for a value's bin: -1 below the first edge, 0 … k-1 for the k bins, k above the last
 * edge, and null for missing, infinite and NaN values. A chain of comparisons is fast for the
 * tens of bins drift measures use.
 */
function binIndexExpression(value: string, edges: readonly number[], parameters: SqlParameters): string {
  const last = edges.length - 1;
  const branches = edges.slice(1).map((edge, index) => {
    const comparison = index + 1 === last ? '<=' : '<';
    return `WHEN ${value} ${comparison} ${parameters.bindDouble(edge)} THEN ${index}`;
  });
  return `(CASE WHEN ${value} IS NULL OR NOT isfinite(${value}) THEN NULL WHEN ${value} < ${parameters.bindDouble(edges[0] as number)} THEN -1 ${branches.join(' ')} ELSE ${last} END)`;
}

function histogramEntries(histogram: unknown): { bin: number; count: number }[] {
  if (!Array.isArray(histogram)) return [];
  return histogram.map((entry: { key: unknown; value: unknown }) => ({ bin: toCount(entry.key), count: toCount(entry.value) }));
}
