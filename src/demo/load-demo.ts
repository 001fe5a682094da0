import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemCaller } from '../platform/auth/caller.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError } from '../platform/errors.js';
import { prepareInventoryImport, writePreparedImport, type PreparedImport } from '../inventory/inventory-import.service.js';
import { readMappingText } from '../inventory/inventory-mapping.js';
import { decodeUtf8, detectFormat } from '../inventory/inventory-source.js';
import { fingerprintCompasData, insertCompasLineage } from './compas-lineage.js';
import { discardDemoGovernance, insertDemoGovernance, prepareDemoGovernance, recordDemoMeasurements, type InsertedGovernance } from './demo-governance.js';
import { insertDemoMeasurement, prepareDemoMeasurement } from './demo-measurements.js';
import { recordDemoOrganization } from './demo-organization.js';

/**
 * The demo organization: AI systems from two public algorithm registers and the COMPAS case,
 * read from the package's examples folder (the same from src/ under tsx and from dist/).
 */
export const examplesDirectory = fileURLToPath(new URL('../../examples/', import.meta.url));

interface DemoFile {
  file: string;
  mapping?: string;
}

const compasSystemFile = 'compas/ai-system.yaml';

const demoFiles: readonly DemoFile[] = [
  { file: 'registers/nl-algoritmeregister/algoritmes_sample300.json', mapping: 'registers/nl-algoritmeregister/mapping.yaml' },
  { file: 'registers/uk-atrs/atrs_records_sample90.json', mapping: 'registers/uk-atrs/mapping.yaml' },
  { file: compasSystemFile },
];

const demoReason = 'demo organization loaded into an empty register';

/**
 * Loads the demo when the register contains no AI system, and returns how many systems it added, or
 * null when the register was not empty. The AI systems and the governance records (people,
 * evidence, documents, Statement of Applicability, gap assessment, objectives) are written in one
 * write transaction. It checks emptiness again under the write lock, so server processes starting
 * together on one PostgreSQL database load the demo once between them.
 */
export async function loadDemoIfEmpty(ctx: ServiceContext): Promise<{ aiSystems: number } | null> {
  if (await hasAiSystems(ctx.database.db)) return null;
  const imports = demoFiles.map(prepareDemoFile);
  const compasFingerprint = await fingerprintCompasData(examplesDirectory);
  const compasMeasurement = await prepareDemoMeasurement(examplesDirectory);
  const governance = await prepareDemoGovernance(ctx);

  let loaded: { aiSystems: number; governance: InsertedGovernance | null } | null;
  try {
    loaded = await writeTransaction(ctx.database, async (trx) => {
      // Another process sharing the database may have loaded the demo since the check above.
      if (await hasAiSystems(trx)) return null;
      const now = ctx.clock.now();
      let aiSystems = 0;
      let compasSystemId: string | undefined;
      for (const prepared of imports) {
        const report = await writePreparedImport(trx, systemCaller, now, prepared, demoReason);
        aiSystems += report.aiSystems;
        if (prepared.sourceName === compasSystemFile) {
          compasSystemId = report.created[0]!.id;
          await insertCompasLineage(trx, systemCaller, now, compasSystemId, compasFingerprint, demoReason);
        }
      }
      if (compasSystemId === undefined) throw new AppError('INTERNAL', `The demo file ${compasSystemFile} created no AI system; reinstall the package or start with --no-demo`);
      const governanceLoaded = await insertDemoGovernance(trx, now, governance, { compas: compasSystemId }, demoReason);
      await insertDemoMeasurement(trx, systemCaller, now, compasMeasurement);
      return { aiSystems, governance: governanceLoaded };
    });
  } finally {
    // Staged evidence files that the transaction moved into the store are gone from the temporary area already.
    await discardDemoGovernance(governance);
  }

  if (!loaded) {
    ctx.logger.info('demo not loaded: another process filled the register first');
    return null;
  }
  // NOTE: the profile and the objectives' KPI measurements are written in later transactions
  // because their services run their own, so a crash right here leaves the demo without them.
  await recordDemoOrganization(ctx, demoReason);
  if (loaded.governance) {
    await recordDemoMeasurements(ctx, loaded.governance.measurements, demoReason);
  } else {
    ctx.logger.info('demo governance records not loaded: the database already has people, documents, evidence or other governance records');
  }
  ctx.logger.info(
    { aiSystems: loaded.aiSystems, governance: loaded.governance?.counts ?? null, files: demoFiles.map((demo) => demo.file) },
    'demo organization loaded',
  );
  return { aiSystems: loaded.aiSystems };
}

function prepareDemoFile(demo: DemoFile): PreparedImport {
  const filePath = path.join(examplesDirectory, demo.file);
  const content = decodeUtf8(readExample(filePath), demo.file);
  const mapping = demo.mapping ? readMappingText(decodeUtf8(readExample(path.join(examplesDirectory, demo.mapping)), demo.mapping), demo.mapping) : undefined;
  const prepared = prepareInventoryImport({ content, format: detectFormat(demo.file), sourceName: demo.file, ...(mapping !== undefined ? { mapping } : {}) });
  if (prepared.problems.length > 0) {
    // The examples ship with the package, so a problem here is a defect of the package, not of the user's input.
    throw new AppError('INTERNAL', `The demo file ${demo.file} does not import: ${prepared.problems.length} problems, the first at ${prepared.problems[0]!.path}: ${prepared.problems[0]!.message}`);
  }
  return prepared;
}

function readExample(filePath: string): Buffer {
  try {
    return fs.readFileSync(filePath);
  } catch (error) {
    throw new AppError('INTERNAL', `The demo file ${filePath} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}); reinstall the package or start with --no-demo`, [], { cause: error });
  }
}

async function hasAiSystems(db: Db): Promise<boolean> {
  const row = await db.selectFrom('ai_systems').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}
