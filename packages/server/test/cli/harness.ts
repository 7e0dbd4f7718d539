/**
 * Runs `crm` in-process through the real command tree (argument parsing, output, exit codes) on throw-away
 * data directories, and opens the same data with the service layer or a real server to check the result.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { runCli } from '../../src/cli/program.js';
import { withServices, type GlobalOptions } from '../../src/cli/context.js';
import type { Services } from '../../src/service/services.js';
import { startServer } from '../../src/server.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clean environment: nothing from the machine's DATA_DIR or DATABASE_URL reaches the command. */
export async function crm(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Like crm(), but fails the test with the command's output when it does not exit 0. */
export async function crmOk(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = await crm(args, env);
  if (run.code !== 0) throw new Error(`crm ${args.join(' ')} exited ${run.code}\n${run.stdout}\n${run.stderr}`);
  return run;
}

const made: string[] = [];

export function tempDir(prefix = 'crm-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const dataDirArgs = (dir: string) => ['--data-dir', dir];

export function onDataDir<T>(dir: string, work: (services: Services) => Promise<T>): Promise<T> {
  return withServices({ dataDir: dir }, { stdout: process.stdout, stderr: process.stderr, env: {} }, work);
}

export function onStore<T>(options: GlobalOptions, work: (services: Services) => Promise<T>): Promise<T> {
  return withServices(options, { stdout: process.stdout, stderr: process.stderr, env: {} }, work);
}

export const APP_ID = 'cli-test';
export const MASTER_KEY = 'cli-test-master-key';

/** The real server on a data directory, for checks through the REST API. */
export async function serveDataDir(dataDir: string) {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    appId: APP_ID,
    masterKey: MASTER_KEY,
    logLevel: 'silent',
    authRateLimitPerMinute: 0,
  });
  const call = async (
    method: string,
    route: string,
    init: { body?: unknown; token?: string; query?: Record<string, unknown> } = {},
  ) => {
    const url = new URL(`${server.serverURL}${route}`);
    for (const [key, value] of Object.entries(init.query ?? {}))
      url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    const headers: Record<string, string> = { 'X-Parse-Application-Id': APP_ID, 'Content-Type': 'application/json' };
    if (init.token) headers['X-Parse-Session-Token'] = init.token;
    const response = await fetch(url, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const login = async (username: string, password: string): Promise<string> => {
    const res = await call('POST', '/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(res.body)}`);
    return String(res.body.sessionToken);
  };
  return { server, call, login, close: () => server.close() };
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** PostgreSQL for the cross-backend tests; null (and one printed line) when nothing answers. */
export async function postgresOrNull(): Promise<{ url: string; schema: string; drop(): Promise<void> } | null> {
  const { Client } = createRequire(import.meta.url)('pg') as typeof import('pg');
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch {
    console.log(`PostgreSQL CLI tests skipped: ${TEST_DATABASE_URL} is not reachable`);
    return null;
  }
  const schema = `cli_${randomBytes(6).toString('hex')}`;
  return {
    url: TEST_DATABASE_URL,
    schema,
    async drop() {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
