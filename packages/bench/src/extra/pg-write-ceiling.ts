/**
 * `npm run bench:pg-write-ceiling -w @crm/bench`: how many create + update pairs PostgreSQL alone does on this
 * machine, with the exact statements our server sends for them — the ceiling for issue #4 (ours on PostgreSQL
 * at ≥ 3× parse-server's create + update). Our server serves one rep's POST + PUT of a deal through a capture
 * relay (pg-write-capture.ts); the two transactions become a pgbench script, checked to store the same rows,
 * then replayed by 32 pgbench clients (`-M prepared`) with the server stopped: once with the server's
 * plan_cache_mode=force_custom_plan, once with PostgreSQL's default (auto). Requests/s = 2 × pgbench's tps.
 * parse-server's create + update is measured in the same run (the main bench's target, seed and scenario),
 * or taken from --parse-server-rps.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { cleanupAll, installExitHandlers, onCleanup } from '../cleanup.js';
import { waitForQuiet } from '../proc.js';
import {
  appendSection,
  COMMON_USAGE,
  finish,
  int,
  intOption,
  log,
  machineNote,
  parseCommonArgs,
  printSection,
  ratioTable,
  tempDir,
  UsageError,
  writeResultsJson,
  type Section,
  type Target,
} from './common.js';
import { pgClient } from './pg-data.js';
import { captureCreateUpdate, checkReplay, describe, WARM_UP_PAIRS, type Captured } from './pg-write-capture.js';
import { measureParseServer } from './pg-write-parse-server.js';
import { pgbenchScript } from './pgbench-script.js';
import { postgresCpuMs, runPgbench, type PgbenchRun } from './pgbench-run.js';
import { PG_ADMIN_URL as PG_URL } from '../pg-urls.js';

const APP_ID = 'bench';
const MODES = ['force_custom_plan', 'auto'] as const;
type Mode = (typeof MODES)[number];
const MODE_LABEL: Record<Mode, string> = {
  force_custom_plan: "force_custom_plan (the server's)",
  auto: "auto (PostgreSQL's default)",
};
const GOAL = 3;
const USAGE = `usage: npm run bench:pg-write-ceiling -w @crm/bench -- [options]
  --with-parse-server   also measure parse-server's create + update (default on; off with --quick)
  --parse-server-rps N  take parse-server's create + update req/s as N instead of measuring it
  --deals N             deals seeded on parse-server, as the main bench seeds them (default 50000; --quick 2000)
  --connections N       pgbench clients, and autocannon connections for parse-server (default 32)
  --duration S / --warmup S / --rounds N / --wait-quiet S   per pgbench run and per parse-server run
${COMMON_USAGE.split('\n')
  .filter((line) => !/--profile|--duration|--warmup|--connections|--rounds|--wait-quiet/.test(line))
  .join('\n')}`;

interface FoldRun {
  rows: number;
  ms: number;
  pgCpuMs: number;
}

interface Run {
  mode: Mode;
  round: number;
  pgbench: PgbenchRun;
  fold?: FoldRun;
}

const perRequest = (ms: number, run: PgbenchRun) => ms / Math.max(1, 2 * run.transactions);
const otherPercent = (r: PgbenchRun) => (Math.max(0, r.machineBusyMs - r.pgCpuMs - r.pgbenchCpuMs) / (r.seconds * 1000)) * 100;

/** The server's own fold (captured), run once over every delta row the timed run appended. */
async function foldDeltas(url: string, fold: Captured['fold']): Promise<FoldRun | undefined> {
  if (!fold) return undefined;
  return pgClient(url, async (c) => {
    const rows = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM "_DealRollupDelta"')).rows[0]!.n);
    const pg0 = postgresCpuMs();
    const t0 = performance.now();
    await c.query('BEGIN');
    for (const s of fold.statements) await c.query(s.text, s.params as (string | null)[]);
    await c.query('COMMIT');
    return { rows, ms: performance.now() - t0, pgCpuMs: postgresCpuMs() - pg0 };
  });
}

async function main(): Promise<number> {
  const args = parseCommonArgs(process.argv.slice(2), USAGE, ['deals', 'parse-server-rps'], ['with-parse-server']);
  if (args.profile) throw new UsageError(`--profile is not supported by bench:pg-write-ceiling\n${USAGE}`);
  const deals = intOption(args.values, 'deals', args.quick ? 2_000 : 50_000, 500);
  const givenRps = args.values.has('parse-server-rps') ? intOption(args.values, 'parse-server-rps', 0) : undefined;
  const measureParse = givenRps === undefined && (args.flags.has('with-parse-server') || !args.quick);
  const perRunS = args.warmupS + args.durationS + args.waitQuietS + 20;
  installExitHandlers((300 + 2 * args.rounds * perRunS + (measureParse ? 120 + deals / 250 + args.rounds * perRunS : 0)) * 1000);
  const date = new Date().toISOString();
  const masterKey = randomBytes(24).toString('hex');
  const schema = `bench_pgw_${randomBytes(4).toString('hex')}`;
  const pg = new URL(PG_URL);
  const schemaUrl = `${PG_URL}${pg.search ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const dropSchema = onCleanup(`drop schema ${schema}`, () =>
    pgClient(PG_URL, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  );
  const pgVersion = await pgClient(
    PG_URL,
    async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v,
  );
  const before = await machineNote();
  log(`bench:pg-write-ceiling ${date}: schema ${schema} of ${pg.pathname.slice(1)}, PostgreSQL ${pgVersion}; ${before}`);

  log('\n=== capture: one create + update through our server ===');
  const dir = tempDir('bench-pg-write-ceiling-');
  const captured = await captureCreateUpdate({
    appId: APP_ID,
    masterKey,
    pgUrl: PG_URL,
    schema,
    dataDir: join(dir.path, 'data'),
  });
  log(
    `  ${captured.serverDescription}; create:\n${describe(captured.create.statements)}\n  update:\n${describe(captured.update.statements)}`,
  );
  log(captured.fold ? `  fold (background, once a second):\n${describe(captured.fold.statements)}` : '  (no fold captured)');
  if (captured.outside.length) log(`  outside any transaction:\n${describe(captured.outside)}`);
  const script = pgbenchScript(
    [captured.create, captured.update],
    new Map([
      [captured.dealId, 'id'],
      [captured.historyId, 'hid'],
    ]),
  );
  const scriptFile = join(dir.path, 'create-update.sql');
  writeFileSync(scriptFile, script.text);
  log(`  pgbench script:\n${script.text.trimEnd().replace(/^/gm, '    ')}`);

  const pgbenchArgs = (clients: number, run: string[]) => [
    ...['-h', pg.hostname, '-p', pg.port || '5432', '-U', decodeURIComponent(pg.username) || 'postgres'],
    ...['-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(2, clients)), ...run],
    ...script.defines.flatMap(([name, value]) => ['-D', `${name}=${value}`]),
    ...['-f', scriptFile, pg.pathname.slice(1)],
  ];
  const env = (mode: Mode) => ({ PGOPTIONS: `-c search_path=${schema} -c plan_cache_mode=${mode}` });
  const replayCheck = await checkReplay(PG_URL, schema, captured, async () => {
    await runPgbench(pgbenchArgs(1, ['-t', '1']), env('force_custom_plan'), 60);
  });

  log(`\n=== pgbench: ${args.connections} clients, ${args.warmupS} s warm-up + ${args.durationS} s per run ===`);
  const runs: Run[] = [];
  for (let round = 1; round <= args.rounds; round++) {
    for (const mode of MODES) {
      if (args.waitQuietS > 0) await waitForQuiet(args.waitQuietS, 15);
      await pgClient(PG_URL, (c) => c.query('CHECKPOINT'));
      if (args.warmupS > 0)
        await runPgbench(pgbenchArgs(args.connections, ['-T', String(args.warmupS)]), env(mode), args.warmupS + 60);
      await foldDeltas(schemaUrl, captured.fold); // the warm-up's deltas are not the timed run's
      const pgbench = await runPgbench(
        pgbenchArgs(args.connections, ['-T', String(args.durationS)]),
        env(mode),
        args.durationS + 60,
      );
      const run: Run = { mode, round, pgbench, fold: await foldDeltas(schemaUrl, captured.fold) };
      runs.push(run);
      log(`  [${round}/${args.rounds}] ${mode.padEnd(17)} ${describeRun(run)}`);
    }
  }
  // Per mode, the run least disturbed by other processes.
  const kept = MODES.map(
    (mode) => runs.filter((r) => r.mode === mode).sort((a, b) => otherPercent(a.pgbench) - otherPercent(b.pgbench))[0]!,
  );
  await dir.remove();
  await dropSchema();

  const parse = measureParse
    ? await measureParseServer({ appId: APP_ID, masterKey, deals, args })
    : givenRps !== undefined
      ? { rps: givenRps, how: `given on the command line (--parse-server-rps ${givenRps}), not measured in this run` }
      : undefined;

  const targets: Target[] = kept.map((run) => {
    const what = `PostgreSQL ceiling, ${run.mode} / parse-server create + update (req/s)`;
    const goal = `>= ${GOAL} (issue #4 within reach)`;
    if (!parse?.rps) return { what, goal, note: parse ? 'parse-server row invalid' : 'parse-server not measured' };
    const ratio = (2 * run.pgbench.tps) / parse.rps;
    return { what, goal, ratio, met: ratio >= GOAL };
  });
  const section: Section = {
    title: 'PostgreSQL write ceiling: create + update (`bench:pg-write-ceiling`)',
    command: `npm run bench:pg-write-ceiling -w @crm/bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date,
    bullets: [
      `Statements: ${captured.serverDescription} ${pgVersion} on a fresh schema of database \`${pg.pathname.slice(1)}\`, talking to it through a loopback relay that records the frontend protocol (Parse/Bind/Query) — ` +
        "the statement texts and parameter values are the bytes on the wire. An admin then a rep signed up through the API; the rep's " +
        `create + update of the main bench's scenario (POST \`Bench new deal\`, amount 1000, stage \`lead\`, assignedTo and ACL the rep; PUT amount 2000) ran ${WARM_UP_PAIRS} times to warm up, the next one was captured: ` +
        `create = BEGIN + ${captured.create.statements.length} statements + COMMIT, update = BEGIN + ${captured.update.statements.length} + COMMIT; ` +
        `statements outside a transaction during the two requests: ${captured.outside.length ? captured.outside.map((s) => `\`${s.text.slice(0, 80)}\``).join(', ') : 'none'}.`,
      `Script (below): both transactions, each \`$n\` a pgbench variable — the deal's and the history row's objectIds drawn per run with \`\\set … random()\`, ` +
        `every other value passed verbatim with \`-D\` (${script.defines.length} values: timestamps, ACL JSON, permission arrays with \`role:managers\`), a NULL parameter as the literal NULL and an empty string as \`''\`. ${replayCheck}`,
      `Run: \`PGOPTIONS="-c search_path=<schema> -c plan_cache_mode=<mode>" pgbench -h ${pg.hostname} -U postgres -n -M prepared -c ${args.connections} -j ${Math.min(2, args.connections)} -T ${args.durationS} -D … -f create-update.sql ${pg.pathname.slice(1)}\`, ` +
        `after a CHECKPOINT and a ${args.warmupS} s untimed run; our server stopped; ${args.rounds} round(s), modes interleaved, the run with the least other CPU kept. requests/s = 2 × tps (pgbench's, without connection time).`,
      "CPU: utime + stime of every process named `postgres` (backends, WAL writer, checkpointer, autovacuum) from /proc before and after, the exited backends of pgbench's connections counted through the postmaster's cutime + cstime; " +
        "pgbench's own CPU likewise through this process's; other = the machine's busy time minus both (% of one core).",
      captured.fold
        ? "Fold: our server moves _DealRollupDelta rows into _DealRollup once a second (in the background, in its own transaction); pgbench does not, so after each timed run the captured fold statement runs once over all the run's delta rows, and its PostgreSQL CPU is given per request (one big fold; the server's per-second folds are smaller)."
        : 'Fold: no fold transaction was captured, so its cost is not measured.',
      `parse-server: ${parse?.how ?? 'not measured (--quick; --with-parse-server or --parse-server-rps N add it)'}.`,
      ...(parse?.rps ? [cpuBudget(parse.rps, kept)] : []),
      `Machine before the run: ${before}; after: ${await machineNote()}.`,
    ],
    tables: [
      ['pgbench runs', runsTable(runs, kept)],
      ...(parse?.rows ? ([['parse-server', parse.rows]] as [string, NonNullable<typeof parse.rows>][]) : []),
      ['Ratios', ratioTable(targets)],
    ],
    notes: ['pgbench script (the `-D` values are in the results JSON):', '', '```', ...script.text.trimEnd().split('\n'), '```'],
    problems: [
      ...runs
        .filter((r) => r.pgbench.failed > 0)
        .map((r) => `- ${r.mode} round ${r.round}: ${r.pgbench.failed} failed transactions`),
      ...kept
        .filter((r) => otherPercent(r.pgbench) > 25)
        .map(
          (r) => `- ${r.mode}: other processes used ${Math.round(otherPercent(r.pgbench))} % of a core (shared machine; noisy)`,
        ),
      ...(parse?.problems ?? []),
    ],
  };
  printSection(section);
  const resultsFile = writeResultsJson('pg-write-ceiling', date, {
    section,
    script: script.text,
    defines: Object.fromEntries(script.defines),
    captured: { create: captured.create, update: captured.update, fold: captured.fold, outside: captured.outside },
    runs: runs.map((r) => ({ ...r, pgbench: { ...r.pgbench, output: r.pgbench.output.split('\n').slice(-12).join('\n') } })),
    parseServer: parse,
  });
  log(`\nresults (script, -D values, captured statements) written to ${resultsFile}`);
  if (args.doc) appendSection(section);
  else log('(docs/PERFORMANCE.md not updated: --quick and --no-doc skip it)');
  // A noisy machine is reported, not failed; failed transactions or an invalid parse-server row are.
  return runs.some((r) => r.pgbench.failed > 0) || (measureParse && parse?.rps === undefined) ? 1 : 0;
}

/** What issue #4's rate leaves per request on this machine, next to what PostgreSQL alone took. */
function cpuBudget(parseRps: number, kept: Run[]): string {
  const cores = availableParallelism();
  const budget = (cores * 1000) / (GOAL * parseRps);
  const used = kept.map((r) => `${perRequest(r.pgbench.pgCpuMs, r.pgbench).toFixed(3)} ms (${r.mode})`).join(', ');
  return (
    `CPU budget: at ${GOAL}× parse-server (${int(GOAL * parseRps)} req/s) the machine's ${cores} cores give ${budget.toFixed(3)} ms of CPU per request ` +
    `to everything — our server, PostgreSQL, the load generator; PostgreSQL alone took ${used} per request of this script.`
  );
}

function describeRun(run: Run): string {
  const p = run.pgbench;
  return (
    `${int(p.tps).padStart(6)} tps = ${int(2 * p.tps).padStart(6)} req/s  latency ${p.latencyMs.toFixed(1)} ms  ` +
    `PostgreSQL ${perRequest(p.pgCpuMs, p).toFixed(3)} ms CPU/req (${Math.round(p.pgCpuMs / p.seconds / 10)}%)  ` +
    `pgbench ${perRequest(p.pgbenchCpuMs, p).toFixed(3)}  other ${Math.round(otherPercent(p))}%` +
    (run.fold ? `  fold ${int(run.fold.rows)} rows ${run.fold.ms.toFixed(0)} ms` : '')
  );
}

function runsTable(runs: Run[], kept: Run[]) {
  return {
    headers: [
      'plan_cache_mode',
      'round',
      'transactions',
      'tps',
      'requests/s',
      'latency ms',
      'PG CPU ms/req',
      'PG CPU',
      'pgbench CPU ms/req',
      'other CPU',
      'fold rows',
      'fold PG CPU ms/req',
      'kept',
    ],
    rows: runs.map((run) => {
      const p = run.pgbench;
      return [
        MODE_LABEL[run.mode],
        String(run.round),
        int(p.transactions),
        int(p.tps),
        int(2 * p.tps),
        p.latencyMs.toFixed(1),
        perRequest(p.pgCpuMs, p).toFixed(3),
        `${Math.round(p.pgCpuMs / p.seconds / 10)}%`,
        perRequest(p.pgbenchCpuMs, p).toFixed(3),
        `${Math.round(otherPercent(p))}%`,
        run.fold ? int(run.fold.rows) : '-',
        run.fold ? perRequest(run.fold.pgCpuMs, p).toFixed(3) : '-',
        kept.includes(run) ? 'yes' : '',
      ];
    }),
    numeric: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
  };
}

finish(main, cleanupAll);
