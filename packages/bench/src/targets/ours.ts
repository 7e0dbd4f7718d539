/**
 * Our server, built from the workspace and run from dist/ exactly as it ships, on a fresh embedded
 * SQLite data directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from '../cleanup.js';
import { spawnServer, waitForHealth } from './child.js';
import { freePort } from './free-port.js';
import type { RunningTarget, StartOptions } from './types.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVER_DIR = join(REPO_ROOT, 'packages/server');
const MAIN = join(SERVER_DIR, 'dist/main.js');
const BUILD_TIMEOUT_MS = 300_000;
const HEALTH_TIMEOUT_MS = 60_000;
const DATA_SUBDIR = 'data';

function build(log: (line: string) => void): void {
  log('  building @crm/server (npm run build -w @crm/server)...');
  const res = spawnSync('npm', ['run', 'build', '-w', '@crm/server'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (res.status !== 0) {
    const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`build of @crm/server failed (exit ${res.status ?? res.signal ?? res.error?.message}):\n${output}`);
  }
  if (!existsSync(MAIN)) throw new Error(`build succeeded but ${MAIN} does not exist`);
}

function version(): string {
  return (JSON.parse(readFileSync(join(SERVER_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function startOurs(opts: StartOptions): Promise<RunningTarget> {
  build(opts.log);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ours-'));
  const removeDir = onCleanup(`remove ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const child = spawnServer(
    'ours',
    process.execPath,
    [MAIN],
    {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_ID: opts.appId,
      MASTER_KEY: opts.masterKey,
      DATA_DIR: join(dataDir, DATA_SUBDIR),
      // Force the embedded SQLite store even if the caller's shell points at a shared database.
      DATABASE_URL: '',
      REDIS_URL: '',
      CRM_CONFIG: '',
    },
    join(dataDir, 'server.log'),
  );
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await child.stop();
    await removeDir();
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
    description: `@crm/server ${version()} (embedded SQLite)`,
    origin,
    pid: child.pid,
    dataDir: join(dataDir, DATA_SUBDIR),
    externalCpu: () => undefined,
    afterSeed: async () => undefined,
    logTail: () => child.logTail(),
    stop,
  };
}
