/**
 * Forecast rollups: every deal's contribution to `pipelineSummary` pre-summed per (stored read-permission
 * list, stage, day), kept in the deal's own write transaction and rebuilt from the Deal table at start (and
 * after `crm import`, which bypasses write hooks). A summary over whole UTC days whose caller reads through a
 * plain permission check (a rep, a manager) or none (master key) sums these few rows instead of filtering
 * every deal: at 1,000,000 deals on PostgreSQL a manager's summary scanned and grouped 825,000 rows (~450 ms).
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
const NONE = '';
const DEAL = 'Deal';

interface Contribution {
  perm: string[];
  stage: string;
  day: string;
  sums: Record<SumName, number>;
}

const dayOf = (value: unknown): string => (typeof value === 'string' && value.length >= 10 ? value.slice(0, 10) : NONE);

/** What one deal row adds to the rollup (the same arithmetic as summaryStatement's SQL). */
export function contribution(row: Row, closed: ReadonlySet<string>): Contribution {
  const stage = typeof row.stage === 'string' ? row.stage : null;
  const isClosed = stage !== null && closed.has(stage);
  const day = dayOf(isClosed ? row.stageChangedAt : row.expectedCloseDate);
  const amount = typeof row.amount === 'number' ? row.amount : null;
  const probability = typeof row.probability === 'number' ? row.probability : null;
  const changed = typeof row.stageChangedAt === 'string' ? Date.parse(row.stageChangedAt) : NaN;
  const created = typeof row.createdAt === 'string' ? Date.parse(row.createdAt) : NaN;
  const cycle = isClosed && Number.isFinite(changed) && Number.isFinite(created) ? (changed - created) / 86_400_000 : null;
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

function permValue(perm: string[], dialect: DialectName): SqlFragment {
  return dialect === 'sqlite' ? sql`${encodePermissionList(perm)}` : sql`${perm}::text[]`;
}

const columns = () => join(['_rperm', 'stage', 'day', ...SUM_NAMES].map((c) => sql`${ident(c)}`));

function upsert(c: Contribution, sign: 1 | -1, dialect: DialectName): SqlFragment {
  const values = SUM_NAMES.map((s) => sql`${sign * c.sums[s]}`);
  const updates = SUM_NAMES.map((s) => sql`${ident(s)} = ${qualified(ROLLUP_TABLE, s)} + ${keyword('excluded')}.${ident(s)}`);
  return sql`INSERT INTO ${ident(ROLLUP_TABLE)} (${columns()}) VALUES (${permValue(c.perm, dialect)}, ${c.stage}, ${c.day}, ${join(values)}) ON CONFLICT (${ident('_rperm')}, ${ident('stage')}, ${ident('day')}) DO UPDATE SET ${join(updates)}`;
}

function createTable(dialect: DialectName): SqlFragment {
  const perm = keyword(dialect === 'sqlite' ? 'TEXT' : 'text[]');
  const real = keyword(dialect === 'sqlite' ? 'REAL' : 'double precision');
  const text = keyword(dialect === 'sqlite' ? 'TEXT' : 'text COLLATE "C"');
  return sql`CREATE TABLE IF NOT EXISTS ${ident(ROLLUP_TABLE)} (${ident('_rperm')} ${perm} NOT NULL, ${ident('stage')} ${text} NOT NULL, ${ident('day')} ${text} NOT NULL, ${ident('n')} ${keyword('INTEGER')} NOT NULL, ${ident('amount')} ${real} NOT NULL, ${ident('plainAmount')} ${real} NOT NULL, ${ident('ownWeighted')} ${real} NOT NULL, ${ident('cycleDays')} ${real} NOT NULL, ${ident('cycles')} ${keyword('INTEGER')} NOT NULL, PRIMARY KEY (${ident('_rperm')}, ${ident('stage')}, ${ident('day')}))`;
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

/** Creates the table when missing and recomputes it from the deals (one transaction; PostgreSQL locks it). */
export async function rebuildRollup(storage: StorageAdapter, schema: SchemaLookup, stages: readonly PipelineStage[]) {
  if (!schema.get(DEAL)) return;
  await storage.transaction(async (tx) => {
    if (storage.dialect === 'postgres') {
      // Instances booting together would race on CREATE TABLE IF NOT EXISTS (it is not atomic in PostgreSQL):
      // one rebuild per schema at a time.
      await tx.query(sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ${':' + ROLLUP_TABLE}))`);
    }
    await tx.query(createTable(storage.dialect));
    // Deal writes on other instances wait for the rebuild, then add their deltas on top of it.
    if (storage.dialect === 'postgres') await tx.query(sql`LOCK TABLE ${ident(ROLLUP_TABLE)} IN EXCLUSIVE MODE`);
    await tx.query(sql`DELETE FROM ${ident(ROLLUP_TABLE)}`);
    await tx.query(rebuildStatement(storage.dialect, schema, stages));
  });
}

/** Keeps the rollup in step with every Deal write, inside its transaction. */
export function rollupHooks(dialect: DialectName, stages: readonly PipelineStage[]): ClassHooks {
  const closed = new Set(stages.filter((s) => s.won || s.lost).map((s) => s.name));
  const apply = (tx: StorageTx, c: Contribution, sign: 1 | -1) => tx.query(upsert(c, sign, dialect));
  return {
    columns: ['stage', 'stageChangedAt', 'expectedCloseDate', 'createdAt', 'amount', 'probability', '_rperm'],
    async afterInsert(_auth, _cls, row, tx) {
      await apply(tx, contribution(row, closed), 1);
    },
    async afterUpdate(_auth, _cls, before, after, tx) {
      const was = contribution(before, closed);
      const now = contribution(after, closed);
      if (sameBucket(was, now) && SUM_NAMES.every((s) => was.sums[s] === now.sums[s])) return;
      await apply(tx, was, -1);
      await apply(tx, now, 1);
    },
    async beforeDelete(_auth, _cls, current, tx) {
      await apply(tx, contribution(current, closed), -1);
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
  return sql`SELECT ${col('stage')} AS ${ident('stage')}, ${join(SUM_NAMES.map(total))} FROM ${ident(ROLLUP_TABLE)}${where} GROUP BY ${col('stage')} HAVING SUM(${col('n')}) > 0`;
}

/** Rollup rows use '' for "no stage"; the summary expects null there, as the scan's GROUP BY gives. */
export const fromRollupRows = (rows: Row[]): Row[] => rows.map((r) => (r.stage === NONE ? { ...r, stage: null } : r));
