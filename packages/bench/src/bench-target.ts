/** One target end to end: start, declare classes, seed, verify and time every scenario, stop. */
import type { Dataset } from './dataset.js';
import { measure, type LoadOptions, type Measurement } from './measure.js';
import { machineBusyPercent, waitForQuiet } from './proc.js';
import { createRestClient } from './rest.js';
import { DISTURBED_PERCENT, type ScenarioResult, type TargetResult } from './results.js';
import { buildScenarios, type Scenario } from './scenarios.js';
import { declareClasses } from './schema.js';
import { seed, type Seeded } from './seed.js';
import { startTarget } from './targets/index.js';
import type { RunningTarget, TargetName } from './targets/types.js';

export interface BenchOptions {
  data: Dataset;
  load: LoadOptions;
  appId: string;
  masterKey: string;
  pgIndexes: boolean;
  waitQuietS: number;
  repIndex: number;
  seedTimeoutS: number;
  log: (line: string) => void;
}

/** With 2 cores shared by server, database and load generator, any outside work skews the numbers. */
const BUSY_PERCENT = 15;
/** Timed runs per scenario at most, with --wait-quiet. */
export const QUIET_ATTEMPTS = 3;

const loud = (log: (line: string) => void, text: string) => {
  log(`\n${'!'.repeat(78)}\n!!! ${text.split('\n').join('\n!!! ')}\n${'!'.repeat(78)}`);
};

function withTimeout<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} exceeded ${seconds} s`)), seconds * 1000);
  });
  // The loser keeps running until the server is stopped; its eventual rejection is expected.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function measuredProblems(m: NonNullable<ScenarioResult['measurement']>): string[] {
  const problems: string[] = [];
  if (m.non2xx > 0)
    problems.push(`${m.non2xx} non-2xx responses during the run (status counts ${JSON.stringify(m.statusCodes)})`);
  if (m.mismatches > 0) problems.push(`${m.mismatches} responses failed the body check during the run`);
  if (m.errors > 0) problems.push(`${m.errors} connection errors (${m.timeouts} timeouts) during the run`);
  if (m.requests === 0) problems.push('no request completed');
  return problems;
}

/**
 * On a shared machine (--wait-quiet), waits for idle CPU before each attempt and re-measures a run that
 * other processes disturbed, keeping the least disturbed one.
 */
async function measureQuietly(
  target: RunningTarget,
  scenario: Scenario,
  opts: BenchOptions,
): Promise<{ measurement: Measurement; problems: string[] }> {
  const attempts = opts.waitQuietS > 0 ? QUIET_ATTEMPTS : 1;
  let best: Measurement | undefined;
  // Errors in a discarded attempt still invalidate the row: only interference may be retried away.
  const problems: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (opts.waitQuietS > 0) {
      const quiet = await waitForQuiet(opts.waitQuietS, BUSY_PERCENT);
      if (quiet.waitedS >= 1.5)
        opts.log(`  (waited ${quiet.waitedS.toFixed(0)} s for a quiet machine, now ${Math.round(quiet.busy)}% busy)`);
    }
    const m = await measure(target, scenario, opts.load);
    problems.push(...measuredProblems(m).map((p) => (attempts > 1 ? `run ${attempt}: ${p}` : p)));
    if (!best || m.otherCpuPercent < best.otherCpuPercent) best = m;
    if (m.otherCpuPercent <= DISTURBED_PERCENT) break;
    if (attempt < attempts)
      opts.log(`  (${scenario.label}: other processes used ${Math.round(m.otherCpuPercent)}% CPU, measuring again)`);
  }
  return { measurement: best!, problems };
}

async function runScenarios(target: RunningTarget, seeded: Seeded, opts: BenchOptions): Promise<ScenarioResult[]> {
  const scenarios = buildScenarios({
    origin: target.origin,
    appId: opts.appId,
    masterKey: opts.masterKey,
    data: opts.data,
    seeded,
    repIndex: opts.repIndex,
  });
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const base = { id: scenario.id, label: scenario.label, ...(scenario.goal !== undefined ? { goal: scenario.goal } : {}) };
    const findings = await scenario.preflight().catch((error: Error) => ({ errors: [error.message], warnings: [] }));
    if (findings.errors.length > 0) {
      loud(
        opts.log,
        `${target.name} / ${scenario.label}: NOT MEASURED, pre-flight got error or empty answers:\n${findings.errors.join('\n')}`,
      );
      results.push({ ...base, valid: false, problems: findings.errors });
      continue;
    }
    if (findings.warnings.length > 0) {
      loud(
        opts.log,
        `${target.name} / ${scenario.label}: WRONG ANSWERS, measuring but marking invalid:\n${findings.warnings.join('\n')}`,
      );
    }
    const { measurement: m, problems: runProblems } = await measureQuietly(target, scenario, opts);
    const problems = [...findings.warnings, ...runProblems];
    if (problems.length > findings.warnings.length) loud(opts.log, `${target.name} / ${scenario.label}: ${problems.join('; ')}`);
    opts.log(
      `  ${scenario.label.padEnd(26)} ${Math.round(m.reqPerSec).toString().padStart(7)} req/s  ` +
        `p50 ${m.latencyMs.p50.toFixed(1)} ms  p99 ${m.latencyMs.p99.toFixed(1)} ms  ` +
        `server ${m.serverCpuMsPerReq.toFixed(3)} ms CPU/req (${Math.round(m.serverCpuPercent)}%)` +
        (m.dbCpuMsPerReq !== undefined ? ` + db ${m.dbCpuMsPerReq.toFixed(3)}` : '') +
        `  rss ${Math.round(m.serverRssMb)} MB  client ${Math.round(m.clientCpuPercent)}%  other ${Math.round(m.otherCpuPercent)}%` +
        (problems.length > 0 ? '  [INVALID]' : ''),
    );
    results.push({ ...base, valid: problems.length === 0, problems, measurement: m });
  }
  return results;
}

export async function benchTarget(name: TargetName, opts: BenchOptions): Promise<TargetResult> {
  opts.log(`\n=== ${name} ===`);
  let target: RunningTarget | undefined;
  const result: TargetResult = { name, busyBeforePercent: await machineBusyPercent(), scenarios: [] };
  if (result.busyBeforePercent > BUSY_PERCENT) {
    loud(
      opts.log,
      `the machine is ${Math.round(result.busyBeforePercent)}% busy before starting ${name}: other work is running, numbers will be noisy`,
    );
  }
  try {
    target = await startTarget[name]({ appId: opts.appId, masterKey: opts.masterKey, pgIndexes: opts.pgIndexes, log: opts.log });
    result.description = target.description;
    opts.log(`  ${target.description} at ${target.origin} (pid ${target.pid})`);
    const rest = createRestClient(target.origin, opts.appId, opts.masterKey);
    await declareClasses(rest);
    const seeded = await withTimeout(seed(rest, opts.data, opts.log), opts.seedTimeoutS, 'seeding');
    await target.afterSeed();
    result.seed = { seconds: seeded.seconds, rows: seeded.rows, rowsPerSecond: seeded.rowsPerSecond, perClass: seeded.perClass };
    result.scenarios = await runScenarios(target, seeded, opts);
  } catch (error) {
    result.error = (error as Error).message;
    loud(opts.log, `${name} FAILED: ${result.error}${target ? `\n--- server log tail ---\n${target.logTail()}` : ''}`);
  } finally {
    await target?.stop();
  }
  return result;
}
