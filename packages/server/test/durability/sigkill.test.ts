/**
 * Durability: the server process is killed with SIGKILL in the middle of a write load, restarted on the same
 * data, and every write it acknowledged must be there, whole. Writes in flight at the kill may be lost, but
 * never half-applied (every stored object has all its fields; every acknowledged batch is complete).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APP_ID = 'durability';
const MASTER_KEY = 'durability-master-key';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startProcess(dataDir: string, port: number, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      APP_ID,
      MASTER_KEY,
      CRM_POLICY: 'off',
      LOG_LEVEL: 'silent',
      ...extraEnv,
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/parse/health`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become healthy');
}

const headers = { 'X-Parse-Application-Id': APP_ID, 'X-Parse-Master-Key': MASTER_KEY, 'Content-Type': 'application/json' };

function dealBody(tag: string) {
  return {
    title: tag,
    amount: 42,
    stage: 'proposal',
    notes: `notes of ${tag}`,
    expectedCloseDate: { __type: 'Date', iso: '2026-06-30T00:00:00.000Z' },
  };
}

const dataDirs: string[] = [];
afterAll(() => dataDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function dropSchema(schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const pgAvailable = await postgresReachable();
if (!pgAvailable) console.log(`durability on PostgreSQL skipped: cannot connect to ${TEST_DATABASE_URL}`);

describe.each([
  { storage: 'SQLite', env: {} as Record<string, string>, skip: false },
  {
    storage: 'PostgreSQL',
    env: { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: `dur_${Date.now().toString(36)}` },
    skip: !pgAvailable,
  },
])('SIGKILL during a write load ($storage)', ({ env, skip }) => {
  afterAll(async () => {
    if (env.DATABASE_SCHEMA && !skip) await dropSchema(env.DATABASE_SCHEMA);
  });

  it.skipIf(skip)(
    'keeps every acknowledged write, whole',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-durability-'));
      dataDirs.push(dataDir);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/parse`;
      const child = await startProcess(dataDir, port, env);

      const acknowledged: string[] = [];
      const acknowledgedBatches: string[][] = [];
      let stop = false;
      let seq = 0;
      const singleWriter = async () => {
        while (!stop) {
          const tag = `single-${seq++}`;
          try {
            const response = await fetch(`${url}/classes/Deal`, { method: 'POST', headers, body: JSON.stringify(dealBody(tag)) });
            if (response.status === 201) acknowledged.push(((await response.json()) as { objectId: string }).objectId);
          } catch {
            return; // the server died under us
          }
        }
      };
      const batchWriter = async () => {
        while (!stop) {
          const tags = Array.from({ length: 5 }, () => `batch-${seq++}`);
          const requests = tags.map((t) => ({ method: 'POST', path: '/parse/classes/Deal', body: dealBody(t) }));
          try {
            const response = await fetch(`${url}/batch`, { method: 'POST', headers, body: JSON.stringify({ requests }) });
            if (response.ok) {
              const items = (await response.json()) as Array<{ success?: { objectId: string } }>;
              acknowledgedBatches.push(items.map((i) => i.success!.objectId));
            }
          } catch {
            return;
          }
        }
      };
      const writers = [...Array.from({ length: 6 }, singleWriter), ...Array.from({ length: 2 }, batchWriter)];
      await new Promise((r) => setTimeout(r, 1500));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      await exited;
      const expected = [...acknowledged, ...acknowledgedBatches.flat()];
      expect(expected.length).toBeGreaterThan(50);

      const restarted = await startProcess(dataDir, port, env);
      try {
        const found = new Map<string, Record<string, unknown>>();
        for (let skip = 0; ; skip += 1000) {
          const page = await fetch(`${url}/classes/Deal?limit=1000&skip=${skip}&order=createdAt`, { headers });
          const { results } = (await page.json()) as { results: Array<Record<string, unknown>> };
          for (const object of results) found.set(object.objectId as string, object);
          if (results.length < 1000) break;
        }
        const missing = expected.filter((id) => !found.has(id));
        expect(missing).toEqual([]);
        for (const object of found.values()) {
          expect(object).toMatchObject({ amount: 42, stage: 'proposal', notes: `notes of ${String(object.title)}` });
          expect(object.expectedCloseDate).toEqual({ __type: 'Date', iso: '2026-06-30T00:00:00.000Z' });
        }
      } finally {
        restarted.kill('SIGKILL');
      }
    },
    60_000,
  );
});
