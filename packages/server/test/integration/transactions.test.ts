/**
 * `POST /batch` with `"transaction": true`: all sub-requests commit together or none does (ours on SQLite and
 * PostgreSQL; parse-server offers it on replica-set MongoDB and PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, parseError, rawClient, type RawClient } from '../helpers/http.js';
import { DATA_API_ONLY, isReference, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let api: RawClient;
let mount: string;

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  api = rawClient(server);
  mount = new URL(server.serverURL).pathname;
}, START_TIMEOUT_MS);

afterAll(async () => server?.close());

const countByStage = async (stage: string) =>
  (await api.get('/classes/Deal', { query: { where: { stage }, count: 1, limit: 0 } })).body.count as number;

describe.skipIf(isReference)('transactional batch', () => {
  it('commits every sub-request together', async () => {
    const requests = [1, 2, 3].map((i) => ({
      method: 'POST',
      path: `${mount}/classes/Deal`,
      body: { title: `tx ok ${i}`, stage: 'tx-ok' },
    }));
    const res = await api.post('/batch', { requests, transaction: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toHaveLength(3);
    expect(res.body.every((item: { success?: { objectId: string } }) => item.success?.objectId)).toBe(true);
    expect(await countByStage('tx-ok')).toBe(3);
  });

  it('writes nothing when one sub-request fails, and answers with its error', async () => {
    const existing = (await api.post('/classes/Deal', { title: 'to update', stage: 'tx-base', amount: 1 })).body
      .objectId as string;
    const requests = [
      { method: 'POST', path: `${mount}/classes/Deal`, body: { title: 'tx doomed', stage: 'tx-doomed' } },
      { method: 'PUT', path: `${mount}/classes/Deal/${existing}`, body: { amount: 2 } },
      { method: 'POST', path: `${mount}/classes/Deal`, body: { stage: 'tx-doomed' } },
    ];
    const res = await api.post('/batch', { requests, transaction: true });
    expect(outcome(res)).toEqual(parseError(400, 142));
    expect(await countByStage('tx-doomed')).toBe(0);
    expect((await api.get(`/classes/Deal/${existing}`)).body.amount).toBe(1);
  });

  it('reads inside the transaction see its own writes', async () => {
    const created = await api.post('/batch', {
      transaction: true,
      requests: [
        { method: 'POST', path: `${mount}/classes/Deal`, body: { title: 'seen', stage: 'tx-read' } },
        { method: 'GET', path: `${mount}/classes/Deal`, body: { where: { stage: 'tx-read' } } },
      ],
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body[1].success.results).toHaveLength(1);
  });

  it('refuses routes that cannot join a transaction (sign-up) before running anything', async () => {
    const res = await api.post('/batch', {
      transaction: true,
      requests: [
        { method: 'POST', path: `${mount}/classes/Deal`, body: { title: 'never', stage: 'tx-refused' } },
        { method: 'POST', path: `${mount}/users`, body: { username: 'u', password: 'p' } },
      ],
    });
    expect(outcome(res)).toEqual(parseError(400, 107));
    expect(await countByStage('tx-refused')).toBe(0);
  });
});
