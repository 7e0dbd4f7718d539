/** Turns a RunResult into tables, the console summary and the JSON file under results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DISTURBED_PERCENT, type RunResult } from './results.js';
import { renderText, type Table } from './table.js';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

const fixed = (n: number | undefined, digits: number) => (n === undefined ? '-' : n.toFixed(digits));
const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function resultsTable(run: RunResult): Table {
  const rows: string[][] = [];
  for (const target of run.targets) {
    if (target.error) {
      rows.push([target.name, 'FAILED (see below)', '', '', '', '', '', '', '', '', '']);
      continue;
    }
    for (const s of target.scenarios) {
      const m = s.measurement;
      rows.push([
        target.name,
        s.label,
        m ? int(m.reqPerSec) : '-',
        fixed(m?.latencyMs.p50, 1),
        fixed(m?.latencyMs.p99, 1),
        fixed(m?.serverCpuMsPerReq, 3),
        fixed(m?.dbCpuMsPerReq, 3),
        m ? `${Math.round(m.serverCpuPercent)}%` : '-',
        m ? int(m.serverRssMb) : '-',
        m ? `${Math.round(m.otherCpuPercent)}%` : '-',
        s.valid ? 'yes' : 'NO',
      ]);
    }
  }
  return {
    headers: [
      'target',
      'scenario',
      'req/s',
      'p50 ms',
      'p99 ms',
      'CPU ms/req',
      'DB CPU ms/req',
      'CPU',
      'RSS MB',
      'other CPU',
      'valid',
    ],
    rows,
    numeric: new Set([2, 3, 4, 5, 6, 7, 8, 9]),
  };
}

export function comparisonTable(run: RunResult): Table {
  const rows = run.comparison.map((c) => [
    c.label,
    c.ratio === undefined ? '-' : `${c.ratio.toFixed(2)}x`,
    c.goal === undefined ? '(reference)' : `>= ${c.goal}x`,
    c.goal === undefined ? '' : c.met === undefined ? `n/a (${c.note ?? '?'})` : c.met ? 'met' : 'NOT met',
  ]);
  return { headers: ['scenario', 'ours / parse-server', 'goal', 'status'], rows, numeric: new Set([1]) };
}

export function seedTable(run: RunResult): Table {
  const rows = run.targets.flatMap((t) =>
    t.seed ? [[t.name, int(t.seed.rows), fixed(t.seed.seconds, 1), int(t.seed.rowsPerSecond)]] : [],
  );
  return { headers: ['target', 'rows', 'seconds', 'rows/s'], rows, numeric: new Set([1, 2, 3]) };
}

export function printSummary(run: RunResult): void {
  console.log(`\nSeed\n${renderText(seedTable(run))}`);
  console.log(
    `\nResults (${run.load.connections} connections, ${run.load.durationS} s per scenario)\n${renderText(resultsTable(run))}`,
  );
  console.log(`\nRatios\n${renderText(comparisonTable(run))}`);
  for (const target of run.targets) {
    if (target.error) console.log(`\n!!! ${target.name} FAILED: ${target.error}`);
    for (const s of target.scenarios.filter((x) => !x.valid)) {
      console.log(`\n!!! ${target.name} / ${s.label} is INVALID:\n    ${s.problems.join('\n    ')}`);
    }
    const disturbed = target.scenarios.filter((s) => (s.measurement?.otherCpuPercent ?? 0) > DISTURBED_PERCENT);
    if (disturbed.length > 0) {
      console.log(
        `\nnote: other processes used >${DISTURBED_PERCENT} % of a core during ${target.name} / ${disturbed.map((s) => s.label).join(', ')}; re-run on a quiet machine.`,
      );
    }
    const busyClient = target.scenarios.filter((s) => (s.measurement?.clientCpuPercent ?? 0) > 90);
    if (busyClient.length > 0) {
      console.log(
        `\nnote: the load generator was CPU-bound (>90 %) on ${target.name} / ${busyClient.map((s) => s.label).join(', ')}; those req/s are lower bounds.`,
      );
    }
  }
}

export function writeJson(run: RunResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${run.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}
