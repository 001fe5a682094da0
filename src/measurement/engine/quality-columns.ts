import { assessColumnQuality, type ColumnQualityThresholds, type Judgement, type QualityCheck } from '../core/quality.js';
import { undefinedBecause, type Measured } from '../core/measured.js';
import { columnQualityCounts, type ColumnType, type DataEngine, type DataSet, type DeclaredColumn } from '../data/index.js';
import { withCoreErrors } from './core-errors.js';

/**
 * Per-column data quality: completeness, distinct values, conformance to a declared type, range
 * and domain violations, and constant or almost-constant columns. The counts come from one scan
 * of the data set (plus one GROUP BY per column for its most frequent value); the judgements
 * from `core/quality.ts`.
 */

export interface ColumnQualityResult {
  readonly column: string;
  /** The type DuckDB read the column as. */
  readonly dataType: string;
  readonly columnType: ColumnType;
  /** The column's declaration in the schema, or null when the schema does not declare it. */
  readonly declared: DeclaredColumn | null;
  readonly rowCount: number;
  readonly missing: number;
  /** Present values / rows. */
  readonly completeness: Measured;
  /** Distinct present values. */
  readonly distinct: number;
  /** Distinct present values / present values. */
  readonly distinctShare: Measured;
  /** Present values of the declared type / present values; undefined without a declared type. */
  readonly typeConformance: Measured;
  readonly typeViolations: number | null;
  /** The smallest value (in text order) that is not of the declared type, as an example. */
  readonly typeViolationExample: string | null;
  /** Values below the declared minimum or above the declared maximum; null without a declared range. */
  readonly rangeViolations: number | null;
  readonly rangeViolationShare: Measured;
  /** Values outside the declared allowed values; null without them. */
  readonly domainViolations: number | null;
  readonly domainViolationExample: string | null;
  readonly domainViolationShare: Measured;
  readonly mostFrequent: { readonly value: string; readonly count: number } | null;
  /** Occurrences of the most frequent value / present values. */
  readonly mostFrequentShare: Measured;
  readonly constant: Judgement;
  readonly almostConstant: Judgement;
  /** One entry per threshold given, passed, failed or undefined. */
  readonly checks: readonly QualityCheck[];
}

/**
 * Measures the quality of `columns`. A column the schema declares is checked against its type,
 * range and allowed values. A column it does not declare gets undefined conformance and
 * violation shares (with the reason), never a made-up 1, and the thresholds on those shares
 * apply only to columns that declare what they need. Raises VALIDATION_FAILED for a schema
 * entry that names a column the file lacks.
 */
export async function measureColumnQuality(
  engine: DataEngine,
  dataSet: DataSet,
  columns: readonly string[],
  schema: readonly DeclaredColumn[],
  thresholds: ColumnQualityThresholds = {},
): Promise<ColumnQualityResult[]> {
  const declarations = new Map(schema.map((declared) => [declared.name, declared]));
  dataSet.requireColumns([...declarations.keys()]);
  const counted = columns.map((name) => declarations.get(name) ?? { name, type: 'string' as const });
  const counts = await columnQualityCounts(engine, dataSet, counted);

  return counts.map((columnCounts) => {
    const declared = declarations.get(columnCounts.column) ?? null;
    const column = dataSet.column(columnCounts.column);
    const assessed = withCoreErrors(`/columns/${columnCounts.column}`, () => assessColumnQuality(columnCounts, thresholds));
    const hasRange = declared?.minimum !== undefined || declared?.maximum !== undefined;
    const hasDomain = declared?.allowedValues !== undefined;
    return {
      column: columnCounts.column,
      dataType: column.duckdbType,
      columnType: column.columnType,
      declared,
      rowCount: columnCounts.rowCount,
      missing: columnCounts.missing,
      completeness: assessed.completeness,
      distinct: columnCounts.distinct,
      distinctShare: assessed.distinctShare,
      typeConformance: declared === null ? notDeclared('type') : assessed.typeConformance,
      typeViolations: declared === null ? null : columnCounts.typeViolations,
      typeViolationExample: columnCounts.typeViolationExample,
      rangeViolations: hasRange ? columnCounts.belowMinimum + columnCounts.aboveMaximum : null,
      rangeViolationShare: hasRange ? assessed.rangeViolationShare : notDeclared('minimum or maximum'),
      domainViolations: hasDomain ? columnCounts.notAllowed : null,
      domainViolationExample: columnCounts.notAllowedExample,
      domainViolationShare: hasDomain ? assessed.domainViolationShare : notDeclared('list of allowed values'),
      mostFrequent: columnCounts.mostFrequent,
      mostFrequentShare: assessed.mostFrequentShare,
      constant: assessed.constant,
      almostConstant: assessed.almostConstant,
      checks: assessed.checks.filter((check) => isDeclaredCheck(check, declared !== null, hasRange, hasDomain)),
    };
  });
}

function notDeclared(what: string): Measured {
  return undefinedBecause(`the schema declares no ${what} for the column`);
}

/** Drops threshold checks on shares that the schema gives no basis for, which the core would compute as 1 or 0. */
function isDeclaredCheck(check: QualityCheck, hasType: boolean, hasRange: boolean, hasDomain: boolean): boolean {
  if (check.check === 'type-conformance') return hasType;
  if (check.check === 'range-violation-share') return hasRange;
  if (check.check === 'domain-violation-share') return hasDomain;
  return true;
}
