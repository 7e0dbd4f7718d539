/**
 * parse-server's create + update, for bench:pg-write-ceiling's ratio: the main bench's target (targets/
 * parse-server.ts, a fresh database on the same PostgreSQL), seed (REST, PRNG seed 42) and scenario, timed by
 * the extra suites' runJobs — the figure issue #4's 3× is measured against.
 */
import { generateDataset, sizesFor } from '../dataset.js';
import { createRestClient } from '../rest.js';
import { buildScenarios } from '../scenarios.js';
import { declareClasses } from '../schema.js';
import { seed } from '../seed.js';
import { startParseServer } from '../targets/parse-server.js';
import type { Table } from '../table.js';
import { int, log, problemLines, rowsTable, runJobs, type parseCommonArgs } from './common.js';

export interface ParseServerFigure {
  /** Undefined when the row is invalid. */
  rps?: number;
  how: string;
  rows?: Table;
  problems?: string[];
}

export async function measureParseServer(opts: {
  appId: string;
  masterKey: string;
  deals: number;
  args: ReturnType<typeof parseCommonArgs>;
}): Promise<ParseServerFigure> {
  const { args } = opts;
  log('\n=== parse-server: create + update through REST ===');
  const target = await startParseServer({ appId: opts.appId, masterKey: opts.masterKey, pgIndexes: false, log });
  try {
    const rest = createRestClient(target.origin, opts.appId, opts.masterKey);
    await declareClasses(rest);
    const data = generateDataset(sizesFor(opts.deals), 42);
    const seeded = await seed(rest, data, log);
    await target.afterSeed();
    const scenario = buildScenarios({
      origin: target.origin,
      appId: opts.appId,
      masterKey: opts.masterKey,
      data,
      seeded,
      repIndex: 0,
    }).find((s) => s.id === 'create-update')!;
    const rows = await runJobs([{ target, scenario, targetLabel: 'parse-server' }], args);
    const row = rows[0]!;
    return {
      rps: row.valid ? row.measurement?.reqPerSec : undefined,
      how:
        `${target.description}, seeded as the main bench seeds it (${int(opts.deals)} deals, ${int(seeded.rows)} rows through REST), ` +
        `the main bench's create + update scenario as rep01: ${args.connections} connections, ${args.warmupS} s warm-up + ${args.durationS} s, ` +
        `${args.rounds} round(s), least disturbed kept (its server and PostgreSQL CPU in the table below)`,
      rows: rowsTable(rows),
      problems: problemLines(rows),
    };
  } finally {
    await target.stop();
  }
}
