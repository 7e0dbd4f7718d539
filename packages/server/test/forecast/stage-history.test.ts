/**
 * Deal stage history: written by the server in the deal's own transaction, readable exactly where the deal is,
 * moved with the deal on reassignment, never writable by clients; Deal.stageChangedAt kept by the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { createCast, pointer, startCrmServer, type Actor, type Cast } from '../security/helpers/cast.js';

let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startCrmServer();
  initParse(server);
  cast = await createCast(server);
}, START_TIMEOUT_MS);
afterAll(() => server?.close());

const historyOf = async (actor: Actor, dealId: string) => {
  const res = await actor.find('DealStageHistory', { where: { deal: pointer('Deal', dealId) }, order: 'changedAt' });
  expect(res.status).toBe(200);
  return res.body.results as { from?: string | null; to: string; changedBy?: { objectId: string }; changedAt: { iso: string } }[];
};

const masterCount = async (dealId: string) =>
  (
    await cast.http.get('/classes/DealStageHistory', {
      master: true,
      query: { where: { deal: pointer('Deal', dealId) }, count: 1, limit: 0 },
    })
  ).body.count as number;

describe('stage history', () => {
  it('records the initial stage and every change through the SDK, and keeps stageChangedAt', async () => {
    const Deal = Parse.Object.extend('Deal');
    const deal = new Deal({ title: 'History', stage: 'lead', amount: 10 });
    await deal.save(null, { sessionToken: cast.rep1.token });
    const created = deal.get('stageChangedAt') as Date;
    expect(created).toBeInstanceOf(Date);

    deal.set('amount', 20);
    await deal.save(null, { sessionToken: cast.rep1.token });
    expect((deal.get('stageChangedAt') as Date).getTime()).toBe(created.getTime());

    await new Promise((r) => setTimeout(r, 5));
    deal.set('stage', 'proposal');
    await deal.save(null, { sessionToken: cast.rep1.token });
    const moved = deal.get('stageChangedAt') as Date;
    expect(moved.getTime()).toBeGreaterThan(created.getTime());

    const rows = await historyOf(cast.rep1, deal.id);
    expect(rows.map((r) => [r.from ?? null, r.to])).toEqual([
      [null, 'lead'],
      ['lead', 'proposal'],
    ]);
    expect(rows.every((r) => r.changedBy?.objectId === cast.rep1.id)).toBe(true);
    expect(rows[1].changedAt.iso).toBe(moved.toISOString());

    const stored = await cast.rep1.get(`/classes/Deal/${deal.id}`);
    expect(stored.body.stageChangedAt.iso).toBe(moved.toISOString());
  });

  it('ignores a client-sent stageChangedAt; the master key may state it (imports)', async () => {
    const id = await cast.rep1.create('Deal', {
      title: 'Forged',
      stage: 'lead',
      stageChangedAt: { __type: 'Date', iso: '2000-01-01T00:00:00.000Z' },
    });
    const res = await cast.rep1.get(`/classes/Deal/${id}`);
    expect(res.body.stageChangedAt.iso).not.toBe('2000-01-01T00:00:00.000Z');
    await cast.rep1.put(`/classes/Deal/${id}`, { stageChangedAt: { __type: 'Date', iso: '2000-01-01T00:00:00.000Z' } });
    expect((await cast.rep1.get(`/classes/Deal/${id}`)).body.stageChangedAt.iso).not.toBe('2000-01-01T00:00:00.000Z');
    const byMaster = await cast.http.put(
      `/classes/Deal/${id}`,
      { stageChangedAt: { __type: 'Date', iso: '2000-01-01T00:00:00.000Z' } },
      { master: true },
    );
    expect(byMaster.status).toBe(200);
    expect((await cast.rep1.get(`/classes/Deal/${id}`)).body.stageChangedAt.iso).toBe('2000-01-01T00:00:00.000Z');
  });

  it('history is readable exactly where the deal is, and moves with the deal on reassignment', async () => {
    const id = await cast.rep1.create('Deal', { title: 'Moving', stage: 'qualified' });
    await cast.rep1.put(`/classes/Deal/${id}`, { stage: 'negotiation' });
    expect(await historyOf(cast.rep1, id)).toHaveLength(2);
    expect(await historyOf(cast.rep2, id)).toHaveLength(0);
    expect(await historyOf(cast.mgr, id)).toHaveLength(2);
    expect((await cast.anon.find('DealStageHistory')).status).toBe(404);

    const reassigned = await cast.rep1.put(`/classes/Deal/${id}`, { assignedTo: cast.rep2.pointer });
    expect(reassigned.status).toBe(200);
    expect(await historyOf(cast.rep1, id)).toHaveLength(0);
    expect(await historyOf(cast.rep2, id)).toHaveLength(2);
    expect(await historyOf(cast.mgr, id)).toHaveLength(2);
  });

  it('clients cannot create, change or delete history rows', async () => {
    const id = await cast.rep1.create('Deal', { title: 'Locked', stage: 'lead' });
    const [row] = (await cast.rep1.find('DealStageHistory', { where: { deal: pointer('Deal', id) } })).body.results;
    const create = await cast.rep1.post('/classes/DealStageHistory', { deal: pointer('Deal', id), to: 'won' });
    const update = await cast.rep1.put(`/classes/DealStageHistory/${row.objectId}`, { to: 'won' });
    const remove = await cast.rep1.delete(`/classes/DealStageHistory/${row.objectId}`);
    for (const res of [create, update, remove]) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(119);
    }
    const admin = await cast.admin.put(`/classes/DealStageHistory/${row.objectId}`, { to: 'won' });
    expect(admin.body.code).toBe(119);
    expect((await historyOf(cast.rep1, id))[0].to).toBe('lead');
  });

  it('is written in the deal write transaction: a failed transactional batch leaves no history', async () => {
    const res = await cast.rep1.post('/batch', {
      transaction: true,
      requests: [
        { method: 'POST', path: '/parse/classes/Deal', body: { title: 'Rolled back', stage: 'lead', notes: 'tx-probe' } },
        { method: 'POST', path: '/parse/classes/Deal', body: { stage: 'lead' } },
      ],
    });
    expect(res.status).toBe(400);
    const found = await cast.http.get('/classes/Deal', { master: true, query: { where: { notes: 'tx-probe' } } });
    expect(found.body.results).toHaveLength(0);
    const orphans = await cast.http.get('/classes/DealStageHistory', {
      master: true,
      query: { where: { deal: { $inQuery: { className: 'Deal', where: {} } } }, count: 1, limit: 0 },
    });
    const all = await cast.http.get('/classes/DealStageHistory', { master: true, query: { count: 1, limit: 0 } });
    expect(all.body.count).toBe(orphans.body.count);
  });

  it('deleting a deal deletes its history', async () => {
    const id = await cast.rep1.create('Deal', { title: 'Gone', stage: 'lead' });
    await cast.rep1.put(`/classes/Deal/${id}`, { stage: 'won' });
    expect(await masterCount(id)).toBe(2);
    expect((await cast.rep1.delete(`/classes/Deal/${id}`)).status).toBe(200);
    expect(await masterCount(id)).toBe(0);
  });

  it('refuses a probability outside 0–1 with 142 and accepts position and lostReason', async () => {
    const bad = await cast.rep1.post('/classes/Deal', { title: 'Sure thing', probability: 1.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(142);
    const id = await cast.rep1.create('Deal', {
      title: 'Fields',
      stage: 'lost',
      probability: 0.2,
      position: 1536,
      lostReason: 'budget',
    });
    const res = await cast.rep1.put(`/classes/Deal/${id}`, { probability: -0.1 });
    expect(res.body.code).toBe(142);
    const deal = (await cast.rep1.get(`/classes/Deal/${id}`)).body;
    expect([deal.probability, deal.position, deal.lostReason]).toEqual([0.2, 1536, 'budget']);
  });

  it('the board query (stage, ordered by position) is served by an index', async () => {
    const res = await cast.http.get('/schemas/Deal', { master: true });
    expect(res.body.indexes.stage_position).toEqual({ stage: 1, position: 1 });
    expect(res.body.fields.stageChangedAt).toEqual({ type: 'Date' });
  });
});
