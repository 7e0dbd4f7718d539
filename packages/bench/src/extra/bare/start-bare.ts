/** The bare server (./server.ts) as a bench target: a child process on a free port, stopped at cleanup. */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServer, waitForHealth } from '../../targets/child.js';
import { freePort } from '../../targets/free-port.js';
import type { RunningTarget } from '../../targets/types.js';
import type { Fields } from './deal-row.js';

const SCRIPT = fileURLToPath(new URL('./server.ts', import.meta.url));
const HEALTH_TIMEOUT_MS = 30_000;

export interface BareOptions {
  /** Short name for files and logs ("bare-ours", "bare-minimum"). */
  name: string;
  appId: string;
  dbFile: string;
  fields: Fields;
  /** Session token → user objectId: the bench users' sessions, preloaded. */
  sessions: Record<string, string>;
  /** Where the config and the log go. */
  workDir: string;
  /** Share commits between the writes of one event-loop turn (ours' group commit). */
  groupCommit?: boolean;
  /** Write ours' stage-history and rollup-delta rows with each deal (the database must have their tables). */
  forecast?: boolean;
}

const betterSqliteVersion = (): string =>
  (createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string }).version;

export async function startBare(opts: BareOptions): Promise<RunningTarget> {
  const configFile = join(opts.workDir, `${opts.name}.json`);
  const { appId, dbFile, fields, sessions } = opts;
  writeFileSync(configFile, JSON.stringify({ appId, dbFile, fields, sessions }));
  const port = await freePort();
  const child = spawnServer(
    opts.name,
    process.execPath,
    ['--import', 'tsx', SCRIPT],
    {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      BARE_CONFIG: configFile,
      BARE_GROUP_COMMIT: opts.groupCommit ? '1' : '0',
      BARE_FORECAST: opts.forecast ? '1' : '0',
    },
    join(opts.workDir, `${opts.name}.log`),
  );
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, child, HEALTH_TIMEOUT_MS);
  } catch (error) {
    const tail = child.logTail();
    await child.stop();
    throw new Error(`${(error as Error).message}\n--- ${opts.name} log ---\n${tail}`);
  }
  return {
    name: opts.name,
    description: `node:http + better-sqlite3 ${betterSqliteVersion()} on Node ${process.version}`,
    origin,
    pid: child.pid,
    externalCpu: () => undefined,
    afterSeed: async () => undefined,
    logTail: () => child.logTail(),
    stop: () => child.stop(),
  };
}
