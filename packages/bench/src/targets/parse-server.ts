/**
 * The reference target: parse-server on a throw-away PostgreSQL database that is dropped on stop,
 * whatever way the run ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { onCleanup } from '../cleanup.js';
import { cpuSnapshot, postgresBackendsOf } from '../proc.js';
import { spawnServer, waitForHealth } from './child.js';
import { freePort } from './free-port.js';
import type { RunningTarget, StartOptions } from './types.js';
import { PG_ADMIN_URL, pgDatabaseUrl as PG_DB_URL } from '../pg-urls.js';

const APP_SCRIPT = fileURLToPath(new URL('./parse-server-app.ts', import.meta.url));
const HEALTH_TIMEOUT_MS = 60_000;
/** What a DBA would add for the pipeline, count and activity screens; parse-server only indexes objectId. */
const TUNING_INDEXES = [
  'CREATE INDEX bench_deal_stage_close ON "Deal" ("stage", "expectedCloseDate")',
  'CREATE INDEX bench_activity_related_due ON "Activity" ("relatedTo", "dueDate" DESC)',
];

async function admin<T>(work: (client: pg.Client) => Promise<T>, url = PG_ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function parseServerVersion(): string {
  const pkgUrl = new URL('../../../../node_modules/parse-server/package.json', import.meta.url);
  return (JSON.parse(readFileSync(pkgUrl, 'utf8')) as { version: string }).version;
}

export async function startParseServer(opts: StartOptions): Promise<RunningTarget> {
  const dbName = `bench_parse_${randomBytes(6).toString('hex')}`;
  const pgVersion = await admin(async (c) => {
    await c.query(`CREATE DATABASE ${dbName}`);
    return (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  });
  const dropDb = onCleanup(`drop database ${dbName}`, () =>
    admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).then(() => undefined),
  );
  opts.log(`  created database ${dbName}`);
  const workDir = mkdtempSync(join(tmpdir(), 'bench-parse-'));
  const removeDir = onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));

  const port = await freePort();
  const child = spawnServer(
    'parse-server',
    process.execPath,
    ['--import', 'tsx', APP_SCRIPT],
    {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      APP_ID: opts.appId,
      MASTER_KEY: opts.masterKey,
      DATABASE_URI: PG_DB_URL(dbName),
      LOGS_DIR: join(workDir, 'logs'),
    },
    join(workDir, 'server.log'),
  );
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await child.stop();
    await dropDb();
    await removeDir();
  };
  try {
    await waitForHealth(origin, child, HEALTH_TIMEOUT_MS);
  } catch (error) {
    const tail = child.logTail();
    await stop();
    throw new Error(`${(error as Error).message}\n--- parse-server log ---\n${tail}`);
  }
  return {
    name: 'parse-server',
    description:
      `parse-server ${parseServerVersion()} (express 5) on PostgreSQL ${pgVersion}` +
      (opts.pgIndexes
        ? ', plus indexes Deal(stage, expectedCloseDate) and Activity(relatedTo, dueDate)'
        : ', default indexes only'),
    origin,
    pid: child.pid,
    externalCpu: () => cpuSnapshot(postgresBackendsOf(dbName)),
    // Autovacuum would analyze the freshly loaded tables at some random point of the timed runs;
    // doing it up front keeps query plans stable for the whole benchmark.
    afterSeed: () =>
      admin(async (c) => {
        for (const sql of opts.pgIndexes ? TUNING_INDEXES : []) await c.query(sql);
        await c.query('ANALYZE');
      }, PG_DB_URL(dbName)),
    logTail: () => child.logTail(),
    stop,
  };
}
