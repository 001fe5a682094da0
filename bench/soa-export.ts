import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pino from 'pino';
import { syncCatalogue } from '../src/catalogue/catalogue-sync.js';
import { createOrganizationControl } from '../src/catalogue/catalogue.service.js';
import type { Caller } from '../src/platform/auth/caller.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { ServiceContext } from '../src/platform/context.js';
import { openSqlite } from '../src/platform/database/connection.js';
import { migrateToLatest } from '../src/platform/database/migrate.js';
import { approveSoaVersion, createSoaDraft, exportSoa, readEntries, updateSoaEntry } from '../src/statement-of-applicability/soa.service.js';
import { summarize } from './statistics.js';

/*
 * Times the export of an approved Statement of Applicability with the 38 Annex A controls and
 * `additionalControls` controls of the organization's own, every one decided with a justification.
 * The reference is the CSV export of the same version in the same process, which reads the same
 * rows and differs only in the rendering. Run with: npm run bench -- soa
 */

const author: Caller = { userId: 'bench-author', username: 'bench-author', roles: ['risk_owner'], via: 'system', requestId: null };
const approver: Caller = { userId: 'bench-approver', username: 'bench-approver', roles: ['approver'], via: 'system', requestId: null };

export async function benchmarkSoaExport(options: { additionalControls: number; runs: number }, log: (line: string) => void): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-bench-soa-'));
  const database = openSqlite(path.join(directory, 'custos.db'));
  try {
    await migrateToLatest(database.db);
    await syncCatalogue(database, systemClock.now());
    const ctx: ServiceContext = { database, clock: systemClock, logger: pino({ level: 'silent' }), config: loadConfig({}, { dataDir: directory }) };

    const setupStart = performance.now();
    for (let index = 1; index <= options.additionalControls; index += 1) {
      await createOrganizationControl(ctx, author, {
        itemId: `ORG-${index}`,
        title: `Organization control ${index}`,
        summary: `Control ${index} from customer contracts and internal policies, with a summary long enough to wrap in a spreadsheet cell.`,
      });
    }
    const draft = await createSoaDraft(ctx, author, {});
    for (const entry of await readEntries(database.db, draft.id)) {
      await updateSoaEntry(ctx, author, draft.id, entry.controlRef, {
        decision: 'applicable',
        justification: `Needed to treat risk R-${entry.controlId} of the risk treatment plan, and required by a customer contract for the systems in scope.`,
        basis: ['risk_treatment', 'contractual_requirement'],
        implementationStatus: 'partially_implemented',
        notes: 'Reviewed at the last management review.',
      });
    }
    await approveSoaVersion(ctx, approver, draft.id, {});
    log(`Setup: ${38 + options.additionalControls} controls decided and approved in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

    const time = async (format: 'xlsx' | 'csv') => {
      const samples: number[] = [];
      let bytes = 0;
      for (let run = 0; run < options.runs + 2; run += 1) {
        const start = performance.now();
        const exported = await exportSoa(ctx, author, draft.id, format);
        const elapsed = performance.now() - start;
        bytes = exported.content.length;
        // The first two runs warm up the JIT and the SQLite page cache.
        if (run >= 2) samples.push(elapsed);
      }
      return { ...summarize(samples), bytes };
    };
    const xlsx = await time('xlsx');
    const csv = await time('csv');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await exportSoa(ctx, author, draft.id, 'xlsx')).content as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0]!.rowCount - 1;

    log(`XLSX: median ${xlsx.p50.toFixed(1)} ms, slowest ${xlsx.max.toFixed(1)} ms over ${xlsx.count} runs, ${xlsx.bytes} bytes, ${rows} control rows re-read`);
    log(`CSV (reference): median ${csv.p50.toFixed(1)} ms, slowest ${csv.max.toFixed(1)} ms, ${csv.bytes} bytes`);
    log(`XLSX / CSV: ${(xlsx.p50 / csv.p50).toFixed(2)} ×; target: XLSX under 1000 ms (${xlsx.max < 1000 ? 'met' : 'missed'} by the slowest run)`);
  } finally {
    await database.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
