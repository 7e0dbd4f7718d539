/**
 * `pipelineSummary` through the SDK against a hand-computed fixture, as a rep (own deals only), a manager and
 * the master key; `GET /parse/config` and `pipelineStages`; bad parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { createCast, startCrmServer, type Actor, type Cast } from '../security/helpers/cast.js';

let server: TestServer;
let cast: Cast;

const date = (iso: string) => ({ __type: 'Date', iso: `${iso}T00:00:00.000Z` });

/** Created with the master key so createdAt / stageChangedAt can be stated (as an import would). */
async function deal(owner: Actor, title: string, fields: Record<string, unknown>, created = '2026-01-01'): Promise<void> {
  const res = await cast.http.post(
    '/classes/Deal',
    { title, assignedTo: owner.pointer, createdAt: date(created), ...fields },
    { master: true },
  );
  if (res.status !== 201) throw new Error(`fixture deal ${title}: ${res.text}`);
}

beforeAll(async () => {
  server = await startCrmServer();
  initParse(server);
  cast = await createCast(server);
  const { rep1, rep2, admin } = cast;
  // Period used below: [2026-01-01, 2026-04-01).
  await deal(rep1, 'A', { stage: 'lead', amount: 1000, expectedCloseDate: date('2026-02-01') });
  await deal(rep1, 'B', { stage: 'proposal', amount: 2000, probability: 0.9, expectedCloseDate: date('2026-03-15') });
  await deal(rep1, 'C out of period', { stage: 'negotiation', amount: 4000, expectedCloseDate: date('2026-05-01') });
  await deal(rep1, 'D won in 10 days', { stage: 'won', amount: 5000, stageChangedAt: date('2026-01-11') });
  await deal(
    rep1,
    'E lost in 62 days',
    { stage: 'lost', amount: 3000, lostReason: 'price', stageChangedAt: date('2026-02-01') },
    '2025-12-01',
  );
  await deal(rep1, 'F won before', { stage: 'won', amount: 7000, stageChangedAt: date('2025-12-15') }, '2025-11-01');
  await deal(rep2, 'G', { stage: 'lead', amount: 500, expectedCloseDate: date('2026-01-20') });
  await deal(rep2, 'H won in 20 days', { stage: 'won', amount: 1000, stageChangedAt: date('2026-02-21') }, '2026-02-01');
  await deal(rep2, 'I', { stage: 'negotiation', amount: 10000, expectedCloseDate: date('2026-03-01') });
  await deal(rep2, 'J unconfigured stage', { stage: 'custom', amount: 100, expectedCloseDate: date('2026-03-01') });
  await deal(admin, 'K', { stage: 'qualified', amount: 800, expectedCloseDate: date('2026-01-10') });
}, START_TIMEOUT_MS);
afterAll(() => server?.close());

const PERIOD = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };

interface Summary {
  stages: { stage: string | null; count: number; amount: number; weightedAmount: number; configured: boolean }[];
  open: { count: number; amount: number; weightedAmount: number };
  wonCount: number;
  lostCount: number;
  winRate: number | null;
  avgCycleDays: number | null;
}

const run = (params: Record<string, unknown>, options: Parse.Cloud.RunOptions) =>
  Parse.Cloud.run('pipelineSummary', params, options) as Promise<Summary>;

/** stage → [count, amount, weighted] for the stages that have deals. */
const table = (s: Summary) =>
  Object.fromEntries(s.stages.filter((x) => x.count > 0).map((x) => [x.stage, [x.count, x.amount, x.weightedAmount]]));

describe('pipelineSummary', () => {
  it('a rep sees only their own deals', async () => {
    const s = await run(PERIOD, { sessionToken: cast.rep1.token });
    expect(table(s)).toEqual({
      lead: [1, 1000, 100],
      proposal: [1, 2000, 1800],
      won: [1, 5000, 5000],
      lost: [1, 3000, 0],
    });
    expect(s.stages.map((x) => x.stage)).toEqual(['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']);
    expect(s.open).toEqual({ count: 2, amount: 3000, weightedAmount: 1900 });
    expect([s.wonCount, s.lostCount, s.winRate, s.avgCycleDays]).toEqual([1, 1, 0.5, 36]);

    const other = await run(PERIOD, { sessionToken: cast.rep2.token });
    expect(table(other)).toEqual({
      lead: [1, 500, 50],
      negotiation: [1, 10000, 7500],
      won: [1, 1000, 1000],
      custom: [1, 100, 0],
    });
    expect(other.stages.find((x) => x.stage === 'custom')?.configured).toBe(false);
    expect(other.open).toEqual({ count: 3, amount: 10600, weightedAmount: 7550 });
    expect([other.wonCount, other.lostCount, other.winRate, other.avgCycleDays]).toEqual([1, 0, 1, 20]);
  });

  it('a manager and the master key see every deal', async () => {
    for (const options of [{ sessionToken: cast.mgr.token }, { useMasterKey: true }]) {
      const s = await run(PERIOD, options);
      expect(table(s)).toEqual({
        lead: [2, 1500, 150],
        qualified: [1, 800, 200],
        proposal: [1, 2000, 1800],
        negotiation: [1, 10000, 7500],
        won: [2, 6000, 6000],
        lost: [1, 3000, 0],
        custom: [1, 100, 0],
      });
      expect(s.open).toEqual({ count: 6, amount: 14400, weightedAmount: 9650 });
      expect([s.wonCount, s.lostCount, s.winRate]).toEqual([2, 1, 0.666667]);
      expect(s.avgCycleDays).toBeCloseTo(30.667, 3);
    }
  });

  it('without a period counts every visible deal; one bound alone works', async () => {
    const all = await run({}, { useMasterKey: true });
    expect(all.stages.reduce((n, x) => n + x.count, 0)).toBe(11);
    expect([all.wonCount, all.lostCount]).toEqual([3, 1]);
    const since = await run({ from: '2026-02-15T00:00:00Z' }, { sessionToken: cast.rep1.token });
    // B (expected 2026-03-15) and C (2026-05-01) are open and later; no deal of rep1 closed after 02-15.
    expect(table(since)).toEqual({ proposal: [1, 2000, 1800], negotiation: [1, 4000, 3000] });
  });

  it('answers bad parameters with 142 and anonymous callers as REST does (101)', async () => {
    const opts = { sessionToken: cast.rep1.token };
    await expect(run({ from: 'soon' }, opts)).rejects.toMatchObject({ code: 142 });
    await expect(run({ from: 5 }, opts)).rejects.toMatchObject({ code: 142 });
    await expect(run({ since: '2026-01-01' }, opts)).rejects.toMatchObject({ code: 142 });
    await expect(run({ from: PERIOD.to, to: PERIOD.from }, opts)).rejects.toMatchObject({ code: 142 });
    const res = await cast.anon.post('/functions/pipelineSummary', {});
    // The same answer as an anonymous REST find on Deal under the CRM policy.
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(101);
  });
});

describe('pipeline stages for clients', () => {
  it('Parse.Config.get() answers the configured stages', async () => {
    const config = await Parse.Config.get();
    const stages = config.get('stages') as { name: string; probability: number; won: boolean; folded: boolean }[];
    expect(stages.map((s) => s.name)).toEqual(['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']);
    expect(stages[4]).toMatchObject({ won: true, folded: true, probability: 1 });
    expect(config.get('staleAfterDays')).toBe(30);
  });

  it('the config is read-only: 403 without the master key, 119 with it', async () => {
    const plain = await cast.rep1.put('/config', { params: { stages: [] } });
    expect(plain.status).toBe(403);
    const master = await cast.http.put('/config', { params: { stages: [] } }, { master: true });
    expect(master.status).toBe(400);
    expect(master.body.code).toBe(119);
  });

  it('pipelineStages answers the same list', async () => {
    const result = (await Parse.Cloud.run('pipelineStages', {}, { sessionToken: cast.rep1.token })) as { stages: unknown[] };
    expect(result.stages).toHaveLength(6);
  });
});
