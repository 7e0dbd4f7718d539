/**
 * Fan-out across instances: a LiveQuery client connected to instance A receives the event for a write made
 * through instance B (both on one PostgreSQL database, events through Redis pub/sub).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresAndRedisMissing, TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/external-services.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { FrameClient, liveUrl } from './helpers.js';

const missing = await postgresAndRedisMissing();
if (missing) console.log(`LiveQuery fan-out tests skipped: ${missing}`);

const schema = `lq_${randomBytes(5).toString('hex')}`;
let a: RunningServer;
let b: RunningServer;

describe.skipIf(!!missing)('LiveQuery across two instances through Redis', () => {
  beforeAll(async () => {
    const common = {
      host: '127.0.0.1',
      port: 0,
      appId: 'fanout',
      masterKey: 'fanout-master',
      logLevel: 'silent',
      databaseUrl: TEST_DATABASE_URL,
      databaseSchema: schema,
      redisUrl: TEST_REDIS_URL,
      crmPolicy: false,
    };
    a = await startServer({ ...common, dataDir: mkdtempSync(path.join(tmpdir(), 'lq-a-')) });
    b = await startServer({ ...common, dataDir: mkdtempSync(path.join(tmpdir(), 'lq-b-')) });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (!missing) {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('a subscriber on A hears a write made through B, once', async () => {
    const client = await FrameClient.open(liveUrl(a.serverURL));
    client.send({ op: 'connect', applicationId: 'fanout' });
    await client.next((f) => f.op === 'connected');
    client.send({ op: 'subscribe', requestId: 1, query: { className: 'Deal', where: { stage: 'fanout' } } });
    await client.next((f) => f.op === 'subscribed');
    const response = await fetch(`${b.serverURL}/classes/Deal`, {
      method: 'POST',
      headers: { 'X-Parse-Application-Id': 'fanout', 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'written on B', stage: 'fanout' }),
    });
    expect(response.status).toBe(201);
    const event = await client.next((f) => f.op === 'create');
    expect(event.object.title).toBe('written on B');
    expect(await client.quiet(300)).toEqual([]);
    client.close();
  });
});
