/**
 * The forecast rollup (src/forecast/rollup.ts) against the scan it replaces: after creates, stage moves, amount
 * and probability edits, reassignments, deletes, a transactional batch that fails and a restart, every caller's
 * summary over the rollup equals the summary computed from the deals themselves, for several periods — and
 * stays equal across folds of the delta rows, including folds racing writes and two folds at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, startCrmServer, type Actor, type Cast } from '../security/helpers/cast.js';
import { pipelineSummary } from '../../src/forecast/pipeline-summary.js';
import { DELTA_TABLE, foldRollup, rebuildRollup, ROLLUP_TABLE } from '../../src/forecast/rollup.js';
import { ident, sql } from '../../src/storage/sql/fragment.js';
import { MASTER, type Auth } from '../../src/security/auth.js';
import type { Services } from '../../src/service/services.js';

let server: TestServer;
let services: Services;
let cast: Cast;

const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost', 'custom'];
const date = (day: number) => ({ __type: 'Date', iso: new Date(Date.UTC(2026, 0, 1 + day)).toISOString() });

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

async function created(actor: Actor, body: Record<string, unknown>): Promise<string> {
  const res = await actor.post('/classes/Deal', body);
  if (res.status !== 201) throw new Error(`create: ${res.text}`);
  return res.body.objectId as string;
}

const PERIODS: Record<string, unknown>[] = [
  {},
  { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' },
  { from: '2026-02-15T00:00:00.000Z' },
  { to: '2026-03-01T00:00:00.000Z' },
  { from: '2025-01-01T00:00:00.000Z', to: '2028-01-01T00:00:00.000Z' },
];

async function expectRollupMatchesScan(): Promise<void> {
  const callers: [string, Auth][] = [['master', MASTER]];
  for (const actor of [cast.rep1, cast.rep2, cast.mgr, cast.admin]) {
    callers.push([actor.name, await services.sessions.resolve(actor.token!)]);
  }
  const { storage, schema, config } = services;
  for (const [name, auth] of callers) {
    for (const period of PERIODS) {
      const viaRollup = await pipelineSummary(auth, storage, schema, config.stages, period);
      const viaScan = await pipelineSummary(auth, storage, schema, config.stages, period, { rollup: false });
      expect(viaRollup, `${name} ${JSON.stringify(period)}`).toEqual(viaScan);
    }
  }
}

async function deltaRows(): Promise<number> {
  const [row] = await services.storage.query(sql`SELECT COUNT(*) AS ${ident('n')} FROM ${ident(DELTA_TABLE)}`);
  return Number(row!.n);
}

/** Creates and edits from both reps, all in flight at once. */
function concurrentWrites(seed: number, count: number): Promise<void>[] {
  const next = random(seed);
  return Array.from({ length: count }, async (_, i) => {
    const owner = [cast.rep1, cast.rep2][next(2)]!;
    const id = await created(owner, {
      title: `racing ${seed}.${i}`,
      stage: 'lead',
      amount: next(1_000),
      expectedCloseDate: date(next(90)),
    });
    const res = await owner.put(`/classes/Deal/${id}`, { stage: STAGES[next(STAGES.length)], amount: next(2_000) });
    if (res.status !== 200) throw new Error(`update: ${res.text}`);
  });
}

beforeAll(async () => {
  server = await startCrmServer();
  services = server.services!;
  cast = await createCast(server);
}, START_TIMEOUT_MS);
afterAll(() => server?.close());

describe('forecast rollup', () => {
  it('equals the scan after creates, edits, stage moves, reassignments and deletes', async () => {
    const next = random(7);
    const reps = [cast.rep1, cast.rep2];
    const ids: [Actor, string][] = [];
    for (let i = 0; i < 40; i++) {
      const owner = reps[next(2)]!;
      const body: Record<string, unknown> = {
        title: `deal ${i}`,
        stage: STAGES[next(STAGES.length)],
        expectedCloseDate: date(next(120) - 10),
      };
      if (next(5) > 0) body.amount = next(10_000) / 4;
      if (next(3) === 0) body.probability = next(101) / 100;
      if (next(10) === 0) delete body.stage;
      if (next(10) === 0) delete body.expectedCloseDate;
      ids.push([owner, await created(owner, body)]);
    }
    await expectRollupMatchesScan();

    for (let i = 0; i < 60; i++) {
      const [owner, id] = ids[next(ids.length)]!;
      const change = next(6);
      const body: Record<string, unknown> =
        change === 0
          ? { stage: STAGES[next(STAGES.length)] }
          : change === 1
            ? { amount: next(5_000) }
            : change === 2
              ? { probability: next(2) ? null : next(101) / 100 }
              : change === 3
                ? { expectedCloseDate: date(next(120)) }
                : change === 4
                  ? { amount: { __op: 'Increment', amount: 10 } }
                  : { title: `renamed ${i}` };
      const res = await owner.put(`/classes/Deal/${id}`, body);
      expect(res.status, res.text).toBe(200);
    }
    await expectRollupMatchesScan();

    // Reassignment moves a deal (and its rollup bucket) to another rep's permission list.
    const [, moved] = ids.find(([owner]) => owner === cast.rep1)!;
    const res = await cast.rep1.put(`/classes/Deal/${moved}`, { assignedTo: cast.rep2.pointer });
    expect(res.status, res.text).toBe(200);
    for (const [owner, id] of ids.filter((_, i) => i % 7 === 0)) {
      const gone = await (id === moved ? cast.rep2 : owner).delete(`/classes/Deal/${id}`);
      expect(gone.status, gone.text).toBe(200);
    }
    await expectRollupMatchesScan();
  });

  it('leaves the rollup untouched by a transactional batch that fails', async () => {
    const res = await cast.rep1.post('/batch', {
      transaction: true,
      requests: [
        { method: 'POST', path: '/parse/classes/Deal', body: { title: 'in batch', stage: 'won', amount: 99 } },
        { method: 'PUT', path: '/parse/classes/Deal/nonexistent', body: { amount: 1 } },
      ],
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    await expectRollupMatchesScan();
  });

  it('is rebuilt from the deals (start, crm import) to the same numbers', async () => {
    await rebuildRollup(services.storage, services.schema, services.config.stages);
    await expectRollupMatchesScan();
  });

  it('is created and rebuilt once when several rebuilds start together (instances booting at once)', async () => {
    const { storage, schema, config } = services;
    await storage.query(sql`DROP TABLE ${ident(ROLLUP_TABLE)}`);
    await storage.query(sql`DROP TABLE ${ident(DELTA_TABLE)}`);
    await Promise.all([1, 2, 3].map(() => rebuildRollup(storage, schema, config.stages)));
    await expectRollupMatchesScan();
  });

  it('is folded by the server itself shortly after a write', async () => {
    await created(cast.rep1, { title: 'folded by the timer', stage: 'proposal', amount: 5 });
    const deadline = Date.now() + 10_000;
    while ((await deltaRows()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await deltaRows()).toBe(0);
    await expectRollupMatchesScan();
  });

  describe('folds (the server’s own fold timer stopped, so the test decides when they run)', () => {
    beforeAll(() => services.rollupFolder.close());

    it('gives the same answers before and after a fold, which leaves no delta behind', async () => {
      await Promise.all(concurrentWrites(11, 12));
      expect(await deltaRows()).toBeGreaterThan(0);
      await expectRollupMatchesScan();
      await foldRollup(services.storage);
      expect(await deltaRows()).toBe(0);
      await expectRollupMatchesScan();
    });

    it('loses nothing when folds run in the middle of writes', async () => {
      let writing = true;
      const writes = Promise.all(concurrentWrites(23, 40)).finally(() => (writing = false));
      let folds = 0;
      while (writing) {
        await foldRollup(services.storage);
        folds += 1;
        await new Promise((r) => setTimeout(r, 5));
      }
      await writes;
      expect(folds).toBeGreaterThan(1);
      await expectRollupMatchesScan();
      await foldRollup(services.storage);
      expect(await deltaRows()).toBe(0);
      await expectRollupMatchesScan();
    });

    it('counts nothing twice when two folds run at once (two instances)', async () => {
      await Promise.all(concurrentWrites(37, 12));
      expect(await deltaRows()).toBeGreaterThan(0);
      await Promise.all([foldRollup(services.storage), foldRollup(services.storage)]);
      expect(await deltaRows()).toBe(0);
      await expectRollupMatchesScan();
    });

    it('is emptied of deltas by a rebuild', async () => {
      await Promise.all(concurrentWrites(41, 4));
      expect(await deltaRows()).toBeGreaterThan(0);
      await rebuildRollup(services.storage, services.schema, services.config.stages);
      expect(await deltaRows()).toBe(0);
      await expectRollupMatchesScan();
    });
  });

  it('is not used for a period bound inside a day, and the answer is the same', async () => {
    const period = { from: '2026-01-01T12:00:00.000Z', to: '2026-03-01T00:00:00.000Z' };
    const auth = await services.sessions.resolve(cast.mgr.token!);
    const { storage, schema, config } = services;
    expect(await pipelineSummary(auth, storage, schema, config.stages, period)).toEqual(
      await pipelineSummary(auth, storage, schema, config.stages, period, { rollup: false }),
    );
  });
});
