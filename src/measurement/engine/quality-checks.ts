import type { KappaWeights, KrippendorffLevel } from '../core/agreement.js';
import { defined, ratioOfCounts, undefinedBecause, type Measured } from '../core/measured.js';
import { duplicateKeyCounts, duplicateRowCounts, materializeDataSet, type DataSet, type DeclaredColumn, type DeclaredType } from '../data/index.js';
import { validationFailed } from '../../platform/errors.js';
import type { DataRole, PolicyCheck } from '../policy/policy.js';
import { judgeCheck, type CheckOutcome } from '../reports/run-outcome.js';
import { measureAgreement } from './quality-agreement.js';
import { measureColumnQuality, type ColumnQualityResult } from './quality-columns.js';
import { measureRepresentativeness } from './quality-representation.js';
import type { CheckEvaluator, RunContext } from './run-context.js';

/**
 * Evaluates the quality checks of a policy. The data file of a role is loaded once per run. The
 * column counts without a declared schema (completeness, distinct values, constant columns) are
 * computed once for all columns of the file. Checks with a declared type, range or allowed
 * values count their columns against that declaration. Each distinct measurement is stored in
 * the run's results once, under the key given at its memo below.
 */
export const evaluateQualityCheck: CheckEvaluator = async (context, check) => {
  const dataSet = await loadedDataSet(context, check.data);
  switch (check.metric) {
    case 'completeness':
    case 'distinct_count':
    case 'constant':
    case 'almost_constant': {
      const results = await context.memo(`quality:${check.data}:columns`, async () => {
        const measured = await measureColumnQuality(context.engine, dataSet, dataSet.columnNames(), []);
        context.addResult('quality', `columns:${check.data}`, measured);
        return measured;
      });
      return columnOutcomes(check, dataSet, results, (result) => plainColumnValue(check, result));
    }
    case 'type_conformance':
      return declaredColumnOutcomes(context, check, dataSet, (name) => ({ name, type: declaredType(check) }), (result) => result.typeConformance);
    case 'range_violations':
      if (typeof check.parameters['minimum'] !== 'number' && typeof check.parameters['maximum'] !== 'number') throw invalidCheck(check, 'needs the parameter minimum, maximum or both');
      return declaredColumnOutcomes(
        context,
        check,
        dataSet,
        (name) => ({ name, type: 'number', ...numberParameter(check, 'minimum'), ...numberParameter(check, 'maximum') }),
        (result) => countOrShare(check, result.rangeViolations, result.rangeViolationShare),
      );
    case 'domain_violations':
      return declaredColumnOutcomes(
        context,
        check,
        dataSet,
        (name) => ({ name, type: 'string', allowedValues: allowedValues(check) }),
        (result) => countOrShare(check, result.domainViolations, result.domainViolationShare),
      );
    case 'duplicate_rows': {
      const counts = await context.memo(`quality:${check.data}:duplicate-rows`, async () => {
        const measured = await duplicateRowCounts(context.engine, dataSet);
        context.addResult('quality', `duplicate-rows:${check.data}`, measured);
        return measured;
      });
      return [judgeCheck(check, {}, countOrShare(check, counts.duplicateRows, ratioOfCounts(counts.duplicateRows, counts.rowCount, 'the file has no rows')))];
    }
    case 'duplicate_keys': {
      const keys = requireColumns(check);
      const counts = await context.memo(`quality:${check.data}:duplicate-keys:${JSON.stringify(keys)}`, async () => {
        const measured = await duplicateKeyCounts(context.engine, dataSet, keys);
        context.addResult('quality', `duplicate-keys:${check.data}:${keys.join(',')}`, measured);
        return measured;
      });
      return [judgeCheck(check, { column: keys.join(', ') }, countOrShare(check, counts.duplicateRows, ratioOfCounts(counts.duplicateRows, counts.rowCount, 'the file has no rows')))];
    }
    case 'cohen_kappa': {
      const agreement = await measureAgreement(context.engine, dataSet, { columns: requireColumns(check), weights: (check.parameters['weights'] as KappaWeights | undefined) ?? 'none' });
      context.addResult('quality', `check:${check.id}`, agreement);
      const pair = agreement.cohenKappa[0];
      return [judgeCheck(check, { column: agreement.annotators.join(', ') }, pair?.kappa ?? undefinedBecause('the check names fewer than two annotator columns'))];
    }
    case 'krippendorff_alpha': {
      const agreement = await measureAgreement(context.engine, dataSet, { columns: requireColumns(check), level: (check.parameters['level'] as KrippendorffLevel | undefined) ?? 'nominal' });
      context.addResult('quality', `check:${check.id}`, agreement);
      return [judgeCheck(check, { column: agreement.annotators.join(', ') }, agreement.krippendorffAlpha)];
    }
    case 'representativeness': {
      const [column] = requireColumns(check);
      const population = check.parameters['population'];
      if (population === undefined || typeof population !== 'object' || Array.isArray(population)) throw invalidCheck(check, 'needs the parameter population, the share of each category in the reference population');
      const result = await measureRepresentativeness(context.engine, dataSet, { column: column as string, population: population as Readonly<Record<string, number>>, measure: 'total-variation' });
      context.addResult('quality', `check:${check.id}`, result);
      return [judgeCheck(check, { column }, check.parameters['measure'] === 'total_variation' ? result.distance : result.minimumRatio)];
    }
    default:
      throw new RangeError(`${check.metric} is not a quality metric`);
  }
};

/** Opens the check's data file and loads a CSV or JSON Lines file into a table once per run, since quality checks scan it several times. */
function loadedDataSet(context: RunContext, role: DataRole): Promise<DataSet> {
  return context.memo(`quality:${role}:data-set`, async () => {
    const dataSet = await context.dataSet(role);
    return dataSet.isMaterialized || dataSet.format === 'parquet' ? dataSet : materializeDataSet(context.engine, dataSet);
  });
}

async function declaredColumnOutcomes(
  context: RunContext,
  check: PolicyCheck,
  dataSet: DataSet,
  declare: (name: string) => DeclaredColumn,
  valueOf: (result: ColumnQualityResult) => Measured,
): Promise<CheckOutcome[]> {
  const columns = targetColumns(check, dataSet);
  const results = await context.memo(`quality:${check.data}:check:${check.id}`, async () => {
    const measured = await measureColumnQuality(context.engine, dataSet, columns, columns.map(declare));
    context.addResult('quality', `check:${check.id}`, measured);
    return measured;
  });
  return columnOutcomes(check, dataSet, results, valueOf);
}

function columnOutcomes(check: PolicyCheck, dataSet: DataSet, results: readonly ColumnQualityResult[], valueOf: (result: ColumnQualityResult) => Measured): CheckOutcome[] {
  return targetColumns(check, dataSet).map((column) => {
    const result = results.find((candidate) => candidate.column === column);
    if (result === undefined) throw invalidCheck(check, `names column "${column}", which "${dataSet.path}" lacks`);
    return judgeCheck(check, { column }, valueOf(result));
  });
}

/**
 * Returns the columns a per-column check reports on: the named ones, checked against the types
 * the metric accepts, or else every column of an accepted type. Range violations need numbers
 * (dates have no declared range); representativeness needs text or boolean categories.
 */
function targetColumns(check: PolicyCheck, dataSet: DataSet): string[] {
  let accepted: string[] | null = null;
  if (check.metric === 'range_violations') accepted = ['numerical'];
  if (check.metric === 'representativeness') accepted = ['categorical', 'boolean'];
  if (check.columns === null) return dataSet.columns.filter((column) => accepted === null || accepted.includes(column.columnType)).map((column) => column.name);
  for (const column of dataSet.requireColumns(check.columns)) {
    if (accepted !== null && !accepted.includes(column.columnType)) {
      throw invalidCheck(check, `applies to column "${column.name}", which contains ${column.duckdbType} values, but ${check.metric} needs a ${accepted[0]} column; name another column`);
    }
  }
  return [...check.columns];
}

function plainColumnValue(check: PolicyCheck, result: ColumnQualityResult): Measured {
  switch (check.metric) {
    case 'completeness':
      return result.completeness;
    case 'distinct_count':
      return defined(result.distinct);
    case 'constant':
      if (result.rowCount === 0) return undefinedBecause('the column has no rows');
      if (result.rowCount === result.missing) return undefinedBecause(`all ${result.rowCount} values are missing`);
      return defined(result.distinct);
    default:
      return result.mostFrequentShare;
  }
}

function countOrShare(check: PolicyCheck, count: number | null, share: Measured): Measured {
  if (check.parameters['measure'] === 'share') return share;
  return count === null ? share : defined(count);
}

const declaredTypeOf: Readonly<Record<string, DeclaredType>> = { integer: 'integer', number: 'number', boolean: 'boolean', date: 'date', timestamp: 'timestamp', text: 'string' };

function declaredType(check: PolicyCheck): DeclaredType {
  const type = check.parameters['type'];
  const declared = typeof type === 'string' ? declaredTypeOf[type] : undefined;
  if (declared === undefined) throw invalidCheck(check, `needs the parameter type, one of ${Object.keys(declaredTypeOf).join(', ')}`);
  return declared;
}

function numberParameter(check: PolicyCheck, name: 'minimum' | 'maximum'): { minimum?: number; maximum?: number } {
  const value = check.parameters[name];
  return typeof value === 'number' ? { [name]: value } : {};
}

function allowedValues(check: PolicyCheck): string[] {
  const allowed = check.parameters['allowed'];
  if (!Array.isArray(allowed) || allowed.length === 0) throw invalidCheck(check, 'needs the parameter allowed, a non-empty list of the allowed values');
  return allowed.map((value) => String(value));
}

function requireColumns(check: PolicyCheck): string[] {
  if (check.columns === null || check.columns.length === 0) throw invalidCheck(check, 'needs columns');
  return [...check.columns];
}

function invalidCheck(check: PolicyCheck, problem: string) {
  const where = check.source.line === null ? check.source.pointer : `line ${check.source.line}`;
  const message = `The check "${check.id}" (${where}) ${problem}`;
  return validationFailed([{ path: check.source.pointer, message }], message);
}
