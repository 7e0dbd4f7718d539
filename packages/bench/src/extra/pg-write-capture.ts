/**
 * What one create + update of the main bench's scenario costs PostgreSQL, as statements: our server on a fresh
 * schema, talking to PostgreSQL through the capture relay, serves a rep's POST of a deal and PUT of its amount,
 * and the transactions those requests ran become the pgbench script. Then the check that replaying the script
 * stores what the server stored: Deal, DealStageHistory and _DealRollupDelta rows compared column by column.
 */
import type pg from 'pg';
import { startCaptureProxy, type Executed } from './pg-capture-proxy.js';
import { splitTransactions, type Transaction } from './pgbench-script.js';
import { httpOk, log, pointer, serverVersion, signUp, startOursServer } from './common.js';
import { pgClient } from './pg-data.js';

/** The main bench's create + update bodies (scenarios.ts): a new "lead" deal of the rep, then its amount. */
const createBody = (repId: string) => ({
  title: 'Bench new deal',
  amount: 1000,
  stage: 'lead',
  assignedTo: pointer('_User', repId),
  ACL: { [repId]: { read: true, write: true } },
});
const UPDATE_BODY = { amount: 2000 };
export const WARM_UP_PAIRS = 3;
const FOLD_WAIT_MS = 3_000;

export interface Captured {
  create: Transaction;
  update: Transaction;
  /** The server's background fold of _DealRollupDelta, when it ran during the capture. */
  fold?: Transaction;
  /** Statements the two requests ran outside any transaction (none expected: sessions are cached). */
  outside: Executed[];
  dealId: string;
  historyId: string;
  serverDescription: string;
}

const has = (tx: Transaction, pattern: RegExp) => tx.statements.some((s) => pattern.test(s.text));

export async function captureCreateUpdate(opts: {
  appId: string;
  masterKey: string;
  pgUrl: string;
  schema: string;
  dataDir: string;
}): Promise<Captured> {
  const proxy = await startCaptureProxy();
  const viaProxy = new URL(opts.pgUrl);
  viaProxy.port = String(proxy.port);
  const server = await startOursServer({
    appId: opts.appId,
    masterKey: opts.masterKey,
    dataDir: opts.dataDir,
    env: { DATABASE_URL: viaProxy.toString(), DATABASE_SCHEMA: opts.schema },
    description: `@crm/server ${serverVersion()} on PostgreSQL`,
  });
  try {
    const { origin } = server;
    // The first user to sign up becomes admin (CRM policy); the rep is the second, as in the main bench.
    await signUp(origin, opts.appId, 'admin01', 'bench-pass-admin', 'admin01@bench.example');
    const rep = await signUp(origin, opts.appId, 'rep01', 'bench-pass-rep01', 'rep01@bench.example');
    const headers = { 'X-Parse-Application-Id': opts.appId, 'X-Parse-Session-Token': rep.sessionToken };
    const createUpdate = async () => {
      const created = (await httpOk(origin, 'POST', '/parse/classes/Deal', headers, createBody(rep.objectId))) as {
        objectId: string;
      };
      await httpOk(origin, 'PUT', `/parse/classes/Deal/${created.objectId}`, headers, UPDATE_BODY);
      return created.objectId;
    };
    // Warm: the session is cached and every statement has reached its steady (named, prepared) form.
    for (let i = 0; i < WARM_UP_PAIRS; i++) await createUpdate();
    await pgClient(opts.pgUrl, (c) => watchDeltas(c, opts.schema, true));
    const from = proxy.executed.length;
    const dealId = await createUpdate();
    const requestsEnd = proxy.executed.length;
    const t0 = performance.now();
    let split = splitTransactions(proxy.executed.slice(from));
    while (
      !split.transactions.some((tx) => has(tx, /_DealRollupDelta/) && !has(tx, /"Deal"/)) &&
      performance.now() - t0 < FOLD_WAIT_MS
    ) {
      await new Promise((r) => setTimeout(r, 100));
      split = splitTransactions(proxy.executed.slice(from));
    }
    const inTx = split.transactions.filter((tx) => tx.committed);
    const create = inTx.find((tx) => has(tx, /INSERT INTO "Deal"/));
    const update = inTx.find((tx) => has(tx, /UPDATE "Deal"/));
    const fold = inTx.find((tx) => has(tx, /DELETE FROM "_DealRollupDelta"/));
    if (!create || !update)
      throw new Error(
        `no ${create ? 'update' : 'create'} transaction among the captured statements:\n${describe(proxy.executed.slice(from))}`,
      );
    const historyId = (
      await pgClient(opts.pgUrl, (c) =>
        c.query<{ objectId: string }>(`SELECT "objectId" FROM "${opts.schema}"."DealStageHistory" WHERE "deal" = $1`, [dealId]),
      )
    ).rows[0]?.objectId;
    if (!historyId) throw new Error(`deal ${dealId} got no DealStageHistory row`);
    return {
      create,
      update,
      fold,
      outside: split.outside.filter((s) => s.seq < requestsEnd),
      dealId,
      historyId,
      serverDescription: server.description,
    };
  } finally {
    await server.stop();
    await proxy.close();
  }
}

export const describe = (statements: readonly Executed[]) =>
  statements.map((s) => `  [conn ${s.conn}] ${s.text}${s.params.length ? `  -- ${JSON.stringify(s.params)}` : ''}`).join('\n');

/**
 * A copy of every _DealRollupDelta row as it is inserted: the server folds its deltas away within a second, so
 * the REST request's rows are only comparable through this. Installed before the captured requests, removed
 * (`on` false) before anything is timed.
 */
async function watchDeltas(c: pg.Client, schema: string, on: boolean): Promise<void> {
  const s = `"${schema}"`;
  if (on) {
    await c.query(`CREATE TABLE ${s}.bench_delta_seen (seq bigserial PRIMARY KEY, j jsonb NOT NULL)`);
    await c.query(
      `CREATE FUNCTION ${s}.bench_delta_seen() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO ${s}.bench_delta_seen (j) VALUES (to_jsonb(NEW)); RETURN NULL; END$$`,
    );
    await c.query(
      `CREATE TRIGGER bench_delta_seen AFTER INSERT ON ${s}."_DealRollupDelta" FOR EACH ROW EXECUTE FUNCTION ${s}.bench_delta_seen()`,
    );
  } else {
    await c.query(`DROP TRIGGER bench_delta_seen ON ${s}."_DealRollupDelta"`);
    await c.query(`DROP FUNCTION ${s}.bench_delta_seen()`);
    await c.query(`DROP TABLE ${s}.bench_delta_seen`);
  }
}

type Json = Record<string, unknown>;

/** Differences between two rows, every column compared; `ids` maps each side's ids to one placeholder. */
function differences(what: string, rest: Json | undefined, replay: Json | undefined, ids: [string, string][]): string[] {
  if (!rest || !replay) return [`${what}: ${rest ? 'pgbench' : 'REST'} row missing`];
  const norm = (v: unknown, side: 0 | 1) =>
    ids.reduce((text, pair, i) => text.split(pair[side]).join(`<id${i}>`), JSON.stringify(v) ?? 'undefined');
  return [...new Set([...Object.keys(rest), ...Object.keys(replay)])]
    .filter((key) => norm(rest[key], 0) !== norm(replay[key], 1))
    .map((key) => `${what}.${key}: REST ${JSON.stringify(rest[key])} vs pgbench ${JSON.stringify(replay[key])}`);
}

/**
 * Runs `replayOnce` (one run of the script, by one client) with the server stopped and compares the rows it
 * wrote with the REST request's: returns the columns compared, or throws listing every difference.
 */
export async function checkReplay(
  pgUrl: string,
  schema: string,
  captured: Captured,
  replayOnce: () => Promise<void>,
): Promise<string> {
  return pgClient(pgUrl, async (c) => {
    const rows = async (sql: string, values: unknown[]) => (await c.query<{ j: Json }>(sql, values)).rows.map((r) => r.j);
    const deal = (where: string, values: unknown[]) =>
      rows(`SELECT to_jsonb(t) AS j FROM "${schema}"."Deal" t WHERE ${where}`, values);
    const history = (dealId: string) =>
      rows(`SELECT to_jsonb(t) AS j FROM "${schema}"."DealStageHistory" t WHERE "deal" = $1`, [dealId]);
    const deltas = (after: number) => rows(`SELECT j FROM "${schema}".bench_delta_seen WHERE seq > $1 ORDER BY seq`, [after]);
    const deltaSeq = async () =>
      Number((await c.query<{ n: string }>(`SELECT COALESCE(MAX(seq), 0) AS n FROM "${schema}".bench_delta_seen`)).rows[0]!.n);

    const restDeltas = await deltas(0);
    const before = await deltaSeq();
    const known = (await deal('true', [])).map((r) => String(r.objectId));
    await replayOnce();
    const replayed = await deal(`NOT ("objectId" = ANY($1))`, [known]);
    if (replayed.length !== 1) throw new Error(`one run of the pgbench script added ${replayed.length} Deal rows, expected 1`);
    const replayDeal = replayed[0]!;
    const replayId = String(replayDeal.objectId);
    const [restHistory, replayHistory] = [await history(captured.dealId), await history(replayId)];
    const replayDeltas = await deltas(before);
    await watchDeltas(c, schema, false);
    const ids: [string, string][] = [
      [captured.dealId, replayId],
      [captured.historyId, String(replayHistory[0]?.objectId ?? '(none)')],
    ];
    const [restDeal] = await deal(`"objectId" = $1`, [captured.dealId]);
    const problems = [
      ...differences('Deal', restDeal, replayDeal, ids),
      ...(restHistory.length !== 1 || replayHistory.length !== 1
        ? [`DealStageHistory: ${restHistory.length} row(s) via REST, ${replayHistory.length} via pgbench`]
        : differences('DealStageHistory', restHistory[0], replayHistory[0], ids)),
      ...(restDeltas.length !== replayDeltas.length
        ? [`_DealRollupDelta: ${restDeltas.length} row(s) via REST, ${replayDeltas.length} via pgbench`]
        : restDeltas.flatMap((row, i) => differences(`_DealRollupDelta[${i}]`, row, replayDeltas[i], ids))),
    ];
    if (problems.length > 0) throw new Error(`the pgbench script stores other rows than our server:\n  ${problems.join('\n  ')}`);
    const width = (row: Json | undefined) => Object.keys(row ?? {}).length;
    log(`  replay check passed: Deal, DealStageHistory and ${replayDeltas.length} _DealRollupDelta rows equal column for column`);
    return (
      `Replay check passed: one run of the script (one client, server stopped) stored a Deal row (${width(restDeal)} columns${'_search' in restDeal! ? ', the generated `_search` included' : ''}), ` +
      `a DealStageHistory row (${width(restHistory[0])}) and ${replayDeltas.length} _DealRollupDelta rows (${width(restDeltas[0])}) equal column for column ` +
      "to what the REST create + update stored, objectIds aside: the script's are 16-digit numbers drawn per run (not 10-character ids); " +
      'its timestamps are the captured ones, the same in every run.'
    );
  });
}
