import { iso42001FrameworkId } from '../catalogue/catalogue.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { SoaVersionTable } from '../platform/database/schema.js';
import { AppError, notFound } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import { findDraftRow, findEntryRows, findLatestApprovedRow, findVersionRow } from '../statement-of-applicability/soa.repository.js';
import { coverageStateOf, coverageStates, gapsOf, type MappedControl } from './coverage.js';
import { CoverageQuery, OverlapQuery, type CoverageReport, type OverlapReport } from './coverage.schemas.js';

/**
 * Coverage of obligations by controls, both ways. For each obligation of a framework, the report
 * lists the ISO/IEC 42001 controls that meet it and how far they are implemented. For each
 * control, the overlap lists the obligations of every framework it helps to meet. Crosswalks are
 * read in both directions.
 */

type Decision = MappedControl['decision'];
type Status = MappedControl['implementationStatus'];

export async function reportCoverage(ctx: ServiceContext, caller: Caller, query: CoverageQuery): Promise<CoverageReport> {
  authorize(caller, 'register.read');
  const parsed = parseWith(CoverageQuery, query);
  const db = ctx.database.db;
  const framework = await db.selectFrom('catalogue_frameworks').select(['id', 'name', 'edition']).where('id', '=', parsed.framework).executeTakeFirst();
  if (!framework) throw notFound('framework', parsed.framework);
  if (framework.id === iso42001FrameworkId) {
    throw new AppError('VALIDATION_FAILED', 'Coverage compares another framework with ISO/IEC 42001; choose a framework such as eu-ai-act, gdpr or nist-ai-rmf', [
      { path: '/framework', message: 'must not be iso42001' },
    ]);
  }

  const soa = await resolveSoaVersion(db, parsed.soaVersion);
  const decisions = await decisionsOf(db, soa);
  const obligations = await db
    .selectFrom('catalogue_items')
    .select(['ref', 'item_id', 'title'])
    .where('framework_id', '=', framework.id)
    .where('assessable', '=', 1)
    .orderBy('position')
    .execute();
  const { pairs, crosswalks } = await pairsWithStandard(db, framework.id);

  const rows = obligations.map((obligation) => {
    const targets = pairs.get(obligation.ref) ?? [];
    const controls = targets
      .filter((target) => target.kind === 'control')
      .map((target) => ({ ref: target.ref, title: target.title, ...(decisions.get(target.ref) ?? { decision: null, implementationStatus: null }) }));
    const clauses = targets.filter((target) => target.kind !== 'control').map((target) => ({ ref: target.ref, title: target.title }));
    return {
      ref: obligation.ref,
      itemId: obligation.item_id,
      title: obligation.title,
      state: coverageStateOf(controls, clauses.length),
      controls,
      clauses,
      gaps: gapsOf(controls).map((control) => control.ref),
    };
  });

  const counts = Object.fromEntries(coverageStates.map((state) => [state, rows.filter((row) => row.state === state).length]));
  return {
    framework: { id: framework.id, name: framework.name, edition: framework.edition },
    crosswalks,
    soaVersion: soa ? { id: soa.id, number: soa.number, status: soa.status } : null,
    counts,
    obligations: parsed.state === undefined ? rows : rows.filter((row) => row.state === parsed.state),
  };
}

export async function reportOverlap(ctx: ServiceContext, caller: Caller, query: OverlapQuery): Promise<OverlapReport> {
  authorize(caller, 'register.read');
  const parsed = parseWith(OverlapQuery, query);
  const db = ctx.database.db;
  const soa = await resolveSoaVersion(db, parsed.soaVersion);
  const decisions = await decisionsOf(db, soa);
  const controls = await db
    .selectFrom('catalogue_items')
    .select(['ref', 'title', 'framework_id', 'position'])
    .where('kind', '=', 'control')
    .where('framework_id', 'in', [iso42001FrameworkId, 'org'])
    .orderBy('framework_id', 'desc')
    .orderBy('position')
    .execute();

  const links = await db
    .selectFrom('crosswalk_pairs as p')
    .innerJoin('catalogue_items as f', 'f.ref', 'p.from_ref')
    .innerJoin('catalogue_items as t', 't.ref', 'p.to_ref')
    .select(['f.ref as fromRef', 'f.framework_id as fromFramework', 't.ref as toRef', 't.framework_id as toFramework'])
    .where((eb) => eb.or([eb('f.framework_id', '=', iso42001FrameworkId), eb('t.framework_id', '=', iso42001FrameworkId)]))
    .execute();
  const byControl = new Map<string, Map<string, Set<string>>>();
  for (const link of links) {
    const [control, other, otherFramework] =
      link.toFramework === iso42001FrameworkId ? [link.toRef, link.fromRef, link.fromFramework] : [link.fromRef, link.toRef, link.toFramework];
    const perFramework = byControl.get(control) ?? new Map<string, Set<string>>();
    const refs = perFramework.get(otherFramework) ?? new Set<string>();
    refs.add(other);
    perFramework.set(otherFramework, refs);
    byControl.set(control, perFramework);
  }

  const rows = controls.map((control) => {
    const perFramework = byControl.get(control.ref) ?? new Map<string, Set<string>>();
    const obligations = Object.fromEntries([...perFramework.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([framework, refs]) => [framework, [...refs]]));
    const state = decisions.get(control.ref) ?? { decision: null, implementationStatus: null };
    return { ref: control.ref, title: control.title, ...state, obligations, obligationCount: Object.values(obligations).reduce((sum, refs) => sum + refs.length, 0) };
  });
  // A stable sort keeps catalogue order among controls with the same count.
  rows.sort((a, b) => b.obligationCount - a.obligationCount);
  return { soaVersion: soa ? { id: soa.id, number: soa.number, status: soa.status } : null, controls: rows };
}

async function resolveSoaVersion(db: Db, id: string | undefined): Promise<SoaVersionTable | undefined> {
  if (id === undefined) return (await findLatestApprovedRow(db)) ?? (await findDraftRow(db));
  const row = await findVersionRow(db, id);
  if (!row) throw notFound('Statement of Applicability version', id);
  return row;
}

async function decisionsOf(db: Db, soa: SoaVersionTable | undefined): Promise<Map<string, { decision: Decision; implementationStatus: Status }>> {
  if (!soa) return new Map();
  return new Map(
    (await findEntryRows(db, soa.id)).map((row) => [row.control_ref, { decision: row.decision as Decision, implementationStatus: row.implementation_status as Status }]),
  );
}

/**
 * Collects, for each item of the framework, the ISO/IEC 42001 items that crosswalks link it to,
 * in whichever direction the crosswalk was written.
 */
async function pairsWithStandard(db: Db, frameworkId: string): Promise<{ pairs: Map<string, { ref: string; title: string; kind: string }[]>; crosswalks: string[] }> {
  const crosswalks = await db
    .selectFrom('crosswalks')
    .select(['id', 'from_framework_id'])
    .where((eb) =>
      eb.or([
        eb.and([eb('from_framework_id', '=', frameworkId), eb('to_framework_id', '=', iso42001FrameworkId)]),
        eb.and([eb('from_framework_id', '=', iso42001FrameworkId), eb('to_framework_id', '=', frameworkId)]),
      ]),
    )
    .orderBy('id')
    .execute();
  const pairs = new Map<string, { ref: string; title: string; kind: string }[]>();
  for (const crosswalk of crosswalks) {
    const forward = crosswalk.from_framework_id === frameworkId;
    const rows = await db
      .selectFrom('crosswalk_pairs as p')
      .innerJoin('catalogue_items as i', 'i.ref', forward ? 'p.to_ref' : 'p.from_ref')
      .select(['p.from_ref', 'p.to_ref', 'i.ref', 'i.title', 'i.kind', 'i.position'])
      .where('p.crosswalk_id', '=', crosswalk.id)
      .orderBy('p.position')
      .execute();
    for (const row of rows) {
      const source = forward ? row.from_ref : row.to_ref;
      const list = pairs.get(source) ?? [];
      if (!list.some((entry) => entry.ref === row.ref)) list.push({ ref: row.ref, title: row.title, kind: row.kind });
      pairs.set(source, list);
    }
  }
  return { pairs, crosswalks: crosswalks.map((crosswalk) => crosswalk.id) };
}
