/**
 * `npm run bench`: benchmarks our server and/or parse-server on identical data and records the result.
 * Targets run one after the other so each has the whole machine.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs, USAGE, UsageError, type Args } from './args.js';
import { benchTarget, QUIET_ATTEMPTS } from './bench-target.js';
import { cleanupAll, installExitHandlers } from './cleanup.js';
import { compare } from './compare.js';
import { generateDataset, sizesFor } from './dataset.js';
import { describeMachine } from './machine.js';
import { appendToPerformanceDoc, PERFORMANCE_DOC } from './perf-doc.js';
import { printSummary, writeJson } from './report.js';
import type { RunResult, TargetResult } from './results.js';
import { serverRevision } from './revision.js';

const APP_ID = 'bench';
const REP_INDEX = 0;
/** Build of our server plus start-up and health check. */
const STARTUP_BUDGET_S = 90;
const SCENARIO_COUNT = 8;

/** Seeding has its own cap (parse-server needs ~50 s for 50k deals here) so a slow target cannot eat the run. */
const seedTimeoutFor = (args: Args) => Math.max(60, Math.ceil((args.deals / 50_000) * 180));

/** Hard stop for the whole run (about 15 min for the default `--target both`); normal runs finish well inside it. */
function deadlineMs(args: Args): number {
  const attempts = args.waitQuietS > 0 ? QUIET_ATTEMPTS : 1;
  const perScenario = attempts * (args.warmupS + args.durationS + 8 + args.waitQuietS);
  const perTarget = STARTUP_BUDGET_S + seedTimeoutFor(args) + SCENARIO_COUNT * perScenario;
  return (args.targets.length * perTarget + 60) * 1000;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(error.message);
    console.error(USAGE);
    return error.message ? 2 : 0;
  }
  installExitHandlers(deadlineMs(args));

  const log = (line: string) => console.log(line);
  const sizes = sizesFor(args.deals);
  const data = generateDataset(sizes, args.seed);
  const load = { connections: args.connections, durationS: args.durationS, warmupS: args.warmupS };
  const date = new Date().toISOString();
  const revision = serverRevision();
  log(`bench ${date}: targets ${args.targets.join(', ')}; ${JSON.stringify(sizes)}; ${JSON.stringify(load)}`);

  const targets: TargetResult[] = [];
  for (const name of args.targets) {
    targets.push(
      await benchTarget(name, {
        data,
        load,
        appId: APP_ID,
        // A fresh key per run: nothing outside this process can reuse a leaked one.
        masterKey: randomBytes(24).toString('hex'),
        pgIndexes: args.pgIndexes,
        waitQuietS: args.waitQuietS,
        repIndex: REP_INDEX,
        seedTimeoutS: seedTimeoutFor(args),
        log,
      }),
    );
  }

  const run: RunResult = {
    date,
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    revision,
    machine: describeMachine(),
    load,
    seed: args.seed,
    sizes,
    rep: { username: data.users[REP_INDEX]!.username, dealsOwned: data.deals.filter((d) => d.owner === REP_INDEX).length },
    targets,
    comparison: compare(targets),
  };
  printSummary(run);
  log(`\nresults written to ${writeJson(run)}`);
  if (args.doc) {
    appendToPerformanceDoc(run);
    log(`section appended to ${PERFORMANCE_DOC}`);
  } else {
    log('(docs/PERFORMANCE.md not updated: quick runs and --no-doc skip it; pass --doc to record)');
  }
  const failed = targets.some((t) => t.error || t.scenarios.some((s) => !s.valid));
  return failed ? 1 : 0;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error: Error) => {
    console.error(error.stack ?? error);
    await cleanupAll();
    process.exit(1);
  });
