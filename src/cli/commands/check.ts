import type { Command } from 'commander';
import type { PolicyRun } from '../../measurement/engine/run-policy.js';
import { recordMeasurementRun } from '../../measurement/measurements.service.js';
import { findAiSystemsByIdOrName } from '../../measurement/measurements.repository.js';
import { readPolicyFile, type PolicyFileContents } from '../../measurement/policy/parse-policy.js';
import type { RiskTier } from '../../measurement/policy/policy-schema.js';
import { renderJsonReport } from '../../measurement/reports/json-report.js';
import { renderJunitReport } from '../../measurement/reports/junit-report.js';
import { renderMarkdownReport } from '../../measurement/reports/markdown-report.js';
import { countOutcomes, runResultOf } from '../../measurement/reports/run-outcome.js';
import { renderTextTable } from '../../measurement/reports/text-table.js';
import { checkRunInput } from '../../measurement/run-input.js';
import type { Db } from '../../platform/database/connection.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { writeOutputFile } from '../files.js';
import { cliCaller, openExistingContext, type CliContext, type GlobalOptions } from '../runtime.js';
import { engineOptions, progressPrinter, type EngineFlags } from './measurement-progress.js';

interface CheckOptions extends EngineFlags {
  junit?: string;
  json?: string;
  markdown?: string;
  store: boolean;
  quiet?: boolean;
}

/** Exit code of a run in which a threshold of severity error failed or could not be computed. */
const failedExitCode = 1;

/** Registers `custos check`, the CI/CD gate that runs a measurement policy against data files. */
export function registerCheckCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('check')
    .description('Run a measurement policy against its data files: exit 0 when every threshold holds, 1 when one fails, 2 on bad input')
    .argument('<policy>', 'policy YAML file naming the AI system, the data files and the checks')
    .option('--junit <file>', 'write a JUnit XML report, one test case per check outcome')
    .option('--json <file>', 'write the full results as JSON')
    .option('--markdown <file>', 'write a Markdown summary, for example for a pull request comment')
    .option('--no-store', 'do not record the run in the custos database (by default it is recorded when the database exists)')
    .option('--quiet', 'print only the summary line')
    .option('--threads <n>', 'DuckDB worker threads (default: the number of CPUs)')
    .option('--memory-limit <size>', 'memory DuckDB may use before it spills to disk, such as 512MB or 2GB (default 1GB)')
    .action(async (policyFile: string, options: CheckOptions) => {
      const contents = readPolicyFile(policyFile);
      const storage = options.store ? await openStorage(globals(), contents) : null;
      try {
        const progress = progressPrinter(process.stderr);
        // DuckDB's native module loads only for the commands that measure.
        const { runPolicy } = await import('../../measurement/engine/run-policy.js');
        let run: PolicyRun;
        try {
          run = await runPolicy(contents.policy, storage?.systemName ?? contents.policy.aiSystem, {
            tiers: storage?.tiers ?? [],
            ...engineOptions(options),
            onProgress: progress.onProgress,
            onCheck: progress.onCheck,
          });
        } finally {
          progress.done();
        }

        writeReports(run, options);
        let storedAs: string | null = null;
        if (storage) {
          const recorded = await recordMeasurementRun(storage.ctx, cliCaller(), checkRunInput(contents, run.outcome, run.files));
          storedAs = recorded.id;
        }
        printSummary(run, contents, options, storage, storedAs);
        if (runResultOf(run.outcome.outcomes) === 'failed') process.exitCode = failedExitCode;
      } finally {
        await storage?.ctx.close();
      }
    });
}

interface Storage {
  readonly ctx: CliContext;
  readonly systemName: string;
  readonly tiers: RiskTier[];
}

/**
 * Opens the custos database to record the run, or returns null when there is none, so that a
 * pipeline without a custos database can still gate on a policy. A database that exists but
 * lacks the policy's AI system is an input error, raised before any data is read.
 */
async function openStorage(globals: GlobalOptions, contents: PolicyFileContents): Promise<Storage | null> {
  let ctx: CliContext;
  try {
    ctx = await openExistingContext(globals);
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') {
      process.stderr.write(`custos: ${error.message}. The run will not be recorded; pass --no-store to silence this notice\n`);
      return null;
    }
    throw error;
  }
  try {
    const systems = await findAiSystemsByIdOrName(ctx.database.db, contents.policy.aiSystem);
    if (systems.length !== 1) {
      const problem = systems.length === 0 ? 'no AI system has that id or name' : `${systems.length} AI systems have that name; use the id`;
      throw new AppError(
        'VALIDATION_FAILED',
        `The policy "${contents.fileName}" names the AI system "${contents.policy.aiSystem}", but ${problem} in the custos database; correct aiSystem, or pass --no-store to run without recording`,
      );
    }
    const system = systems[0]!;
    return { ctx, systemName: system.name, tiers: await classifiedTiers(ctx.database.db, system.id) };
  } catch (error) {
    await ctx.close();
    throw error;
  }
}

/** Returns the EU AI Act tier and the impact level of the system's approved classification, if any. */
async function classifiedTiers(db: Db, aiSystemId: string): Promise<RiskTier[]> {
  const approved = await db
    .selectFrom('classifications')
    .select(['tier', 'impact_level'])
    .where('ai_system_id', '=', aiSystemId)
    .where('status', '=', 'approved')
    .orderBy('number', 'desc')
    .executeTakeFirst();
  return approved ? ([approved.tier, approved.impact_level] as RiskTier[]) : [];
}

function writeReports(run: PolicyRun, options: CheckOptions): void {
  if (options.json) writeOutputFile(options.json, renderJsonReport(run.outcome), '--json');
  if (options.junit) writeOutputFile(options.junit, renderJunitReport(run.outcome), '--junit');
  if (options.markdown) writeOutputFile(options.markdown, renderMarkdownReport(run.outcome), '--markdown');
}

function printSummary(run: PolicyRun, contents: PolicyFileContents, options: CheckOptions, storage: Storage | null, storedAs: string | null): void {
  const counts = countOutcomes(run.outcome.outcomes);
  const result = runResultOf(run.outcome.outcomes);
  if (!options.quiet) {
    process.stdout.write(renderTextTable(run.outcome));
    for (const warning of run.warnings) process.stdout.write(`warning: ${warning}\n`);
  }
  const stored = storedAs ? `; recorded as measurement run ${storedAs}` : storage === null && options.store ? '; not recorded (no custos database)' : '';
  process.stdout.write(
    `${contents.fileName}: ${result.replaceAll('_', ' ')} — ${counts.passed} passed, ${counts.failed} failed, ${counts.undefined} undefined of ${counts.total} outcomes${stored}\n`,
  );
}
