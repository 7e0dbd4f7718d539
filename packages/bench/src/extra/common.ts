/**
 * Shared plumbing of the extra suites (bench:acl, bench:login, bench:graphql, bench:postgres): flags, our
 * server as a child with any environment (SQLite or PostgreSQL, optionally under `node --cpu-prof`), timed
 * rows on top of the main bench's measure(), and the dated PERFORMANCE.md section. Everything the suites
 * start registers with ../cleanup.ts, so Ctrl-C, a crash or the suite deadline leave nothing behind.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import type { Findings } from '../checks.js';
import { onCleanup } from '../cleanup.js';
import { describeMachine } from '../machine.js';
import { measure, type LoadOptions, type Measurement } from '../measure.js';
import { machineBusyPercent, waitForQuiet, type CpuSnapshot } from '../proc.js';
import { DISTURBED_PERCENT } from '../results.js';
import { serverRevision } from '../revision.js';
import type { Scenario } from '../scenarios.js';
import { renderMarkdown, renderText, type Table } from '../table.js';
import { spawnServer, waitForHealth } from '../targets/child.js';
import { freePort } from '../targets/free-port.js';
import type { RunningTarget } from '../targets/types.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const SERVER_DIR = join(REPO_ROOT, 'packages/server');
export const SERVER_MAIN = join(SERVER_DIR, 'dist/main.js');
export const SERVER_CLI = join(SERVER_DIR, 'dist/cli.js');
export const PERFORMANCE_DOC = join(REPO_ROOT, 'docs/PERFORMANCE.md');
const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));
const HEALTH_TIMEOUT_MS = 90_000;

export const log = (line: string) => console.log(line);

// ---------------------------------------------------------------------------------------------- flags

export interface CommonArgs {
  durationS: number;
  warmupS: number;
  connections: number;
  /** Timed runs per row; the least disturbed one is kept (rows of one suite are interleaved per round). */
  rounds: number;
  waitQuietS: number;
  doc: boolean;
  quick: boolean;
  /** Run our server under `node --cpu-prof` and print its hottest functions per row. */
  profile: boolean;
  /** Extra numeric/string options of a suite, by name. */
  values: Map<string, string>;
  flags: Set<string>;
}

export class UsageError extends Error {}

/**
 * `--duration S --warmup S --connections N --rounds N --wait-quiet S --quick --doc/--no-doc --profile`,
 * plus the suite's own `valueOptions` / `flagOptions`.
 */
export function parseCommonArgs(
  argv: string[],
  usage: string,
  valueOptions: string[] = [],
  flagOptions: string[] = [],
): CommonArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const valueKeys = ['duration', 'warmup', 'connections', 'rounds', 'wait-quiet', ...valueOptions];
  const flagKeys = ['quick', 'doc', 'no-doc', 'profile', ...flagOptions];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"\n${usage}`);
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (flagKeys.includes(key)) flags.add(key);
    else if (valueKeys.includes(key)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${key} needs a value`);
      values.set(key, value);
    } else throw new UsageError(`unknown option --${key}\n${usage}`);
  }
  const quick = flags.has('quick');
  const int = (key: string, fallback: number, min = 1) => intOption(values, key, fallback, min);
  return {
    durationS: int('duration', quick ? 2 : 10),
    warmupS: int('warmup', quick ? 1 : 2, 0),
    connections: int('connections', 32),
    rounds: int('rounds', quick ? 1 : 2),
    waitQuietS: int('wait-quiet', 0, 0),
    doc: flags.has('doc') || (!quick && !flags.has('no-doc')),
    quick,
    profile: flags.has('profile'),
    values,
    flags,
  };
}

export function intOption(values: Map<string, string>, key: string, fallback: number, min = 1): number {
  const raw = values.get(key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${key} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

export const COMMON_USAGE = `  --duration S     timed seconds per row (default 10; --quick 2)
  --warmup S       untimed warm-up seconds per row (default 2; --quick 1)
  --connections N  concurrent connections (default 32)
  --rounds N       timed runs per row, rows interleaved, least disturbed run kept (default 2; --quick 1)
  --wait-quiet S   before each timed run wait up to S s for the machine to be idle (default 0)
  --profile        run our server under node --cpu-prof and print its hottest functions per row
  --quick          smoke test: small data, short runs, no PERFORMANCE.md entry
  --doc/--no-doc   force or skip the docs/PERFORMANCE.md entry`;

// ------------------------------------------------------------------------------------------ machine

export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** "load 1.02 0.90 0.85, 12% busy": what the machine was doing just before a phase. */
export async function machineNote(): Promise<string> {
  return `load average ${loadAverage()}, ${Math.round(await machineBusyPercent())}% of both cores busy`;
}

// --------------------------------------------------------------------------------------- our server

let built = false;

/** `npm run build -w @crm/server`, once per suite. */
export function buildOurs(): void {
  if (built) return;
  log('building @crm/server (npm run build -w @crm/server)...');
  const res = spawnSync('npm', ['run', 'build', '-w', '@crm/server'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  if (res.status !== 0 || !existsSync(SERVER_MAIN)) {
    const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`build of @crm/server failed (exit ${res.status ?? res.signal}):\n${output}`);
  }
  built = true;
}

export function serverVersion(): string {
  return (JSON.parse(readFileSync(join(SERVER_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A temp directory removed at cleanup (also on failure). */
export function tempDir(prefix: string): { path: string; remove: () => Promise<void> } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = onCleanup(`remove ${path}`, () => rmSync(path, { recursive: true, force: true }));
  return { path, remove };
}

export interface OursOptions {
  appId: string;
  masterKey: string;
  /** SQLite data dir (ignored when `env.DATABASE_URL` is set). */
  dataDir: string;
  /** Overrides on top of the defaults below (DATABASE_URL, DATABASE_SCHEMA, ACCOUNT_LOCKOUT_THRESHOLD, ...). */
  env?: Record<string, string>;
  description: string;
  /** Directory for `--cpu-prof` output; the profile is written when the server exits. */
  profileDir?: string;
  /** CPU of processes outside the server working for it (its PostgreSQL backends). */
  externalCpu?: () => CpuSnapshot | undefined;
}

export interface OursServer extends RunningTarget {
  profileDir?: string;
}

/** Our server from dist/, as it ships, with LOG_LEVEL=silent and AUTH_RATE_LIMIT=0 unless overridden. */
export async function startOursServer(opts: OursOptions): Promise<OursServer> {
  buildOurs();
  const port = await freePort();
  const logDir = tempDir('bench-extra-log-');
  if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });
  const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  const child = spawnServer(
    'ours',
    process.execPath,
    [...nodeArgs, SERVER_MAIN],
    {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_ID: opts.appId,
      MASTER_KEY: opts.masterKey,
      DATA_DIR: opts.dataDir,
      LOG_LEVEL: 'silent',
      AUTH_RATE_LIMIT: '0',
      DATABASE_URL: '',
      DATABASE_SCHEMA: '',
      REDIS_URL: '',
      CRM_CONFIG: '',
      ...opts.env,
    },
    join(logDir.path, 'server.log'),
  );
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await child.stop();
    await logDir.remove();
  };
  try {
    await waitForHealth(origin, child, HEALTH_TIMEOUT_MS);
  } catch (error) {
    const tail = child.logTail();
    await stop();
    throw new Error(`${(error as Error).message}\n--- ours log ---\n${tail}`);
  }
  return {
    name: 'ours',
    description: opts.description,
    origin,
    pid: child.pid,
    externalCpu: opts.externalCpu ?? (() => undefined),
    afterSeed: async () => undefined,
    logTail: () => child.logTail(),
    stop,
    profileDir: opts.profileDir,
  };
}

// ------------------------------------------------------------------------------------------ REST bits

export interface Session {
  objectId: string;
  sessionToken: string;
  username: string;
}

export const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });

export const query = (params: Record<string, unknown>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');

export async function http(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(origin + path, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

export async function httpOk(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<any> {
  const res = await http(origin, method, path, headers, body);
  if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path} -> HTTP ${res.status} ${res.text.slice(0, 400)}`);
  return res.json;
}

export async function logIn(origin: string, appId: string, username: string, password: string): Promise<Session> {
  const body = await httpOk(origin, 'POST', '/parse/login', { 'X-Parse-Application-Id': appId }, { username, password });
  if (!body?.sessionToken) throw new Error(`login of ${username} answered ${JSON.stringify(body).slice(0, 300)}`);
  return { objectId: body.objectId, sessionToken: body.sessionToken, username };
}

export async function signUp(
  origin: string,
  appId: string,
  username: string,
  password: string,
  email?: string,
): Promise<Session> {
  const body = await httpOk(origin, 'POST', '/parse/users', { 'X-Parse-Application-Id': appId }, { username, password, email });
  if (!body?.sessionToken) throw new Error(`sign-up of ${username} answered ${JSON.stringify(body).slice(0, 300)}`);
  return { objectId: body.objectId, sessionToken: body.sessionToken, username };
}

/** Adds a user to a role with the master key: PUT /parse/classes/_Role/<id> {users: AddRelation}. */
export async function addToRole(
  origin: string,
  appId: string,
  masterKey: string,
  roleName: string,
  userId: string,
): Promise<void> {
  const headers = { 'X-Parse-Application-Id': appId, 'X-Parse-Master-Key': masterKey };
  const found = await httpOk(origin, 'GET', `/parse/classes/_Role?${query({ where: { name: roleName }, limit: 1 })}`, headers);
  const role = found?.results?.[0] as { objectId?: string } | undefined;
  if (!role?.objectId) throw new Error(`role ${roleName} not found: ${JSON.stringify(found).slice(0, 300)}`);
  await httpOk(origin, 'PUT', `/parse/classes/_Role/${role.objectId}`, headers, {
    users: { __op: 'AddRelation', objects: [pointer('_User', userId)] },
  });
}

// ------------------------------------------------------------------------------------------- timing

export interface Row {
  target: string;
  label: string;
  valid: boolean;
  problems: string[];
  measurement?: Measurement;
  /** Hot functions of our server during this row (with --profile). */
  hot?: string[];
  note?: string;
}

export const noFindings = (): Findings => ({ errors: [], warnings: [] });

/** A scenario in the main bench's shape (autocannon requests + cheap body check + pre-flight). */
export function scenario(
  id: string,
  label: string,
  requests: autocannon.Request[],
  verifyBody: (body: string) => boolean,
  preflight: () => Promise<Findings>,
): Scenario {
  return { id, label, requests, verifyBody, preflight };
}

function problemsOf(m: Measurement): string[] {
  const problems: string[] = [];
  if (m.non2xx > 0) problems.push(`${m.non2xx} non-2xx responses (status counts ${JSON.stringify(m.statusCodes)})`);
  if (m.mismatches > 0) problems.push(`${m.mismatches} responses failed the body check`);
  if (m.errors > 0) problems.push(`${m.errors} connection errors (${m.timeouts} timeouts)`);
  if (m.requests === 0) problems.push('no request completed');
  return problems;
}

export interface Job {
  target: RunningTarget;
  scenario: Scenario;
  /** Label of the target in the tables ("ours (SQLite, 50k)"). */
  targetLabel: string;
  load?: Partial<LoadOptions>;
  /**
   * Waits until the target's database has finished work left over from earlier runs (queries whose HTTP
   * requests autocannon already abandoned). When set, the warm-up runs separately and settle() is called
   * before it and again between it and the timed run.
   */
  settle?: () => Promise<void>;
}

/**
 * Pre-flights every job, then runs `rounds` rounds over all of them in order (so rows of one table are
 * measured under the same conditions), keeping per row the run least disturbed by other processes.
 */
export async function runJobs(jobs: Job[], args: CommonArgs): Promise<Row[]> {
  const rows: Row[] = [];
  const live: { job: Job; row: Row; best?: Measurement }[] = [];
  for (const job of jobs) {
    const row: Row = { target: job.targetLabel, label: job.scenario.label, valid: true, problems: [] };
    rows.push(row);
    const findings = await job.scenario.preflight().catch((error: Error) => ({ errors: [error.message], warnings: [] }));
    if (findings.errors.length > 0) {
      log(`!!! ${row.target} / ${row.label}: NOT MEASURED (pre-flight): ${findings.errors.join('; ').slice(0, 600)}`);
      row.valid = false;
      row.problems.push(...findings.errors);
      continue;
    }
    if (findings.warnings.length > 0) {
      log(`!!! ${row.target} / ${row.label}: WRONG ANSWERS, measured but invalid: ${findings.warnings.join('; ').slice(0, 600)}`);
      row.valid = false;
      row.problems.push(...findings.warnings);
    }
    live.push({ job, row });
  }
  for (let round = 1; round <= args.rounds; round++) {
    for (const entry of live) {
      const { job, row } = entry;
      if (args.waitQuietS > 0) {
        const quiet = await waitForQuiet(args.waitQuietS, 15);
        if (quiet.waitedS >= 1.5)
          log(`  (waited ${quiet.waitedS.toFixed(0)} s for a quiet machine, now ${Math.round(quiet.busy)}% busy)`);
      }
      const load: LoadOptions = { connections: args.connections, durationS: args.durationS, warmupS: args.warmupS, ...job.load };
      let m: Measurement;
      if (job.settle) {
        await job.settle();
        if (load.warmupS > 0) await measure(job.target, job.scenario, { ...load, durationS: load.warmupS, warmupS: 0 });
        await job.settle();
        m = await measure(job.target, job.scenario, { ...load, warmupS: 0 });
      } else m = await measure(job.target, job.scenario, load);
      const problems = problemsOf(m);
      if (m.errors > 0 || m.non2xx > 0) log(`--- ${row.target} log tail ---\n${job.target.logTail()}`);
      if (problems.length > 0) {
        row.valid = false;
        row.problems.push(...problems.map((p) => (args.rounds > 1 ? `round ${round}: ${p}` : p)));
      }
      log(
        `  [${round}/${args.rounds}] ${`${row.target} / ${row.label}`.padEnd(52)} ${describeMeasurement(m)}${problems.length ? '  [INVALID]' : ''}`,
      );
      if (!entry.best || m.otherCpuPercent < entry.best.otherCpuPercent) entry.best = m;
      row.measurement = entry.best;
    }
  }
  return rows;
}

export function describeMeasurement(m: Measurement): string {
  return (
    `${Math.round(m.reqPerSec).toString().padStart(6)} req/s  p50 ${m.latencyMs.p50.toFixed(1)} ms  p99 ${m.latencyMs.p99.toFixed(1)} ms  ` +
    `server ${m.serverCpuMsPerReq.toFixed(3)} ms CPU/req (${Math.round(m.serverCpuPercent)}%)` +
    (m.dbCpuMsPerReq !== undefined ? ` + db ${m.dbCpuMsPerReq.toFixed(3)}` : '') +
    `  client ${Math.round(m.clientCpuPercent)}%  other ${Math.round(m.otherCpuPercent)}%`
  );
}

// ------------------------------------------------------------------------------------------ reports

const fixed = (n: number | undefined, digits: number) => (n === undefined ? '-' : n.toFixed(digits));
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The main bench's results columns. */
export function rowsTable(rows: Row[]): Table {
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
    rows: rows.map((r) => {
      const m = r.measurement;
      return [
        r.target,
        r.label,
        m ? int(m.reqPerSec) : '-',
        fixed(m?.latencyMs.p50, 1),
        fixed(m?.latencyMs.p99, 1),
        fixed(m?.serverCpuMsPerReq, 3),
        fixed(m?.dbCpuMsPerReq, 3),
        m ? `${Math.round(m.serverCpuPercent)}%` : '-',
        m ? int(m.serverRssMb) : '-',
        m ? `${Math.round(m.otherCpuPercent)}%` : '-',
        r.valid ? 'yes' : 'NO',
      ];
    }),
    numeric: new Set([2, 3, 4, 5, 6, 7, 8, 9]),
  };
}

export interface Target {
  what: string;
  ratio?: number;
  /** e.g. ">= 0.70" */
  goal: string;
  met?: boolean;
  /** Why the target cannot be decided (invalid row...). */
  note?: string;
}

export function ratioTable(targets: Target[]): Table {
  return {
    headers: ['ratio', 'value', 'target', 'status'],
    rows: targets.map((t) => [
      t.what,
      t.ratio === undefined ? '-' : `${t.ratio.toFixed(2)}x`,
      t.goal,
      t.met === undefined ? (t.goal === '(reference)' ? '' : `n/a (${t.note ?? 'not measured'})`) : t.met ? 'met' : 'NOT met',
    ]),
    numeric: new Set([1]),
  };
}

/** A ratio of two rows; only decides a goal when both rows are valid (as the main bench does). */
export function ratioOf(
  what: string,
  a: Row | undefined,
  b: Row | undefined,
  value: (m: Measurement) => number,
  goal?: { text: string; test: (ratio: number) => boolean },
): Target {
  if (!a?.measurement || !b?.measurement) return { what, goal: goal?.text ?? '(reference)', note: 'not measured' };
  if (!(value(b.measurement) > 0))
    return { what, goal: goal?.text ?? '(reference)', note: `${b.target} / ${b.label}: nothing completed` };
  const ratio = value(a.measurement) / value(b.measurement);
  if (!goal) return { what, ratio, goal: '(reference)' };
  if (!a.valid || !b.valid) return { what, ratio, goal: goal.text, note: 'invalid row' };
  return { what, ratio, goal: goal.text, met: goal.test(ratio) };
}

export function problemLines(rows: Row[]): string[] {
  const lines = rows
    .filter((r) => !r.valid)
    .map((r) => `- **${r.target} / ${r.label} invalid**: ${r.problems.map((p) => p.slice(0, 300)).join('; ')}`);
  const disturbed = rows
    .filter((r) => (r.measurement?.otherCpuPercent ?? 0) > DISTURBED_PERCENT)
    .map((r) => `${r.target} / ${r.label}`);
  if (disturbed.length > 0)
    lines.push(
      `- other processes used > ${DISTURBED_PERCENT} % of a core during: ${disturbed.join(', ')} (shared machine; treat as noisy)`,
    );
  const clientBound = rows.filter((r) => (r.measurement?.clientCpuPercent ?? 0) > 90).map((r) => `${r.target} / ${r.label}`);
  if (clientBound.length > 0)
    lines.push(`- the load generator was CPU-bound (> 90 %) during: ${clientBound.join(', ')} (req/s are lower bounds)`);
  return lines;
}

export interface Section {
  title: string;
  command: string;
  date: string;
  bullets: string[];
  /** [heading, table] pairs, rendered in order. */
  tables: [string, Table][];
  notes: string[];
  problems: string[];
}

export function machineLine(): string {
  const m = describeMachine();
  return `${m.cpus} CPUs (nproc; ${m.cpuModel}), ${m.memGiB} GiB RAM, ${m.os}, Node ${m.node}; autocannon runs on the same machine.`;
}

export function revisionLine(): string {
  return serverRevision();
}

export function renderSection(s: Section): string {
  const lines = [
    `## ${s.date.slice(0, 16).replace('T', ' ')} UTC — ${s.title}`,
    '',
    `- Command: \`${s.command}\` at revision ${revisionLine()}`,
    `- Machine: ${machineLine()}`,
    ...s.bullets.map((b) => `- ${b}`),
    '',
  ];
  for (const [heading, table] of s.tables) lines.push(`### ${heading}`, '', renderMarkdown(table), '');
  if (s.notes.length > 0) lines.push('### Notes', '', ...s.notes, '');
  if (s.problems.length > 0) lines.push('### Problems', '', ...s.problems, '');
  return lines.join('\n');
}

export function printSection(s: Section): void {
  for (const [heading, table] of s.tables) console.log(`\n${heading}\n${renderText(table)}`);
  if (s.notes.length) console.log(`\n${s.notes.join('\n')}`);
  if (s.problems.length) console.log(`\nPROBLEMS\n${s.problems.join('\n')}`);
}

export function appendSection(s: Section): void {
  appendFileSync(PERFORMANCE_DOC, `\n${renderSection(s)}`);
  log(`section appended to ${PERFORMANCE_DOC}`);
}

export function writeResultsJson(suite: string, date: string, payload: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}-${suite}.json`);
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file;
}

// ----------------------------------------------------------------------------------------- profiles

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/**
 * Self time per function of the newest .cpuprofile in `dir`, hottest first, as
 * "12.3% fnName (file:line)". Only meaningful when the profile covers one row's load.
 */
export function hotFunctions(dir: string, top = 12): string[] {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
    : [];
  const file = files.at(-1);
  if (!file) return [`(no .cpuprofile in ${dir})`];
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      ? `${url
          .replace(/^file:\/\//, '')
          .replace(REPO_ROOT, '')
          .replace(/^.*node_modules\//, 'node_modules/')}:${lineNumber + 1}`
      : '';
    const key = `${functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => `${((count / total) * 100).toFixed(1)}% ${name}`);
}

/** A suite-level deadline that cleans up and exits (the main bench's installExitHandlers does the rest). */
export function finish(main: () => Promise<number>, cleanupAll: () => Promise<void>): void {
  main()
    .then(async (code) => {
      await cleanupAll();
      process.exit(code);
    })
    .catch(async (error: Error) => {
      console.error(error instanceof UsageError ? error.message : (error.stack ?? error));
      await cleanupAll();
      process.exit(error instanceof UsageError ? 2 : 1);
    });
}

/** Self time grouped by where the code lives (our dist/, fastify, pg, better-sqlite3, node internals, GC...). */
export function hotAreas(dir: string, top = 8): string[] {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
    : [];
  const file = files.at(-1);
  if (!file) return [];
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const areas = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0) continue;
    const url = node.callFrame.url.replace(/^file:\/\//, '');
    let area: string;
    if (!url) area = node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : '(native/builtin)';
    else if (url.startsWith('node:')) area = 'node internals';
    else if (url.includes('node_modules/'))
      area = `node_modules/${url
        .split('node_modules/')
        .at(-1)!
        .split('/')
        .slice(0, url.split('node_modules/').at(-1)!.startsWith('@') ? 2 : 1)
        .join('/')}`;
    else if (url.includes('packages/server/dist/')) area = `server ${url.split('packages/server/dist/')[1]!.split('/')[0]}/`;
    else area = url.replace(REPO_ROOT, '');
    areas.set(area, (areas.get(area) ?? 0) + count);
  }
  return [...areas.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => `${((count / total) * 100).toFixed(1)}% ${name}`);
}

/**
 * Restarts our server under `node --cpu-prof` (same data), runs one scenario (warm-up + timed run), stops it
 * so the profile is written, and returns the hottest functions; the .cpuprofile is kept under results/profiles.
 */
export async function profileScenario(
  suite: string,
  start: (profileDir: string) => Promise<OursServer>,
  build: (origin: string) => Scenario,
  load: LoadOptions,
): Promise<{ label: string; functions: string[]; areas: string[]; file?: string; measurement: Measurement }> {
  const dir = tempDir('bench-prof-');
  const server = await start(dir.path);
  let m: Measurement;
  const sc = build(server.origin);
  try {
    m = await measure(server, sc, load);
  } finally {
    // The profile is only written on a normal exit, and after writes on PostgreSQL our server needs ~10 s to
    // shut down (more than the 5 s grace of targets/child.ts): signal it here and wait up to 60 s first.
    const t0 = performance.now();
    try {
      process.kill(server.pid, 'SIGTERM');
      while (performance.now() - t0 < 60_000) {
        process.kill(server.pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch {
      // exited
    }
    await server.stop();
  }
  const functions = hotFunctions(dir.path, 15);
  const areas = hotAreas(dir.path);
  const profile = readdirSync(dir.path).find((f) => f.endsWith('.cpuprofile'));
  let file: string | undefined;
  if (profile) {
    const keep = join(RESULTS_DIR, 'profiles');
    mkdirSync(keep, { recursive: true });
    file = join(keep, `${new Date().toISOString().replace(/[:.]/g, '-')}-${suite}-${sc.id}.cpuprofile`);
    writeFileSync(file, readFileSync(join(dir.path, profile)));
  }
  await dir.remove();
  log(
    `\nprofile of ${sc.label} (${describeMeasurement(m)}), self time:\n  ${functions.join('\n  ')}\n  by area: ${areas.join(', ')}`,
  );
  return { label: sc.label, functions, areas, file, measurement: m };
}

// --------------------------------------------------------------------------------- PostgreSQL settle

/** Local TCP ports of the sockets a process holds (its database connections among them). */
export function localPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m) inodes.add(m[1]!);
      } catch {
        // fd closed meanwhile
      }
    }
  } catch {
    return new Set();
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/**
 * Polls pg_stat_activity until no backend serving `clientPorts()` (or, without it, database `db`) is running a
 * query, for at most `maxS` seconds. Returns the seconds waited.
 */
export async function settlePostgres(
  query: (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>,
  db: string,
  clientPorts?: () => Set<number>,
  maxS = 90,
): Promise<number> {
  const t0 = performance.now();
  let quietChecks = 0;
  while ((performance.now() - t0) / 1000 < maxS) {
    const rows = (
      await query(
        `SELECT client_port FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [db],
      )
    ).rows;
    const ports = clientPorts?.();
    const busy = rows.filter((r) => !ports || ports.has(Number(r.client_port))).length;
    quietChecks = busy === 0 ? quietChecks + 1 : 0;
    if (quietChecks >= 2) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const waited = (performance.now() - t0) / 1000;
  if (waited > 2) log(`  (waited ${waited.toFixed(0)} s for PostgreSQL to finish queries left over from earlier runs)`);
  return waited;
}
