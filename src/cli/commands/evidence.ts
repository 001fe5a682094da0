import type { Command } from 'commander';
import { verifyEvidenceFiles, type EvidenceFileProblem } from '../../evidence/evidence-verify.service.js';
import { cliCaller, openExistingContext, type GlobalOptions } from '../runtime.js';

export function registerEvidenceCommands(program: Command, globals: () => GlobalOptions): void {
  const evidence = program.command('evidence').description('Check the evidence files kept under the data directory');

  evidence
    .command('verify')
    .description('Recompute the SHA-256 of every stored evidence file; exit 0 when all match, 1 listing each missing or altered file')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = await openExistingContext(globals());
      try {
        const result = await verifyEvidenceFiles(ctx, cliCaller());
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          for (const problem of result.problems) process.stdout.write(`${describeProblem(problem)}\n`);
          process.stdout.write(`${summarize(result)}\n`);
        }
        process.exitCode = result.ok ? 0 : 1;
      } finally {
        await ctx.close();
      }
    });
}

function describeProblem(problem: EvidenceFileProblem): string {
  const owner =
    problem.evidenceId === null
      ? 'an earlier or deleted evidence file'
      : `evidence ${problem.evidenceId} "${problem.title}"`;
  const expected = problem.expectedSizeBytes === null ? `sha256 ${problem.expectedSha256}` : `sha256 ${problem.expectedSha256}, ${problem.expectedSizeBytes} bytes`;
  return `${problem.kind.toUpperCase()}: ${owner}: expected ${expected}; found ${problem.found} at ${problem.path}`;
}

function summarize(result: Awaited<ReturnType<typeof verifyEvidenceFiles>>): string {
  const checked = `${count(result.recordsChecked, 'evidence record')}, ${count(result.filesChecked, 'file')} hashed (${result.earlierFilesChecked} earlier or deleted)`;
  if (result.ok) return `Evidence files intact: ${checked}`;
  const counts = (['missing', 'altered', 'unreadable'] as const)
    .map((kind) => [kind, result.problems.filter((problem) => problem.kind === kind).length] as const)
    .filter(([, number]) => number > 0)
    .map(([kind, number]) => `${number} ${kind}`)
    .join(', ');
  return `Evidence files damaged: ${counts}; ${checked}`;
}

function count(number: number, noun: string): string {
  return `${number} ${noun}${number === 1 ? '' : 's'}`;
}
