/**
 * Two server instances on one PostgreSQL database behave as one: a logout, a role change or a schema change
 * made through one is in force on the other at once (PostgreSQL LISTEN/NOTIFY invalidation), not when a cache
 * entry happens to expire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Instance {
  serverURL: string;
  child: ChildProcess;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A separate server process, as a real deployment runs them. */
async function startProcess(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'two-')) },
    stdio: 'ignore',
  });
  const serverURL = `http://127.0.0.1:${port}/parse`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${serverURL}/health`)).ok) return { serverURL, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error('instance did not start');
}

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const available = await reachable();
if (!available) console.log(`two-instance tests skipped: cannot connect to ${DATABASE_URL}`);

const schema = `two_${randomBytes(5).toString('hex')}`;
const masterKey = 'two-instances-master';
let a: Instance;
let b: Instance;

async function call(server: Instance, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.serverURL}${route}`, {
    method,
    headers: { 'X-Parse-Application-Id': 'two', 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const eventually = async (check: () => Promise<boolean>, ms = 3000): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
};

describe.skipIf(!available)('two instances on one PostgreSQL database', () => {
  beforeAll(async () => {
    const env = {
      APP_ID: 'two',
      MASTER_KEY: masterKey,
      LOG_LEVEL: 'silent',
      AUTH_RATE_LIMIT: '0',
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
    };
    // Both boot at the same moment: migrations must not trip over each other.
    [a, b] = await Promise.all([startProcess(env), startProcess(env)]);
  }, 60_000);

  afterAll(async () => {
    for (const instance of [a, b]) {
      if (!instance) continue;
      const exited = new Promise((r) => instance.child.once('exit', r));
      instance.child.kill('SIGTERM');
      await exited;
    }
    if (available) {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('a session logged out on A is refused on B at once', async () => {
    await call(a, 'POST', '/users', { username: 'admin', password: 'pw', email: 'admin@example.com' });
    const login = await call(a, 'POST', '/login', { username: 'admin', password: 'pw' });
    const token = login.body.sessionToken as string;
    const auth = { 'X-Parse-Session-Token': token };
    expect((await call(b, 'GET', '/users/me', undefined, auth)).status).toBe(200);
    await call(a, 'POST', '/logout', {}, auth);
    expect(await eventually(async () => (await call(b, 'GET', '/users/me', undefined, auth)).body.code === 209, 1000)).toBe(true);
  });

  it('a role granted on A widens what the user sees on B at once', async () => {
    await call(a, 'POST', '/users', { username: 'rep', password: 'pw', email: 'rep@example.com' });
    const repToken = (await call(a, 'POST', '/login', { username: 'rep', password: 'pw' })).body.sessionToken as string;
    await call(a, 'POST', '/users', { username: 'boss', password: 'pw', email: 'boss@example.com' });
    const boss = await call(a, 'POST', '/login', { username: 'boss', password: 'pw' });
    const bossAuth = { 'X-Parse-Session-Token': boss.body.sessionToken as string };
    await call(a, 'POST', '/classes/Deal', { title: 'rep deal' }, { 'X-Parse-Session-Token': repToken });
    const count = async () => (await call(b, 'GET', '/classes/Deal?count=1&limit=0', undefined, bossAuth)).body.count as number;
    expect(await count()).toBe(0);
    const managers = await call(
      a,
      'GET',
      '/classes/_Role?where=' + encodeURIComponent(JSON.stringify({ name: 'managers' })),
      undefined,
      { 'X-Parse-Master-Key': masterKey },
    );
    const roleId = managers.body.results[0].objectId as string;
    await call(
      a,
      'PUT',
      `/classes/_Role/${roleId}`,
      { users: { __op: 'AddRelation', objects: [{ __type: 'Pointer', className: '_User', objectId: boss.body.objectId }] } },
      { 'X-Parse-Master-Key': masterKey },
    );
    expect(await eventually(async () => (await count()) === 1, 1000)).toBe(true);
  });

  it('a field added through the Schema API on A is known to B', async () => {
    const master = { 'X-Parse-Master-Key': masterKey };
    const added = await call(a, 'PUT', '/schemas/Deal', { fields: { priority: { type: 'Number' } } }, master);
    expect(added.status).toBe(200);
    expect(
      await eventually(
        async () => (await call(b, 'GET', '/schemas/Deal', undefined, master)).body.fields?.priority?.type === 'Number',
      ),
    ).toBe(true);
    const created = await call(b, 'POST', '/classes/Deal', { title: 'prioritised', priority: 3 }, master);
    expect(created.status).toBe(201);
    const read = await call(a, 'GET', `/classes/Deal/${created.body.objectId}`, undefined, master);
    expect(read.body.priority).toBe(3);
  });
});
