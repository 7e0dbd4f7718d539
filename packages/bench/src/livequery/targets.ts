/**
 * The servers under test for the LiveQuery benchmark, each as child processes the runner owns:
 *  - ours:         one `node packages/server/dist/main.js` on a fresh embedded SQLite data dir;
 *  - ours-redis:   two of them on one fresh PostgreSQL schema of database `test`, change events through Redis;
 *  - parse-server: parse-server 9 + its LiveQuery server (our own child script) on a fresh database.
 * Everything created (children, data dirs, schema, database) is registered with cleanup.ts, so it goes away
 * on success, failure, Ctrl-C or the global deadline.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { onCleanup } from '../cleanup.js';
import { postgresBackendsOf } from '../proc.js';
import { spawnServer, waitForHealth, type ServerChild } from '../targets/child.js';
import { freePort } from '../targets/free-port.js';
import type { LqTargetName } from './args.js';
import { PG_ADMIN_URL, pgDatabaseUrl } from '../pg-urls.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVER_DIR = join(REPO_ROOT, 'packages/server');
const MAIN = join(SERVER_DIR, 'dist/main.js');
const PARSE_APP = fileURLToPath(new URL('./parse-server-lq-app.ts', import.meta.url));
const REDIS_URL = 'redis://127.0.0.1:6379';
const HEALTH_TIMEOUT_MS = 60_000;

export interface LqTarget {
  readonly name: LqTargetName;
  readonly description: string;
  /** Where setup and the write stream go (REST). */
  readonly writeOrigin: string;
  /** WebSocket URLs; client i connects to wsUrls[i % length]. */
  readonly wsUrls: string[];
  /** Root pids of the server processes (CPU and RSS are summed over their trees). */
  readonly serverPids: number[];
  /** PostgreSQL backends working for this target right now (none for embedded SQLite). */
  dbPids(): Promise<number[]>;
  logTail(): string;
  /** Set when a server process ended while the benchmark still needed it (crash, or killed from outside). */
  unexpectedExit(): string | undefined;
  /** Where --cpu-prof profiles are written (after stop). */
  readonly profileDir?: string;
  stop(): Promise<void>;
}

export interface LqStartOptions {
  appId: string;
  masterKey: string;
  cpuProf: boolean;
  log: (line: string) => void;
}

export function buildServer(log: (line: string) => void): void {
  log('building @crm/server (npm run build -w @crm/server)...');
  const res = spawnSync('npm', ['run', 'build', '-w', '@crm/server'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  if (res.status !== 0) {
    const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`build of @crm/server failed (exit ${res.status ?? res.signal ?? res.error?.message}):\n${output}`);
  }
  if (!existsSync(MAIN)) throw new Error(`build succeeded but ${MAIN} does not exist`);
}

async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const serverVersion = (): Promise<string> =>
  withPg(
    PG_ADMIN_URL,
    async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v ?? '?',
  ).catch(() => '?');

const packageVersion = (path: string): string => (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;

/** Exits of server children that nobody asked for, by label. */
const stopping = new Set<number>();
const unexpected = new Map<number, string>();

function watchExit(label: string, child: ServerChild): ServerChild {
  void child.exited.then((code) => {
    if (!stopping.has(child.pid))
      unexpected.set(child.pid, `${label} (pid ${child.pid}) exited with code ${code} during the run`);
  });
  return {
    ...child,
    stop: async () => {
      stopping.add(child.pid);
      await child.stop();
    },
  };
}

const exitOf = (children: ServerChild[]) => () => children.map((c) => unexpected.get(c.pid)).find((x) => x !== undefined);

async function startChild(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  workDir: string,
  port: number,
): Promise<ServerChild> {
  const child = watchExit(label, spawnServer(label, process.execPath, args, env, join(workDir, `${label}.log`)));
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child, HEALTH_TIMEOUT_MS);
  } catch (error) {
    const tail = child.logTail();
    await child.stop();
    throw new Error(`${label}: ${(error as Error).message}\n--- ${label} log ---\n${tail}`);
  }
  return child;
}

function ourEnv(opts: LqStartOptions, port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_ID: opts.appId,
    MASTER_KEY: opts.masterKey,
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT: '0',
    CRM_CONFIG: '',
    DATABASE_URL: '',
    DATABASE_SCHEMA: '',
    REDIS_URL: '',
    ...extra,
  };
}

function profileArgs(opts: LqStartOptions, workDir: string): { args: string[]; dir?: string } {
  if (!opts.cpuProf) return { args: [] };
  // Outside the temp dir, which is removed on stop: the runner summarises the profile afterwards.
  const dir = join(REPO_ROOT, 'packages/bench/results', `cpuprof-${workDir.split('-').pop()}`);
  mkdirSync(dir, { recursive: true });
  return { args: ['--cpu-prof', '--cpu-prof-dir', dir], dir };
}

async function startOurs(opts: LqStartOptions): Promise<LqTarget> {
  const workDir = mkdtempSync(join(tmpdir(), 'lqbench-ours-'));
  const removeDir = onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
  const prof = profileArgs(opts, workDir);
  const port = await freePort();
  let child: ServerChild;
  try {
    child = await startChild(
      'ours',
      [...prof.args, MAIN],
      ourEnv(opts, port, { DATA_DIR: join(workDir, 'data') }),
      workDir,
      port,
    );
  } catch (error) {
    await removeDir();
    throw error;
  }
  return {
    name: 'ours',
    description: `@crm/server ${packageVersion(join(SERVER_DIR, 'package.json'))}, one instance, embedded SQLite, in-process change feed`,
    writeOrigin: `http://127.0.0.1:${port}`,
    wsUrls: [`ws://127.0.0.1:${port}/parse`],
    serverPids: [child.pid],
    dbPids: async () => [],
    logTail: () => child.logTail(),
    unexpectedExit: exitOf([child]),
    profileDir: prof.dir,
    stop: async () => {
      await child.stop();
      await removeDir();
    },
  };
}

async function startOursRedis(opts: LqStartOptions): Promise<LqTarget> {
  const schema = `lqbench_${randomBytes(5).toString('hex')}`;
  // application_name lets the runner find the PostgreSQL backends serving this run (for DB CPU).
  const databaseUrl = `${PG_ADMIN_URL}?application_name=${schema}`;
  const dropSchema = onCleanup(`drop schema ${schema}`, () =>
    withPg(PG_ADMIN_URL, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  );
  const workDir = mkdtempSync(join(tmpdir(), 'lqbench-redis-'));
  const removeDir = onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
  const prof = profileArgs(opts, workDir);
  const children: ServerChild[] = [];
  const ports: number[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await child.stop();
    await dropSchema();
    await removeDir();
  };
  try {
    // One after the other: the first runs the migrations, the second finds them done.
    for (const label of ['ours-a', 'ours-b']) {
      const port = await freePort();
      const env = ourEnv(opts, port, {
        DATA_DIR: join(workDir, label),
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        REDIS_URL,
      });
      children.push(await startChild(label, [...prof.args, MAIN], env, workDir, port));
      ports.push(port);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const pgVersion = await serverVersion();
  return {
    name: 'ours-redis',
    description:
      `@crm/server ${packageVersion(join(SERVER_DIR, 'package.json'))}, two instances on PostgreSQL ${pgVersion.split(' ')[0]} ` +
      `(schema ${schema} of db test), change feed through Redis; writes through instance A, clients split A/B`,
    writeOrigin: `http://127.0.0.1:${ports[0]}`,
    wsUrls: ports.map((p) => `ws://127.0.0.1:${p}/parse`),
    serverPids: children.map((c) => c.pid),
    dbPids: () =>
      withPg(PG_ADMIN_URL, async (c) =>
        (await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [schema])).rows.map(
          (r) => r.pid,
        ),
      ).catch(() => []),
    logTail: () => children.map((c, i) => `[instance ${'AB'[i]}]\n${c.logTail()}`).join('\n'),
    unexpectedExit: exitOf(children),
    profileDir: prof.dir,
    stop,
  };
}

async function startParseServer(opts: LqStartOptions): Promise<LqTarget> {
  const dbName = `lqbench_parse_${randomBytes(5).toString('hex')}`;
  await withPg(PG_ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
  const dropDb = onCleanup(`drop database ${dbName}`, () =>
    withPg(PG_ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).then(() => undefined),
  );
  const pgVersion = await serverVersion();
  const workDir = mkdtempSync(join(tmpdir(), 'lqbench-parse-'));
  const removeDir = onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
  const port = await freePort();
  let child: ServerChild;
  try {
    child = await startChild(
      'parse-server',
      ['--import', 'tsx', PARSE_APP],
      {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        APP_ID: opts.appId,
        MASTER_KEY: opts.masterKey,
        DATABASE_URI: pgDatabaseUrl(dbName),
        LOGS_DIR: join(workDir, 'logs'),
      },
      workDir,
      port,
    );
  } catch (error) {
    await dropDb();
    await removeDir();
    throw error;
  }
  return {
    name: 'parse-server',
    description:
      `parse-server ${packageVersion(join(REPO_ROOT, 'node_modules/parse-server/package.json'))} (express 5) + ParseLiveQueryServer ` +
      `on the same port, PostgreSQL ${pgVersion.split(' ')[0]}, in-process pub/sub`,
    writeOrigin: `http://127.0.0.1:${port}`,
    wsUrls: [`ws://127.0.0.1:${port}/parse`],
    serverPids: [child.pid],
    dbPids: async () => postgresBackendsOf(dbName),
    logTail: () => child.logTail(),
    unexpectedExit: exitOf([child]),
    stop: async () => {
      await child.stop();
      await dropDb();
      await removeDir();
    },
  };
}

export const startLqTarget: Record<LqTargetName, (opts: LqStartOptions) => Promise<LqTarget>> = {
  ours: startOurs,
  'ours-redis': startOursRedis,
  'parse-server': startParseServer,
};
