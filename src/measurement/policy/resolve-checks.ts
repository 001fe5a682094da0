import { fieldsNeeded, isMetricName, metricDefinitions, type MetricName } from './metric-names.js';
import { closestNames, describeUnknownMetric, describeVocabulary } from './name-suggestions.js';
import type { DataFile, DataRole, FavourableOutcome, GroupSelector, MeasurementPolicy, ParameterValue, PolicyCheck, Severity, Threshold } from './policy.js';
import { checkDeclaredColumns, reportDuplicates } from './resolve-data.js';
import { checkThresholdRange, resolveParameters, resolveThreshold } from './resolve-parameters.js';
import { describeReceived, escapePointer, isMapping, type PointerProblem } from './shape-check.js';

/**
 * Resolves the checks of a policy against its metric vocabulary and its data section: the
 * metric must exist and apply to the data given (task, label, prediction or score, sensitive
 * attributes, reference and current files), and `columns`, `by` and `groups` must fit the
 * metric's scope. Ids are assigned afterwards by assignCheckIds, across all lists of checks.
 */

/** A check resolved in every field but its id, which needs every list of checks to be known. */
export type UnnamedCheck = Omit<PolicyCheck, 'id' | 'source'> & { readonly explicitId: string | null; readonly pointer: string };

/**
 * The resolved data files, and the roles the file has a section for. A section that is present
 * but invalid has been reported already, so checks that read it stay silent about it.
 */
export interface DataContext {
  readonly files: MeasurementPolicy['data'];
  readonly declared: ReadonlySet<DataRole>;
}
type Data = MeasurementPolicy['data'];
type Raw = Record<string, unknown>;

export function resolveChecks(raw: unknown, pointer: string, context: DataContext, problems: PointerProblem[]): UnnamedCheck[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item, index) => {
    if (!isMapping(item)) return [];
    const check = resolveCheck(item, `${pointer}/${index}`, context, problems);
    return check ? [check] : [];
  });
}

function resolveCheck(raw: Raw, pointer: string, context: DataContext, problems: PointerProblem[]): UnnamedCheck | null {
  const data = context.files;
  const metric = typeof raw.metric === 'string' ? raw.metric : null;
  if (metric === null) return null;
  if (!isMetricName(metric)) {
    problems.push(unknownMetric(metric, `${pointer}/metric`));
    return null;
  }
  const definition = metricDefinitions[metric];
  const parameters = resolveParameters(metric, raw.parameters, `${pointer}/parameters`, problems);
  const threshold = resolveThreshold(raw.threshold, `${pointer}/threshold`, problems);
  if (threshold) checkThresholdRange(metric, parameters, threshold, `${pointer}/threshold`, problems);

  const role = resolveRole(metric, raw.data, pointer, context, problems);
  const file = role === null ? null : data[role];
  checkEvaluationFields(metric, parameters, pointer, data, problems);
  const { columns, columnMapping } = resolveColumns(metric, raw.columns, `${pointer}/columns`, { file, reference: role === null ? null : data.reference }, problems);
  const by = resolveBy(metric, raw.by, `${pointer}/by`, context, problems);
  const groups = resolveGroups(metric, raw.groups, `${pointer}/groups`, by, problems);

  if (threshold === null || role === null) return null;
  return {
    explicitId: typeof raw.id === 'string' ? raw.id : null,
    pointer,
    metric,
    family: definition.family,
    description: typeof raw.description === 'string' ? raw.description : null,
    data: role,
    columns,
    columnMapping,
    by,
    groups,
    parameters,
    threshold: threshold satisfies Threshold,
    severity: (raw.severity === 'warning' ? 'warning' : 'error') satisfies Severity,
    favourableOutcome: resolveFavourableOutcome(metric, raw.favourableOutcome, `${pointer}/favourableOutcome`, problems),
  };
}

/** Returns the favourable outcome of a fairness check (default positive), and null for the other families, which may not set it. */
function resolveFavourableOutcome(metric: MetricName, raw: unknown, pointer: string, problems: PointerProblem[]): FavourableOutcome | null {
  const family = metricDefinitions[metric].family;
  if (family === 'fairness') return raw === 'negative' ? 'negative' : 'positive';
  if (raw !== undefined) {
    problems.push({ pointer, message: `applies to fairness checks only, and ${metric} is a ${family} metric; remove favourableOutcome`, expected: 'no favourableOutcome', received: describeReceived(raw) });
  }
  return null;
}

function unknownMetric(metric: string, pointer: string): PointerProblem {
  return { pointer, message: `is not a known metric; ${describeUnknownMetric(metric)}`, expected: `a metric name (${describeVocabulary()})`, received: JSON.stringify(metric) };
}

/**
 * Returns the data file a check reads. Quality checks read the file their `data` names (default
 * evaluation, else current, else reference); drift checks compare current with reference; the
 * other families read the evaluation data.
 */
function resolveRole(metric: MetricName, raw: unknown, pointer: string, context: DataContext, problems: PointerProblem[]): DataRole | null {
  const family = metricDefinitions[metric].family;
  const data = context.files;
  const needFile = (role: DataRole, why: string): DataRole | null => {
    if (data[role]) return role;
    if (role === 'reference' && data.referenceProfile) {
      if (family === 'drift') return role;
      problems.push({
        pointer: `${pointer}/data`,
        message: `names data.reference, which is a profile of the reference file and contains no rows to check; give data.reference a file to check its quality`,
        expected: 'data.reference with a file',
        received: JSON.stringify('reference'),
      });
      return null;
    }
    if (context.declared.has(role)) return null;
    problems.push({ pointer: `${pointer}/metric`, message: `${why}, but the policy has no data.${role}; add data.${role} with its file`, expected: `a data.${role} section`, received: JSON.stringify(metric) });
    return null;
  };

  if (family === 'quality') {
    if (typeof raw === 'string') return needFile(raw as DataRole, `the check reads data.${raw}`);
    const role = (['evaluation', 'current', 'reference'] as const).find((candidate) => context.declared.has(candidate));
    if (role === 'reference' && !data.reference) return needFile(role, '');
    if (role) return data[role] ? role : null;
    problems.push({ pointer: `${pointer}/metric`, message: `${metric} reads a data file, but the policy has no data section with a file`, expected: 'a data section with a file', received: JSON.stringify(metric) });
    return null;
  }
  if (raw !== undefined) {
    const reads = family === 'drift' ? 'drift checks compare data.current with data.reference' : `${family} checks read data.evaluation`;
    problems.push({ pointer: `${pointer}/data`, message: `applies to quality checks only; ${reads}, so remove data`, expected: 'no data key', received: describeReceived(raw) });
  }
  if (family === 'drift') {
    const reference = needFile('reference', `${metric} compares data.current with data.reference`);
    const current = needFile('current', `${metric} compares data.current with data.reference`);
    return reference && current ? 'current' : null;
  }
  return needFile('evaluation', `${metric} reads the evaluation data`);
}

function checkEvaluationFields(metric: MetricName, parameters: Record<string, ParameterValue>, pointer: string, data: Data, problems: PointerProblem[]): void {
  const evaluation = data.evaluation;
  const definition = metricDefinitions[metric];
  if (!evaluation || definition.tasks.length === 0) return;
  const at = `${pointer}/metric`;
  if (!definition.tasks.includes(evaluation.task)) {
    problems.push({
      pointer: at,
      message: `applies to ${definition.tasks.join(' and ')}, and data.evaluation.task is ${evaluation.task}`,
      expected: `a metric for ${evaluation.task}`,
      received: JSON.stringify(metric),
    });
    return;
  }
  for (const field of fieldsNeeded(metric, parameters)) {
    if (evaluation[field] !== null) continue;
    problems.push({
      pointer: at,
      message: `needs the ${field} column, and data.evaluation has no ${field}; add ${field}: { column: ... } to data.evaluation`,
      expected: `data.evaluation.${field}`,
      received: JSON.stringify(metric),
    });
  }
  if (evaluation.task === 'multiclass_classification' && definition.needs.includes('score') && evaluation.score !== null && !('columns' in evaluation.score)) {
    problems.push({ pointer: at, message: 'needs a probability column per class for multiclass data; map each class to its column with score.columns', expected: 'score.columns', received: JSON.stringify(metric) });
  }
}

/** The data files whose columns a check may name: the file it reads and, for drift, the reference file. */
interface ColumnFiles {
  readonly file: DataFile | null;
  readonly reference: DataFile | null;
}

/**
 * Resolves `columns`: a list of column names, or for a drift check a mapping of each reference
 * column to the current column it is compared with. Returns the reference names and the
 * mapping of those whose current name differs.
 */
function resolveColumns(metric: MetricName, raw: unknown, pointer: string, files: ColumnFiles, problems: PointerProblem[]): { columns: string[] | null; columnMapping: Record<string, string> } {
  const definition = metricDefinitions[metric];
  const takesColumns = definition.scope === 'column' || definition.scope === 'annotators' || definition.columnCount !== null || metric === 'dataset_drift_share';
  if (!takesColumns) {
    if (raw !== undefined) {
      const instead = definition.family === 'fairness' || definition.scope === 'model' ? '; use by to name sensitive attributes' : '';
      problems.push({ pointer, message: `does not apply to ${metric}, which is computed over whole rows${instead}`, expected: 'no columns', received: describeReceived(raw) });
    }
    return { columns: null, columnMapping: {} };
  }

  const mapping = isMapping(raw) ? resolveColumnMapping(metric, raw, pointer, files, problems) : null;
  const columns = mapping !== null ? Object.keys(mapping) : Array.isArray(raw) ? raw.filter((column): column is string => typeof column === 'string') : null;
  const count = definition.columnCount;
  if (count && (columns === null ? raw === undefined : columns.length < count.minimum || columns.length > count.maximum)) {
    const wanted = count.minimum === count.maximum ? `exactly ${count.minimum}` : `${count.minimum} to ${count.maximum}`;
    problems.push({ pointer, message: `${metric} needs ${wanted} column${count.maximum === 1 ? '' : 's'} here`, expected: `a list of ${wanted} column names`, received: raw === undefined ? null : describeReceived(raw) });
  }
  if (columns && mapping === null) {
    reportDuplicates(columns, pointer, 'column', problems);
    if (files.file) checkDeclaredColumns(files.file, columns, pointer, problems);
  }
  const columnMapping = Object.fromEntries(Object.entries(mapping ?? {}).filter(([reference, current]) => reference !== current));
  return { columns, columnMapping };
}

/**
 * Resolves the mapping form of `columns`, which only drift checks take. Each current column may
 * be the counterpart of one reference column only. Columns are checked against the csv.columns
 * of both files where the policy declares them; otherwise the run checks them against the files.
 */
function resolveColumnMapping(metric: MetricName, raw: Raw, pointer: string, files: ColumnFiles, problems: PointerProblem[]): Record<string, string> | null {
  if (metricDefinitions[metric].family !== 'drift') {
    problems.push({
      pointer,
      message: `maps reference columns to current columns, which only drift checks do; list the columns of ${metric} instead, such as columns: [age, income]`,
      expected: 'a list of column names',
      received: describeReceived(raw),
    });
    return null;
  }
  const mapping: Record<string, string> = {};
  const referenceOf = new Map<string, string>();
  for (const [reference, current] of Object.entries(raw)) {
    if (typeof current !== 'string') continue;
    const at = `${pointer}/${escapePointer(reference)}`;
    const earlier = referenceOf.get(current);
    if (earlier !== undefined) {
      problems.push({
        pointer: at,
        message: `maps to the current column ${JSON.stringify(current)}, which ${JSON.stringify(earlier)} maps to already; map each current column to one reference column`,
        expected: 'a current column not mapped before',
        received: JSON.stringify(current),
      });
      continue;
    }
    referenceOf.set(current, reference);
    mapping[reference] = current;
    if (files.reference) checkDeclaredColumns(files.reference, [reference], at, problems);
    if (files.file) checkDeclaredColumns(files.file, [current], at, problems);
  }
  return mapping;
}

/**
 * Reports drift checks over the same files that map one reference column to different current
 * columns. The checks share one measurement, whose mapping is the union of theirs.
 */
export function reportConflictingMappings(checks: readonly UnnamedCheck[], problems: PointerProblem[]): void {
  const mapped = new Map<string, { current: string; pointer: string }>();
  for (const check of checks) {
    if (check.family !== 'drift') continue;
    for (const [reference, current] of Object.entries(check.columnMapping)) {
      const key = JSON.stringify([check.data, reference]);
      const earlier = mapped.get(key);
      if (earlier === undefined) {
        mapped.set(key, { current, pointer: check.pointer });
        continue;
      }
      if (earlier.current === current) continue;
      problems.push({
        pointer: `${check.pointer}/columns/${escapePointer(reference)}`,
        message: `maps ${JSON.stringify(reference)} to ${JSON.stringify(current)}, but the check at ${earlier.pointer} maps it to ${JSON.stringify(earlier.current)}; drift checks share one comparison of the two files, so map each reference column the same way`,
        expected: JSON.stringify(earlier.current),
        received: JSON.stringify(current),
      });
    }
  }
}

/** Resolves `by` into sets of attributes: the given set, or each sensitive attribute on its own. */
function resolveBy(metric: MetricName, raw: unknown, pointer: string, context: DataContext, problems: PointerProblem[]): string[][] {
  const scope = metricDefinitions[metric].scope;
  const data = context.files;
  const sensitive = data.evaluation?.sensitive ?? [];
  const given = Array.isArray(raw) ? raw.filter((attribute): attribute is string => typeof attribute === 'string') : null;
  if (scope !== 'group' && scope !== 'disparity' && scope !== 'model') {
    if (raw !== undefined) problems.push({ pointer, message: `does not apply to ${metric}, which is not computed per group`, expected: 'no by', received: describeReceived(raw) });
    return [];
  }
  if (!data.evaluation) return given ? [given] : [];
  if (given === null) {
    if (scope === 'model') return [];
    if (sensitive.length === 0) {
      problems.push({ pointer: pointer.replace(/\/by$/, '/metric'), message: `${metric} compares groups, and data.evaluation names no sensitive attributes; add sensitive: [column, ...]`, expected: 'data.evaluation.sensitive', received: JSON.stringify(metric) });
    }
    return sensitive.map((attribute) => [attribute]);
  }
  reportDuplicates(given, pointer, 'attribute', problems);
  given.forEach((attribute, index) => {
    if (sensitive.includes(attribute)) return;
    const suggestions = closestNames(attribute, sensitive);
    problems.push({
      pointer: `${pointer}/${index}`,
      message: `is not a sensitive attribute of data.evaluation${suggestions.length > 0 ? `; did you mean ${suggestions.join(' or ')}?` : ''}; add it to data.evaluation.sensitive, or name one of ${sensitive.join(', ') || '(none declared)'}`,
      expected: sensitive.length > 0 ? `one of ${sensitive.join(', ')}` : 'an attribute listed in data.evaluation.sensitive',
      received: JSON.stringify(attribute),
    });
  });
  return [given];
}

/**
 * Resolves group selectors to mappings of attribute to value. A selector given as text stands for
 * the value of the one attribute the check groups by; a mapping must name exactly the attributes
 * of one of the check's `by` sets.
 */
function resolveGroups(metric: MetricName, raw: unknown, pointer: string, by: string[][], problems: PointerProblem[]): GroupSelector[] | null {
  if (raw === undefined) return null;
  const scope = metricDefinitions[metric].scope;
  if (scope !== 'group' && !(scope === 'model' && by.length > 0)) {
    const hint = scope === 'disparity' ? '; a disparity compares every group, and parameters.reference names a reference group' : '';
    problems.push({ pointer, message: `does not apply to ${metric}${hint}`, expected: 'no groups', received: describeReceived(raw) });
    return null;
  }
  if (!Array.isArray(raw)) return null;

  const selectors: GroupSelector[] = [];
  raw.forEach((selector, index) => {
    const at = `${pointer}/${index}`;
    if (typeof selector === 'string') {
      const single = by.length === 1 && by[0]!.length === 1 ? by[0]![0]! : null;
      if (single !== null) selectors.push({ [single]: selector });
      else {
        problems.push({
          pointer: at,
          message: 'names a group by its value alone, which needs exactly one attribute to group by; write it as a mapping such as { race: African-American, sex: Female }, or set by to one attribute',
          expected: 'a mapping of attribute to value',
          received: JSON.stringify(selector),
        });
      }
      return;
    }
    if (!isMapping(selector)) return;
    const attributes = Object.keys(selector);
    const matches = by.some((set) => set.length === attributes.length && set.every((attribute) => attributes.includes(attribute)));
    if (matches) selectors.push(selector as GroupSelector);
    else {
      problems.push({
        pointer: at,
        message: `names the attributes ${attributes.join(', ')}, which do not match how the check groups (${by.map((set) => set.join(' × ')).join('; ') || 'no attributes'})`,
        expected: `a mapping with the attributes ${by.map((set) => set.join(', ')).join(' or ')}`,
        received: describeReceived(selector),
      });
    }
  });
  return selectors;
}

/**
 * Reports every id that more than one check states, across the lists of checks of the policy and
 * of every tier, because a run may combine them. It reads the checks as written, so a check with
 * other problems (an unknown metric, a missing threshold) still takes part and its repeated id is
 * reported in the same pass. Each problem points at the repeating id and names the line of the
 * first check with that id.
 */
export function reportRepeatedIds(lists: readonly { readonly pointer: string; readonly raw: unknown }[], problems: PointerProblem[], locate: (pointer: string) => number | null): void {
  const taken = new Map<string, string>();
  for (const list of lists) {
    if (!Array.isArray(list.raw)) continue;
    list.raw.forEach((item, index) => {
      if (!isMapping(item) || typeof item.id !== 'string') return;
      const pointer = `${list.pointer}/${index}`;
      const earlier = taken.get(item.id);
      if (earlier === undefined) {
        taken.set(item.id, pointer);
        return;
      }
      const line = locate(`${earlier}/id`);
      const where = line === null ? earlier : `line ${line} (${earlier})`;
      problems.push({ pointer: `${pointer}/id`, message: `repeats the id of the check at ${where}; give each check its own id`, expected: 'an id not used by another check', received: JSON.stringify(item.id) });
    });
  }
}

/**
 * Gives every check its id: the id the file states, or else the metric name, with -2, -3 …
 * when that is taken. The checks of every tier share one space of ids because a run may combine
 * them. Ids stated twice are reported by reportRepeatedIds; here the second check keeps no id
 * of its own and gets a generated one.
 */
export function assignCheckIds(checks: readonly UnnamedCheck[]): Map<UnnamedCheck, string> {
  const ids = new Map<UnnamedCheck, string>();
  const taken = new Set<string>();
  for (const check of checks) {
    if (check.explicitId === null || taken.has(check.explicitId)) continue;
    taken.add(check.explicitId);
    ids.set(check, check.explicitId);
  }
  for (const check of checks) {
    if (ids.has(check)) continue;
    let id: string = check.metric;
    for (let suffix = 2; taken.has(id); suffix++) id = `${check.metric}-${suffix}`;
    taken.add(id);
    ids.set(check, id);
  }
  return ids;
}
