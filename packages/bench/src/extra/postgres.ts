/**
 * `npm run bench:postgres -w @crm/bench`: our server on PostgreSQL with 1,000,000 deals (plus proportional
 * companies and contacts; activities with --activities), loaded through `crm import` (the fast path), beside
 * ours on SQLite at 50,000 deals and parse-server 9 on the same PostgreSQL with the same 1,000,000 deals
 * (bulk-inserted into the tables it created, in its own column form). Rows: pipeline as a rep and as a
 * manager, get by id, create + update. Target: ours on PostgreSQL >= 3x parse-server on every row.
 *
 * Everything runs in throw-away places: a fresh PostgreSQL schema in database `test` for ours, a fresh
 * database for parse-server, temp directories; all dropped at the end, also on failure, Ctrl-C or the
 * built-in deadline (25 min).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcrypt';
import pg from 'pg';
import { cleanupAll, installExitHandlers, onCleanup, trackPid } from '../cleanup.js';
import { generateDataset, sizesFor, type Dataset } from '../dataset.js';
import type { Measurement } from '../measure.js';
import { runPool } from '../pool.js';
import { cpuSnapshot, postgresBackendsOf } from '../proc.js';
import { createRestClient } from '../rest.js';
import { buildScenarios } from '../scenarios.js';
import { declareClasses } from '../schema.js';
import type { Seeded } from '../seed.js';
import type { Table } from '../table.js';
import { spawnServer, waitForHealth } from '../targets/child.js';
import { freePort } from '../targets/free-port.js';
import type { RunningTarget } from '../targets/types.js';
import {
  addToRole,
  appendSection,
  COMMON_USAGE,
  finish,
  httpOk,
  int,
  localPortsOf,
  settlePostgres,
  intOption,
  log,
  logIn,
  machineNote,
  parseCommonArgs,
  pointer,
  printSection,
  problemLines,
  profileScenario,
  ratioOf,
  ratioTable,
  rowsTable,
  runJobs,
  SERVER_CLI,
  serverVersion,
  signUp,
  startOursServer,
  tempDir,
  writeResultsJson,
  type Job,
  type Row,
  type Section,
  type Session,
  type Target,
} from './common.js';
import { masterHeaders, pipelineAs, sessionHeaders } from './deal-scenarios.js';
import { bulkLoadParseServer, fixedIds, MANAGER, pgClient, policyAcl, writeExportFiles, type Ids } from './pg-data.js';
import { PG_ADMIN_URL as PG_URL, pgDatabaseUrl as PG_DB_URL } from '../pg-urls.js';

const APP_ID = 'bench';
const REP_INDEX = 0;
const PARSE_APP = fileURLToPath(new URL('../targets/parse-server-app.ts', import.meta.url));
const DEADLINE_MS = 25 * 60 * 1000;
const USAGE = `usage: npm run bench:postgres -w @crm/bench -- [--deals N] [--sqlite-deals N] [--activities] [options]
  --deals N         deals on PostgreSQL, companies and contacts scale as in npm run bench (default 1000000; --quick 20000)
  --sqlite-deals N  deals for ours on SQLite (default 50000; --quick 5000)
  --activities      also load the 2 activities per deal (not read by any row; adds several minutes)
  --chunk N         rows per import file (default 250000)
  --pg-indexes      give parse-server Deal(stage, expectedCloseDate) (it creates no secondary index itself)
  --skip-sqlite / --skip-parse-server   leave out a target
${COMMON_USAGE}`;

/** Passwords are hashed by the `bcrypt` package at cost 10, exactly as our server hashes them at sign-up. */
async function hashAll(data: Dataset): Promise<{ admin: string; users: string[]; manager: string }> {
  const all = await runPool(data.users.length + 2, 4, (i) =>
    bcrypt.hash(i === 0 ? data.admin.password : i <= data.users.length ? data.users[i - 1]!.password : MANAGER.password, 10),
  );
  return { admin: all[0]!, users: all.slice(1, -1), manager: all.at(-1)! };
}

interface ImportRun {
  rows: number;
  seconds: number;
  /** The CLI's own summary lines. */
  summaries: string[];
}

/** `node packages/server/dist/cli.js import <dir>` for every part directory, one after the other. */
async function crmImport(parts: string[], env: Record<string, string>, logFile: string): Promise<ImportRun> {
  const summaries: string[] = [];
  let rows = 0;
  const t0 = performance.now();
  for (const dir of parts) {
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [SERVER_CLI, 'import', dir], {
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const untrack = trackPid(child.pid!);
    const kill = onCleanup(`kill crm import (pid ${child.pid})`, () => void child.kill('SIGKILL'));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    untrack();
    await kill();
    const output = readFileSync(logFile, 'utf8');
    const summary =
      output
        .trimEnd()
        .split('\n')
        .reverse()
        .find((l) => /imported \d+ objects/.test(l)) ?? '';
    if (code !== 0) throw new Error(`crm import ${dir} exited ${code}:\n${output.trimEnd().split('\n').slice(-25).join('\n')}`);
    const objects = Number(/imported (\d+) objects/.exec(summary)?.[1] ?? 0);
    rows += objects;
    // The CLI colours its summary; the report wants plain text.
    // eslint-disable-next-line no-control-regex
    summaries.push(summary.replace(/\x1b\[[0-9;]*m/g, '').trim());
    log(`  ${summaries.at(-1)}  [${dir.split('/').at(-1)}]`);
  }
  return { rows, seconds: (performance.now() - t0) / 1000, summaries };
}

/** Fake "seeded" view so the main bench's scenarios (same bytes, same checks) run on imported data. */
function seededView(ids: Ids, sessions: Session[], dealCount: number): Seeded {
  return {
    users: sessions.map((s) => ({ objectId: s.objectId, sessionToken: s.sessionToken, username: s.username })),
    companyIds: [],
    contactIds: [],
    dealIds: Array.from({ length: dealCount }, (_, i) => ids.deals(i)),
    activityCount: 0,
    seconds: 0,
    rows: 0,
    rowsPerSecond: 0,
    perClass: {},
  };
}

interface Phase {
  label: string;
  rows: Row[];
  load?: { rows: number; seconds: number; how: string };
  extra: string[];
  profiles: Awaited<ReturnType<typeof profileScenario>>[];
}

function buildMix(origin: string, data: Dataset, seeded: Seeded, manager: Session, masterKey: string) {
  const main = buildScenarios({ origin, appId: APP_ID, masterKey, data, seeded, repIndex: REP_INDEX });
  const pick = (id: string) => main.find((s) => s.id === id)!;
  const rep = seeded.users[REP_INDEX]!;
  return [
    { ...pick('pipeline'), label: `pipeline as rep ${rep.username}` },
    pipelineAs(origin, data, { name: 'manager', headers: sessionHeaders(APP_ID, manager.sessionToken) }, 'pipeline-manager'),
    pick('get-by-id'),
    pick('create-update'),
  ];
}

async function main(): Promise<number> {
  const args = parseCommonArgs(
    process.argv.slice(2),
    USAGE,
    ['deals', 'sqlite-deals', 'chunk'],
    ['activities', 'pg-indexes', 'skip-sqlite', 'skip-parse-server'],
  );
  if (!args.values.has('rounds')) args.rounds = 1;
  const deals = intOption(args.values, 'deals', args.quick ? 20_000 : 1_000_000, 500);
  const sqliteDeals = intOption(args.values, 'sqlite-deals', args.quick ? 5_000 : 50_000, 500);
  const chunk = intOption(args.values, 'chunk', 250_000, 1_000);
  const withActivities = args.flags.has('activities');
  installExitHandlers(DEADLINE_MS);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  /** Keeps the suite inside its deadline: with a slow import (busy machine), the remaining targets get one round. */
  const fitRounds = (phasesLeft: number) => {
    const perRoundS = 4 * (args.warmupS + args.durationS + 8);
    const remainingS = (DEADLINE_MS - (performance.now() - started)) / 1000;
    if (args.rounds > 1 && remainingS < phasesLeft * args.rounds * perRoundS + 180) {
      log(`  (${Math.round(remainingS)} s left before the deadline: 1 round for the remaining targets)`);
      args.rounds = 1;
    }
  };
  const date = new Date().toISOString();
  const masterKey = randomBytes(24).toString('hex');
  const timestamp = new Date().toISOString();
  const before = await machineNote();
  const pgVersion = await pgClient(PG_URL, async (c) => (await c.query('SHOW server_version')).rows[0]?.server_version as string);
  log(
    `bench:postgres ${date}: ${int(deals)} deals on PostgreSQL ${pgVersion}, ${int(sqliteDeals)} on SQLite; activities ${withActivities}; ${before}`,
  );

  // One connection to watch pg_stat_activity between rows (see settlePostgres).
  const monitor = new pg.Client({ connectionString: PG_URL });
  await monitor.connect();
  const closeMonitor = onCleanup('close monitor connection', () => monitor.end().catch(() => undefined));
  const watch = (text: string, values: unknown[]) => monitor.query(text, values);

  const sizes = sizesFor(deals);
  const data = generateDataset(sizes, 42);
  const ids = fixedIds(data);
  const hashes = await hashAll(data);
  const loaded: Record<string, number> = {};
  const phases: Phase[] = [];
  const load = { connections: args.connections, durationS: args.durationS, warmupS: args.warmupS };

  // ------------------------------------------------------------------------------ ours on PostgreSQL
  const schema = `bench_pg_${randomBytes(5).toString('hex')}`;
  const dropSchema = onCleanup(`drop schema ${schema}`, () =>
    pgClient(PG_URL, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  );
  {
    const files = tempDir('bench-pg-export-');
    const t0 = performance.now();
    const plan = writeExportFiles(files.path, data, ids, hashes, { chunk, activities: withActivities, timestamp });
    Object.assign(loaded, plan.perClass);
    log(
      `[${elapsed()}] export files for ${int(plan.rows)} rows written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${plan.parts.length} part directories); importing into schema ${schema}...`,
    );
    const dataDir = tempDir('bench-pg-ours-');
    const env = {
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: schema,
      APP_ID,
      MASTER_KEY: masterKey,
      DATA_DIR: join(dataDir.path, 'data'),
      LOG_LEVEL: 'silent',
      REDIS_URL: '',
      CRM_CONFIG: '',
    };
    const imported = await crmImport(plan.parts, env, join(dataDir.path, 'import.log'));
    await files.remove();
    log(
      `[${elapsed()}] crm import: ${int(imported.rows)} rows in ${imported.seconds.toFixed(1)} s (${int(imported.rows / imported.seconds)} rows/s)`,
    );
    const t1 = performance.now();
    await pgClient(PG_URL, async (c) => {
      const tables = (await c.query('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema])).rows.map(
        (r) => r.tablename as string,
      );
      for (const t of tables) await c.query(`VACUUM (ANALYZE) ${schema}."${t}"`);
    });
    const vacuumS = (performance.now() - t1) / 1000;
    let backendPids: number[] = [];
    fitRounds(3 - (args.flags.has('skip-sqlite') ? 1 : 0));
    const server = await startOursServer({
      appId: APP_ID,
      masterKey,
      dataDir: env.DATA_DIR,
      env: { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema },
      description: `@crm/server ${serverVersion()} on PostgreSQL ${pgVersion} (schema ${schema})`,
      // Database `test` is shared: count only the backends serving this server's pool (found in settle()).
      externalCpu: () => cpuSnapshot(backendPids),
    });
    const settle = async () => {
      await settlePostgres(watch, 'test', () => localPortsOf(server.pid));
      const ports = localPortsOf(server.pid);
      const rows = (await watch('SELECT pid, client_port FROM pg_stat_activity WHERE datname = $1', ['test'])).rows;
      backendPids = rows.filter((r) => ports.has(Number(r.client_port))).map((r) => Number(r.pid));
    };
    const phase = await measureOurs(server, data, ids, masterKey, `ours (PostgreSQL, ${int(deals)} deals)`, args, deals, settle);
    phase.load = {
      rows: imported.rows,
      seconds: imported.seconds,
      how: `\`crm import\` of Parse-JSON export files, ${plan.parts.length} run(s) of ≤ ${int(chunk)} rows per class`,
    };
    phase.extra.push(
      ...imported.summaries.map((s) => `crm import: ${s}`),
      `VACUUM (ANALYZE) of the schema's tables: ${vacuumS.toFixed(1)} s`,
    );
    if (args.profile) {
      await server.stop();
      const start = (profileDir: string) =>
        startOursServer({
          appId: APP_ID,
          masterKey,
          dataDir: env.DATA_DIR,
          env: { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema },
          description: 'profiled',
          profileDir,
        });
      for (const index of [0, 1, 2, 3]) {
        phase.profiles.push(
          await profileScenario(
            'postgres',
            start,
            (origin) => buildMix(origin, data, phase.seeded!, phase.manager!, masterKey)[index]!,
            load,
          ),
        );
      }
    } else await server.stop();
    await dataDir.remove();
    phases.push(phase);
  }
  log(`[${elapsed()}] ours on PostgreSQL done`);
  fitRounds(1 + (args.flags.has('skip-sqlite') ? 0 : 1));

  // ------------------------------------------------------------------------- ours on SQLite at 50k
  if (!args.flags.has('skip-sqlite')) {
    const small = generateDataset(sizesFor(sqliteDeals), 42);
    const smallIds = fixedIds(small);
    const smallHashes = { admin: hashes.admin, users: hashes.users, manager: hashes.manager }; // same users and passwords
    const files = tempDir('bench-sqlite-export-');
    const plan = writeExportFiles(files.path, small, smallIds, smallHashes, { chunk, activities: true, timestamp });
    const dataDir = tempDir('bench-sqlite-ours-');
    const env = {
      APP_ID,
      MASTER_KEY: masterKey,
      DATA_DIR: join(dataDir.path, 'data'),
      LOG_LEVEL: 'silent',
      DATABASE_URL: '',
      REDIS_URL: '',
      CRM_CONFIG: '',
    };
    const imported = await crmImport(plan.parts, env, join(dataDir.path, 'import.log'));
    await files.remove();
    log(
      `[${elapsed()}] SQLite: crm import ${int(imported.rows)} rows in ${imported.seconds.toFixed(1)} s (${int(imported.rows / imported.seconds)} rows/s)`,
    );
    const server = await startOursServer({
      appId: APP_ID,
      masterKey,
      dataDir: env.DATA_DIR,
      description: `@crm/server ${serverVersion()} (embedded SQLite)`,
    });
    const phase = await measureOurs(
      server,
      small,
      smallIds,
      masterKey,
      `ours (SQLite, ${int(sqliteDeals)} deals)`,
      args,
      sqliteDeals,
    );
    phase.load = { rows: imported.rows, seconds: imported.seconds, how: '`crm import` (SQLite), activities included' };
    await server.stop();
    await dataDir.remove();
    phases.push(phase);
    log(`[${elapsed()}] ours on SQLite done`);
  }

  // --------------------------------------------------------------- parse-server on the same PostgreSQL
  if (!args.flags.has('skip-parse-server'))
    phases.push(await parseServerPhase(data, ids, masterKey, args, { deals, withActivities, timestamp, pgVersion, watch }));
  log(`[${elapsed()}] parse-server done`);
  await dropSchema();
  await closeMonitor();

  // --------------------------------------------------------------------------------------- report
  const [pgOurs] = phases;
  const parse = phases.find((p) => p.label.startsWith('parse-server'));
  const sqlite = phases.find((p) => p.label.includes('SQLite'));
  const rows = phases.flatMap((p) => p.rows);
  const targets: Target[] = [];
  const rps = (m: Measurement) => m.reqPerSec;
  for (const [index, row] of pgOurs!.rows.entries()) {
    targets.push(
      ratioOf(`${row.label}: ours PG / parse-server PG (req/s)`, row, parse?.rows[index], rps, {
        text: '>= 3x',
        test: (r) => r >= 3,
      }),
    );
  }
  // CPU per request (server + its PostgreSQL backends) is much less sensitive to other processes than req/s on
  // a shared machine: parse-server's CPU / ours is the throughput ratio two CPU-bound servers would show.
  const totalCpu = (m: Measurement) => m.serverCpuMsPerReq + (m.dbCpuMsPerReq ?? 0);
  for (const [index, row] of pgOurs!.rows.entries()) {
    targets.push(
      ratioOf(`${row.label}: parse-server / ours PG, CPU per request (server + DB)`, parse?.rows[index], row, totalCpu),
    );
  }
  for (const [index, row] of pgOurs!.rows.entries()) {
    targets.push(
      ratioOf(`${row.label}: ours PG ${int(deals)} / ours SQLite ${int(sqliteDeals)} (req/s)`, row, sqlite?.rows[index], rps),
    );
  }
  const loadTable: Table = {
    headers: ['target', 'how', 'rows', 'seconds', 'rows/s'],
    rows: phases
      .filter((p) => p.load)
      .map((p) => [p.label, p.load!.how, int(p.load!.rows), p.load!.seconds.toFixed(1), int(p.load!.rows / p.load!.seconds)]),
    numeric: new Set([2, 3, 4]),
  };
  const perClass = Object.entries(loaded)
    .map(([c, n]) => `${int(n)} ${c}`)
    .join(', ');
  const section: Section = {
    title: 'PostgreSQL at scale (`bench:postgres`)',
    command: `npm run bench:postgres -w @crm/bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date,
    bullets: [
      `Data on PostgreSQL ${pgVersion} (both servers, same rows and objectIds): ${perClass} (the main bench's generator, PRNG seed 42, \`sizesFor(${deals})\`` +
        `${withActivities ? '' : `; its ${int(sizes.activities)} activities left out: no row reads them`}). Users: 1 admin (role \`admins\`), 20 reps, 1 manager (role \`managers\`, added with the master key). ` +
        `Deal ACL = what the CRM policy gives a rep's deal (owner rw, \`role:managers\` r, \`role:admins\` rw); companies/contacts \`{"*":{"read":true}}\` as in the main seed.`,
      `ours on SQLite: the same generator at ${int(sqliteDeals)} deals (with activities), same ACLs, loaded with \`crm import\`.`,
      `Load: ${args.connections} connections, ${args.warmupS} s warm-up + ${args.durationS} s per row, ${args.rounds} round(s); as rep \`rep01\` (owns 1/20 of the deals) unless stated. ` +
        "Between rows, and between warm-up and timed run, the suite waits until the target's PostgreSQL backends are idle, so queries of requests abandoned by an earlier run do not eat into the next one. " +
        "Rows are the main bench's scenarios (pipeline, get by id cycling over all the rep's deals, create + update = POST then PUT, req/s counting both) plus the pipeline as the manager.",
      `Machine before the run: ${before}; after: ${await machineNote()}. Total suite time ${elapsed()}.`,
      ...phases.flatMap((p) => p.extra.map((e) => `${p.label}: ${e}`)),
    ],
    tables: [
      ['Load', loadTable],
      ['Results', rowsTable(rows)],
      ['Ratios and targets', ratioTable(targets)],
    ],
    notes: phases.flatMap((p) =>
      p.profiles.map(
        (pr) =>
          `- profile of ${p.label} / *${pr.label}* (${Math.round(pr.measurement.reqPerSec)} req/s under --cpu-prof), self time: ${pr.functions.slice(0, 8).join('; ')} — by area: ${pr.areas.join(', ')}`,
      ),
    ),
    problems: problemLines(rows),
  };
  printSection(section);
  log(
    `\nresults written to ${writeResultsJson('postgres', date, { section, phases: phases.map((p) => ({ ...p, seeded: undefined, manager: undefined })), targets })}`,
  );
  if (args.doc) appendSection(section);
  return rows.some((r) => !r.valid) ? 1 : 0;
}

interface OursPhase extends Phase {
  seeded?: Seeded;
  manager?: Session;
}

async function measureOurs(
  server: RunningTarget,
  data: Dataset,
  ids: Ids,
  masterKey: string,
  label: string,
  args: ReturnType<typeof parseCommonArgs>,
  deals: number,
  settle?: () => Promise<void>,
): Promise<OursPhase> {
  // Imported users never signed up, so the first-user rule promoted nobody: roles are granted with the master key.
  await addToRole(server.origin, APP_ID, masterKey, 'admins', ids.admin);
  await addToRole(server.origin, APP_ID, masterKey, 'managers', ids.manager);
  const sessions = await runPool(data.users.length, 4, (i) =>
    logIn(server.origin, APP_ID, data.users[i]!.username, data.users[i]!.password),
  );
  const manager = await logIn(server.origin, APP_ID, MANAGER.username, MANAGER.password);
  const seeded = seededView(ids, sessions, deals);
  const jobs: Job[] = buildMix(server.origin, data, seeded, manager, masterKey).map((scenario) => ({
    target: server,
    scenario,
    targetLabel: label,
    settle,
  }));
  const rows = await runJobs(jobs, args);
  return { label, rows, extra: [], profiles: [], seeded, manager };
}

async function parseServerPhase(
  data: Dataset,
  ids: Ids,
  masterKey: string,
  args: ReturnType<typeof parseCommonArgs>,
  opts: {
    deals: number;
    withActivities: boolean;
    timestamp: string;
    pgVersion: string;
    watch: (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
  },
): Promise<Phase> {
  const db = `bench_pg1m_${randomBytes(5).toString('hex')}`;
  await pgClient(PG_URL, (c) => c.query(`CREATE DATABASE ${db}`));
  const dropDb = onCleanup(`drop database ${db}`, () =>
    pgClient(PG_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)).then(() => undefined),
  );
  const work = tempDir('bench-pg-parse-');
  const port = await freePort();
  const child = spawnServer(
    'parse-server',
    process.execPath,
    ['--import', 'tsx', PARSE_APP],
    {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      APP_ID,
      MASTER_KEY: masterKey,
      DATABASE_URI: PG_DB_URL(db),
      LOGS_DIR: join(work.path, 'logs'),
    },
    join(work.path, 'server.log'),
  );
  const origin = `http://127.0.0.1:${port}`;
  const label = `parse-server (PostgreSQL, ${int(opts.deals)} deals)`;
  const extra: string[] = [];
  try {
    await waitForHealth(origin, child, 60_000);
    const rest = createRestClient(origin, APP_ID, masterKey);
    await declareClasses(rest);
    const master = masterHeaders(APP_ID, masterKey);
    // Users and roles through the REST API (parse-server hashes the passwords itself).
    const admin = await signUp(origin, APP_ID, data.admin.username, data.admin.password, data.admin.email);
    const reps = await runPool(data.users.length, 4, (i) =>
      signUp(origin, APP_ID, data.users[i]!.username, data.users[i]!.password, data.users[i]!.email),
    );
    const manager = await signUp(origin, APP_ID, MANAGER.username, MANAGER.password, MANAGER.email);
    for (const [name, user] of [
      ['admins', admin],
      ['managers', manager],
    ] as const) {
      await httpOk(origin, 'POST', '/parse/roles', master, {
        name,
        ACL: { '*': { read: true } },
        users: { __op: 'AddRelation', objects: [pointer('_User', user.objectId)] },
      });
    }
    const userIds = reps.map((r) => r.objectId);
    const t0 = performance.now();
    const timing = await pgClient(PG_DB_URL(db), (c) =>
      bulkLoadParseServer(c, data, ids, userIds, { activities: opts.withActivities, timestamp: opts.timestamp }, log),
    );
    const rows = Object.values(timing).reduce((a, t) => a + t.rows, 0);
    const bulkSeconds = (performance.now() - t0) / 1000;
    extra.push(
      `bulk insert (INSERT … SELECT unnest, 10,000 rows per statement) of ${int(rows)} rows in ${bulkSeconds.toFixed(1)} s`,
    );
    extra.push(await checkFaithful(origin, db, data, ids, userIds, master));
    if (args.flags.has('pg-indexes')) {
      await pgClient(PG_DB_URL(db), (c) =>
        c.query('CREATE INDEX bench_deal_stage_close ON "Deal" ("stage", "expectedCloseDate")'),
      );
      extra.push('index Deal(stage, expectedCloseDate) added (--pg-indexes)');
    } else extra.push('default indexes only (objectId primary keys; parse-server creates no secondary index)');
    const t1 = performance.now();
    await pgClient(PG_DB_URL(db), (c) => c.query('VACUUM (ANALYZE)'));
    extra.push(`VACUUM (ANALYZE) of its database: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const target: RunningTarget = {
      name: 'parse-server',
      description: `parse-server ${parseServerVersion()} on PostgreSQL ${opts.pgVersion}`,
      origin,
      pid: child.pid,
      externalCpu: () => cpuSnapshot(postgresBackendsOf(db)),
      afterSeed: async () => undefined,
      logTail: () => child.logTail(),
      stop: () => child.stop(),
    };
    const seeded = seededView(ids, reps, opts.deals);
    const settle = () => settlePostgres(opts.watch, db).then(() => undefined);
    const jobs = buildMix(origin, data, seeded, manager, masterKey).map((scenario): Job => ({
      target,
      scenario,
      targetLabel: label,
      settle,
    }));
    const measured = await runJobs(jobs, args);
    return {
      label,
      rows: measured,
      load: { rows, seconds: bulkSeconds, how: 'bulk INSERT … SELECT unnest into its own tables (users and roles via REST)' },
      extra,
      profiles: [],
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- parse-server log ---\n${child.logTail()}`);
  } finally {
    await child.stop();
    await dropDb();
    await work.remove();
  }
}

function parseServerVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../../../../node_modules/parse-server/package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
}

/**
 * Faithfulness check of the bulk rows: the first company, contact, deal (and activity) are created again
 * through parse-server's REST API with the master key, and every stored column must equal the bulk row's
 * except objectId and the timestamps. The REST copies are deleted afterwards.
 */
async function checkFaithful(
  origin: string,
  db: string,
  data: Dataset,
  ids: Ids,
  userIds: string[],
  master: Record<string, string>,
): Promise<string> {
  const d = data.deals[0]!;
  const c = data.contacts[0]!;
  const owner = userIds[d.owner]!;
  const bodies: [string, string, object][] = [
    ['Company', ids.companies(0), { ...data.companies[0]!, ACL: { '*': { read: true } } }],
    [
      'Contact',
      ids.contacts(0),
      {
        name: c.name,
        email: c.email,
        phone: c.phone,
        company: pointer('Company', ids.companies(c.company)),
        ACL: { '*': { read: true } },
      },
    ],
    [
      'Deal',
      ids.deals(0),
      {
        title: d.title,
        amount: d.amount,
        stage: d.stage,
        expectedCloseDate: { __type: 'Date', iso: d.expectedCloseDate },
        contact: pointer('Contact', ids.contacts(d.contact)),
        company: pointer('Company', ids.companies(d.company)),
        assignedTo: pointer('_User', owner),
        ACL: policyAcl(owner),
      },
    ],
  ];
  const mismatches: string[] = [];
  await pgClient(PG_DB_URL(db), async (client) => {
    for (const [className, bulkId, body] of bodies) {
      const created = await httpOk(origin, 'POST', `/parse/classes/${className}`, master, body);
      const row = async (id: string) =>
        (await client.query(`SELECT row_to_json(t) AS j FROM "${className}" t WHERE "objectId" = $1`, [id])).rows[0]?.j as
          Record<string, unknown> | undefined;
      const viaRest = await row(created.objectId);
      const bulk = await row(bulkId);
      await httpOk(origin, 'DELETE', `/parse/classes/${className}/${created.objectId}`, master);
      if (!viaRest || !bulk) {
        mismatches.push(`${className}: row missing`);
        continue;
      }
      for (const key of new Set([...Object.keys(viaRest), ...Object.keys(bulk)])) {
        if (['objectId', 'createdAt', 'updatedAt'].includes(key)) continue;
        const norm = (v: unknown) => (Array.isArray(v) ? JSON.stringify([...v].sort()) : JSON.stringify(v));
        if (norm(viaRest[key]) !== norm(bulk[key]))
          mismatches.push(`${className}.${key}: REST ${norm(viaRest[key])} vs bulk ${norm(bulk[key])}`);
      }
    }
  });
  if (mismatches.length > 0) throw new Error(`bulk rows differ from what parse-server writes itself: ${mismatches.join('; ')}`);
  return `faithfulness check passed: a Company, Contact and Deal created through parse-server's REST API store column for column the same values as the bulk rows (ids and timestamps aside)`;
}

finish(main, cleanupAll);
