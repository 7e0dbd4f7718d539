/**
 * Forecast rollups: every deal's contribution to `pipelineSummary` pre-summed per (stored read-permission
 * list, stage, day), rebuilt from the Deal table at start (and after `crm import`, which bypasses write hooks).
 * A summary over whole UTC days whose caller reads through a plain permission check (a rep, a manager) or none
 * (master key) sums these few rows instead of filtering every deal: at 1,000,000 deals on PostgreSQL a
 * manager's summary scanned and grouped 825,000 rows (~450 ms).
 *
 * Two tables: `_DealRollup` (one row per bucket) and `_DealRollupDelta` (plain rows, no key). A Deal write
 * appends its change to the delta table inside its own transaction, and reads sum both; a fold (foldRollup, run
 * every second by rollup-folder.ts) moves the deltas into their buckets atomically. Upserting the bucket in the
 * write itself serialized writes: every new deal of one rep hits the same row, whose lock is held until
 * COMMIT (7–9 of 10 pool connections waited on it under a 32-connection create load on PostgreSQL).
 *
 * The day is the one the period filter tests (pipeline-summary.ts): stageChangedAt's for a won/lost deal,
 * expectedCloseDate's for an open one (a deal without a stage is open, as `$nin` matches a missing field), and
 * none ('') when that date is missing — such deals count only in an unbounded summary, as with the scan.
 */
import { decodePermissionList, encodePermissionList } from '../storage/sql/permission-list.js';
import { compileWhere } from '../storage/sql/compile-where.js';
import { ident, join, keyword, qualified, sql, type DialectName, type SqlFragment } from '../storage/sql/fragment.js';
import type { Row, StorageAdapter, StorageTx } from '../storage/adapter.js';
import type { SchemaLookup } from '../schema/compiled.js';
import type { PipelineStage } from '../config/stages.js';
import type { ClassHooks } from '../service/write-hooks.js';
import type { Expr } from '../query/ast.js';
import { closedStageFilter, dealSums, SUM_NAMES, type Period, type SumName } from './pipeline-summary.js';

export const ROLLUP_TABLE = '_DealRollup';
export const DELTA_TABLE = '_DealRollupDelta';
const NONE = '';
const DEAL = 'Deal';

export interface Contribution {
  perm: string[];
  stage: string;
  day: string;
  sums: Record<SumName, number>;
}

const dayOf = (value: unknown): string => (typeof value === 'string' && value.length >= 10 ? value.slice(0, 10) : NONE);

/** Days from creation to closing, or null when a date is missing. */
function cycleDays(row: Row): number | null {
  const changed = typeof row.stageChangedAt === 'string' ? Date.parse(row.stageChangedAt) : NaN;
  const created = typeof row.createdAt === 'string' ? Date.parse(row.createdAt) : NaN;
  return Number.isFinite(changed) && Number.isFinite(created) ? (changed - created) / 86_400_000 : null;
}

/** What one deal row adds to the rollup (the same arithmetic as summaryStatement's SQL). */
export function contribution(row: Row, closed: ReadonlySet<string>): Contribution {
  const stage = typeof row.stage === 'string' ? row.stage : null;
  const isClosed = stage !== null && closed.has(stage);
  const day = dayOf(isClosed ? row.stageChangedAt : row.expectedCloseDate);
  const amount = typeof row.amount === 'number' ? row.amount : null;
  const probability = typeof row.probability === 'number' ? row.probability : null;
  const cycle = isClosed ? cycleDays(row) : null;
  return {
    perm: decodePermissionList(row._rperm),
    stage: stage ?? NONE,
    day,
    sums: {
      n: 1,
      amount: amount ?? 0,
      plainAmount: probability === null ? (amount ?? 0) : 0,
      ownWeighted: amount !== null && probability !== null ? amount * probability : 0,
      cycleDays: cycle ?? 0,
      cycles: cycle === null ? 0 : 1,
    },
  };
}

const sameBucket = (a: Contribution, b: Contribution) =>
  a.stage === b.stage && a.day === b.day && a.perm.join(',') === b.perm.join(',');

/** The same contribution taken away (0 - x, so a zero stays 0 rather than -0). */
const negated = (c: Contribution): Contribution => ({
  ...c,
  sums: Object.fromEntries(SUM_NAMES.map((s) => [s, 0 - c.sums[s]])) as Record<SumName, number>,
});

/**
 * The delta rows an update appends: none when the deal's contribution is unchanged, one row of differences when
 * it stays in its bucket, else its old contribution taken out of the old bucket and the new one added to the new.
 */
export function updateDeltas(was: Contribution, now: Contribution): Contribution[] {
  if (!sameBucket(was, now)) return [negated(was), now];
  if (SUM_NAMES.every((s) => was.sums[s] === now.sums[s])) return [];
  const sums = Object.fromEntries(SUM_NAMES.map((s) => [s, now.sums[s] - was.sums[s]])) as Record<SumName, number>;
  return [{ ...now, sums }];
}

function permValue(perm: string[], dialect: DialectName): SqlFragment {
  return dialect === 'sqlite' ? sql`${encodePermissionList(perm)}` : sql`${perm}::text[]`;
}

const KEY = ['_rperm', 'stage', 'day'] as const;
const names = (list: readonly string[]) => join(list.map((c) => sql`${ident(c)}`));
// Built on first use: pipeline-summary.ts (SUM_NAMES) imports this module, so it is not loaded yet here.
let columnList: SqlFragment | undefined;
const columns = () => (columnList ??= names([...KEY, ...SUM_NAMES]));

/** Plain rows, no conflict to resolve: concurrent writes of one bucket never wait for each other. */
function appendDeltas(deltas: readonly Contribution[], dialect: DialectName): SqlFragment {
  const rows = deltas.map(
    (c) => sql`(${permValue(c.perm, dialect)}, ${c.stage}, ${c.day}, ${join(SUM_NAMES.map((s) => sql`${c.sums[s]}`))})`,
  );
  return sql`INSERT INTO ${ident(DELTA_TABLE)} (${columns()}) VALUES ${join(rows)}`;
}

function createTable(dialect: DialectName, table: string, keyed: boolean): SqlFragment {
  const perm = keyword(dialect === 'sqlite' ? 'TEXT' : 'text[]');
  const real = keyword(dialect === 'sqlite' ? 'REAL' : 'double precision');
  const text = keyword(dialect === 'sqlite' ? 'TEXT' : 'text COLLATE "C"');
  const key = keyed ? sql`, PRIMARY KEY (${names(KEY)})` : sql``;
  return sql`CREATE TABLE IF NOT EXISTS ${ident(table)} (${ident('_rperm')} ${perm} NOT NULL, ${ident('stage')} ${text} NOT NULL, ${ident('day')} ${text} NOT NULL, ${ident('n')} ${keyword('INTEGER')} NOT NULL, ${ident('amount')} ${real} NOT NULL, ${ident('plainAmount')} ${real} NOT NULL, ${ident('ownWeighted')} ${real} NOT NULL, ${ident('cycleDays')} ${real} NOT NULL, ${ident('cycles')} ${keyword('INTEGER')} NOT NULL${key})`;
}

/** INSERT … SELECT of every deal's contribution, grouped: the same buckets the hooks maintain. */
function rebuildStatement(dialect: DialectName, schema: SchemaLookup, stages: readonly PipelineStage[]): SqlFragment {
  const col = (name: string) => qualified(DEAL, name);
  const closed = compileWhere(closedStageFilter(stages), { dialect, table: DEAL, schema });
  const day = sql`CASE WHEN ${closed} THEN COALESCE(substr(${col('stageChangedAt')}, 1, 10), ${NONE}) ELSE COALESCE(substr(${col('expectedCloseDate')}, 1, 10), ${NONE}) END`;
  const sums = dealSums(dialect, schema, stages).map((sum) => sql`COALESCE(${sum}, 0)`);
  const select = join([col('_rperm'), sql`COALESCE(${col('stage')}, ${NONE})`, day, ...sums]);
  return sql`INSERT INTO ${ident(ROLLUP_TABLE)} (${columns()}) SELECT ${select} FROM ${ident(DEAL)} GROUP BY 1, 2, 3`;
}

/**
 * One rebuild or fold per schema at a time (PostgreSQL). Instances booting together would otherwise race on
 * CREATE TABLE IF NOT EXISTS (not atomic in PostgreSQL), and a fold waiting here holds no table lock, so it
 * cannot deadlock with a rebuild's table locks (a prepared fold locks its tables in another order than an
 * unprepared one).
 */
const rollupLock = () => sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ${':' + ROLLUP_TABLE}))`;

/** Creates the tables when missing and recomputes the rollup from the deals (one transaction). */
export async function rebuildRollup(storage: StorageAdapter, schema: SchemaLookup, stages: readonly PipelineStage[]) {
  if (!schema.get(DEAL)) return;
  await storage.transaction(async (tx) => {
    if (storage.dialect === 'postgres') await tx.query(rollupLock());
    await tx.query(createTable(storage.dialect, ROLLUP_TABLE, true));
    await tx.query(createTable(storage.dialect, DELTA_TABLE, false));
    // Deal writes on other instances wait for the rebuild (their delta insert does), then add their deltas on
    // top of it; deltas committed before it are in the deals it sums, so both tables start empty.
    if (storage.dialect === 'postgres') {
      await tx.query(sql`LOCK TABLE ${ident(DELTA_TABLE)}, ${ident(ROLLUP_TABLE)} IN EXCLUSIVE MODE`);
    }
    await tx.query(sql`DELETE FROM ${ident(DELTA_TABLE)}`);
    await tx.query(sql`DELETE FROM ${ident(ROLLUP_TABLE)}`);
    await tx.query(rebuildStatement(storage.dialect, schema, stages));
  });
}

/** Adds grouped delta rows (`source`) to their buckets, creating the buckets that are new. */
function addToBuckets(source: SqlFragment): SqlFragment {
  const totals = SUM_NAMES.map((s) => sql`SUM(${ident(s)})`);
  const updates = SUM_NAMES.map((s) => sql`${ident(s)} = ${qualified(ROLLUP_TABLE, s)} + ${keyword('excluded')}.${ident(s)}`);
  return sql`INSERT INTO ${ident(ROLLUP_TABLE)} (${columns()}) SELECT ${names(KEY)}, ${join(totals)} FROM ${source} GROUP BY 1, 2, 3 ON CONFLICT (${names(KEY)}) DO UPDATE SET ${join(updates)}`;
}

/**
 * Moves every delta row into `_DealRollup`, atomically: a summary sees each delta in exactly one of the two
 * tables. PostgreSQL does it in one statement (a row is deleted once, so two instances folding together count
 * nothing twice; deltas of transactions still open are left for the next fold). SQLite runs no DML in a CTE,
 * but its transactions run one at a time, so the DELETE removes exactly the rows just added.
 */
export async function foldRollup(storage: StorageAdapter): Promise<void> {
  await storage.transaction(async (tx) => {
    if (storage.dialect === 'postgres') {
      await tx.query(rollupLock());
      await tx.query(
        sql`WITH ${ident('moved')} AS (DELETE FROM ${ident(DELTA_TABLE)} RETURNING ${columns()}) ${addToBuckets(sql`${ident('moved')}`)}`,
      );
    } else {
      // WHERE: SQLite would otherwise read ON CONFLICT as a join constraint of the SELECT.
      await tx.query(addToBuckets(sql`${ident(DELTA_TABLE)} WHERE true`));
      await tx.query(sql`DELETE FROM ${ident(DELTA_TABLE)}`);
    }
  });
}

/**
 * Keeps the rollup in step with every Deal write: its delta rows commit (or roll back) with the deal.
 * `onDelta` tells the folder there is something to fold.
 */
export function rollupHooks(dialect: DialectName, stages: readonly PipelineStage[], onDelta: () => void = () => {}): ClassHooks {
  const closed = new Set(stages.filter((s) => s.won || s.lost).map((s) => s.name));
  const append = async (tx: StorageTx, deltas: Contribution[]) => {
    if (deltas.length === 0) return;
    await tx.append(appendDeltas(deltas, dialect));
    onDelta();
  };
  return {
    columns: ['stage', 'stageChangedAt', 'expectedCloseDate', 'createdAt', 'amount', 'probability', '_rperm'],
    async afterInsert(_auth, _cls, row, tx) {
      await append(tx, [contribution(row, closed)]);
    },
    async afterUpdate(_auth, _cls, before, after, tx) {
      await append(tx, updateDeltas(contribution(before, closed), contribution(after, closed)));
    },
    async beforeDelete(_auth, _cls, current, tx) {
      await append(tx, [negated(contribution(current, closed))]);
    },
  };
}

const isMidnight = (iso: string | null) => iso === null || iso.endsWith('T00:00:00.000Z');

/**
 * The summary statement over the rollup, or null when it cannot answer exactly: a period bound inside a day,
 * or a read filter beyond the permission lists (pointer permissions of a class-level permission).
 */
export function rollupStatement(dialect: DialectName, schema: SchemaLookup, period: Period, filter: Expr): SqlFragment | null {
  if (!isMidnight(period.from) || !isMidnight(period.to)) return null;
  const plain = (filter.kind === 'const' && filter.value === true) || filter.kind === 'readableBy';
  if (!plain) return null;
  const col = (name: string) => qualified(ROLLUP_TABLE, name);
  const conditions: SqlFragment[] = [];
  if (period.from || period.to) conditions.push(sql`${col('day')} <> ${NONE}`);
  if (period.from) conditions.push(sql`${col('day')} >= ${period.from.slice(0, 10)}`);
  if (period.to) conditions.push(sql`${col('day')} < ${period.to.slice(0, 10)}`);
  if (filter.kind === 'readableBy') conditions.push(compileWhere(filter, { dialect, table: ROLLUP_TABLE, schema }));
  const where = conditions.length ? sql` WHERE ${join(conditions, sql` AND `)}` : sql``;
  const total = (name: SumName) => sql`SUM(${col(name)}) AS ${ident(name)}`;
  // Deltas not folded yet count too; the union keeps the table's name, so the filter above applies to both.
  const both = sql`(SELECT ${columns()} FROM ${ident(ROLLUP_TABLE)} UNION ALL SELECT ${columns()} FROM ${ident(DELTA_TABLE)}) AS ${ident(ROLLUP_TABLE)}`;
  return sql`SELECT ${col('stage')} AS ${ident('stage')}, ${join(SUM_NAMES.map(total))} FROM ${both}${where} GROUP BY ${col('stage')} HAVING SUM(${col('n')}) > 0`;
}

/** Rollup rows use '' for "no stage"; the summary expects null there, as the scan's GROUP BY gives. */
export const fromRollupRows = (rows: Row[]): Row[] => rows.map((r) => (r.stage === NONE ? { ...r, stage: null } : r));
