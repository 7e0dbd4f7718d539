/**
 * Webhooks with more than one process: two instances sharing PostgreSQL and a Redis change feed deliver each
 * event once (the instance that made the write), and a delivery waiting for a retry survives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAndRedisMissing, TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/external-services.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { ServerConfig } from '../../src/config/config.js';
import { OUR_STORAGE } from '../helpers/server.js';
import { Receiver, sleep, waitFor } from './receiver.js';

const MASTER = { 'X-Parse-Application-Id': 'hooks', 'X-Parse-Master-Key': 'hooks-master', 'Content-Type': 'application/json' };

const missing = await postgresAndRedisMissing();
if (missing) console.log(`two-instance webhook test skipped: ${missing}`);

const post = (server: RunningServer, path: string, body: unknown) =>
  fetch(`${server.serverURL}${path}`, { method: 'POST', headers: MASTER, body: JSON.stringify(body) });

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

let receiver: Receiver;
const dirs: string[] = [];
const common = (): Partial<ServerConfig> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hooks-'));
  dirs.push(dataDir);
  return { host: '127.0.0.1', port: 0, appId: 'hooks', masterKey: 'hooks-master', logLevel: 'silent', crmPolicy: false, dataDir };
};

beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(async () => {
  await receiver?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!!missing)('two instances on one database and one Redis', () => {
  const schema = `wh_${randomBytes(5).toString('hex')}`;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    const shared = { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, redisUrl: TEST_REDIS_URL };
    a = await startServer({ ...common(), ...shared });
    b = await startServer({ ...common(), ...shared });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (!missing) await dropSchema(schema);
  });

  it('each event is delivered once, whichever instance made the write', async () => {
    expect((await post(a, '/classes/Webhook', { url: `${receiver.url}/cluster`, events: ['deal.created'] })).status).toBe(201);
    for (const [server, title] of [
      [a, 'written on A'],
      [b, 'written on B'],
    ] as const) {
      expect((await post(server, '/classes/Deal', { title })).status).toBe(201);
    }
    await waitFor(() => receiver.at('/cluster').length >= 2);
    await sleep(300);
    expect(
      receiver
        .at('/cluster')
        .map((r) => r.json.object.title)
        .sort(),
    ).toEqual(['written on A', 'written on B']);
  });
});

describe('a restart', () => {
  it('resumes a delivery that was waiting for its retry', async () => {
    const schema = `wr_${randomBytes(5).toString('hex')}`;
    const storage = OUR_STORAGE === 'postgres' ? { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema } : {};
    const config = { ...common(), ...storage, webhookRetryBaseMs: 1500, webhookMaxAttempts: 3 };
    receiver.script.set('/restart', [500, 200]);
    const first = await startServer(config);
    try {
      expect(
        (await post(first, '/classes/Webhook', { url: `${receiver.url}/restart`, events: ['company.created'] })).status,
      ).toBe(201);
      expect((await post(first, '/classes/Company', { name: 'Before the restart' })).status).toBe(201);
      await waitFor(() => receiver.at('/restart').length === 1);
      await sleep(100);
    } finally {
      await first.close();
    }
    const second = await startServer(config);
    try {
      await waitFor(() => receiver.at('/restart').length === 2, 10_000);
      const deliveries = await fetch(`${second.serverURL}/classes/WebhookDelivery`, { headers: MASTER }).then((r) => r.json());
      await waitFor(async () => {
        const res = await fetch(`${second.serverURL}/classes/WebhookDelivery`, { headers: MASTER }).then((r) => r.json());
        return res.results[0]?.status === 'succeeded';
      });
      expect(deliveries.results).toHaveLength(1);
      const [one, two] = receiver.at('/restart');
      expect(two.json.id).toBe(one.json.id);
    } finally {
      await second.close();
      if (OUR_STORAGE === 'postgres') await dropSchema(schema);
    }
  }, 30_000);

  it('retries a delivery whose first attempt a crash cut off', async () => {
    const schema = `wc_${randomBytes(5).toString('hex')}`;
    const storage = OUR_STORAGE === 'postgres' ? { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema } : {};
    const config = { ...common(), ...storage, webhookTimeoutMs: 200 };
    receiver.script.set('/crash', [200]);
    const first = await startServer(config);
    let deliveryRow: string;
    try {
      const res = await post(first, '/classes/Webhook', { url: `${receiver.url}/crash`, events: ['company.created'] });
      const webhook = (await res.json()) as { objectId: string };
      // What a process that died mid-attempt leaves behind: the row written before the attempt, never updated.
      const row = await post(first, '/classes/WebhookDelivery', {
        webhook: { __type: 'Pointer', className: 'Webhook', objectId: webhook.objectId },
        event: 'company.created',
        deliveryId: 'cut-off-delivery',
        payload: JSON.stringify({ id: 'cut-off-delivery', event: 'company.created' }),
        status: 'delivering',
        attempt: 0,
      });
      expect(row.status).toBe(201);
      deliveryRow = ((await row.json()) as { objectId: string }).objectId;
    } finally {
      await first.close();
    }
    await sleep(500); // past twice the attempt timeout: nobody is delivering it any more
    const second = await startServer(config);
    try {
      await waitFor(() => receiver.at('/crash').length === 1, 10_000);
      expect(receiver.at('/crash')[0]!.json.id).toBe('cut-off-delivery');
      await waitFor(async () => {
        const res = await fetch(`${second.serverURL}/classes/WebhookDelivery/${deliveryRow}`, { headers: MASTER });
        return ((await res.json()) as { status?: string }).status === 'succeeded';
      });
    } finally {
      await second.close();
      if (OUR_STORAGE === 'postgres') await dropSchema(schema);
    }
  }, 30_000);
});
