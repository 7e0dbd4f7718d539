/**
 * The bare server's storage: one better-sqlite3 connection with ours' pragmas, ours' checkpointer and a few
 * prepared statements. Writes run in BEGIN IMMEDIATE … COMMIT like ours' transactions.
 */
import Database from 'better-sqlite3';
import { Checkpointer, RESTART_FRAMES } from '../../../../server/src/storage/sqlite/checkpointer.js';
import { ftsTable, indexPending, pendingTable } from '../../../../server/src/storage/sqlite/sqlite-search.js';
import { render } from '../../../../server/src/storage/sql/fragment.js';
import { DELTA_COLUMNS, type DeltaRow, type StoredValue } from './deal-row.js';

/**
 * Ours' connection settings, in ours' order (packages/server/src/storage/sqlite/sqlite-adapter.ts). The
 * automatic checkpoint (10,000 pages, ours' fallback) serves the copies made by bare-db.ts; a serving store
 * turns it off for ours' worker checkpointer (`withOursCheckpoints`).
 */
export function applyOursPragmas(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 10000');
}

export type DealRow = Record<string, StoredValue>;

export interface DealStore {
  insert(row: DealRow): void;
  /** The row's `_wperm`, or undefined when there is no such row. */
  writePermission(objectId: string): string | undefined;
  updateAmount(objectId: string, amount: number | null, updatedAt: string): void;
  read(objectId: string): DealRow | undefined;
  /** The forecast tables' writes (a store opened with `forecast`): a history row, a rollup delta row. */
  insertHistory(row: DealRow): void;
  appendDelta(row: DeltaRow): void;
  /** What an update needs to know of the deal for its rollup delta, `_wperm` included. */
  forecastColumns(objectId: string): DealRow | undefined;
  /** Runs `work` between BEGIN IMMEDIATE and COMMIT (ROLLBACK if it throws). */
  transaction<T>(work: () => T): T;
  /**
   * Group commit, as ours does it: `work` runs in a savepoint of a transaction shared by the writes of this
   * event-loop turn, committed on setImmediate; `then` gets its result after that COMMIT.
   */
  joinGroup<T>(work: () => T, then: (result: T) => void): void;
  close(): Promise<void>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

const insertAll = (db: Database.Database, table: string, columns: string[]) =>
  db.prepare(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
const columnsOf = (db: Database.Database, table: string) =>
  (db.pragma(`table_info(${quote(table)})`) as { name: string }[]).map((c) => c.name);
/**
 * Ours' full-text indexing at COMMIT, with ours' own statements (packages/server/src/storage/sqlite/
 * sqlite-search.ts): the rows its insert trigger noted go into the FTS5 table; nothing without such a table.
 */
export function searchIndexing(db: Database.Database): () => void {
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(pendingTable('Deal'))) return () => {};
  // Weights only rank searches; indexing reads the field names.
  const fields = columnsOf(db, ftsTable('Deal')).map((field) => ({ field, weight: 'A' as const }));
  const steps = indexPending('Deal', fields).map((step) => db.prepare(render(step, 'sqlite').text));
  return () => {
    for (const step of steps) step.run();
  };
}

export const FORECAST_READ = [
  '_wperm',
  '_rperm',
  'stage',
  'expectedCloseDate',
  'stageChangedAt',
  'createdAt',
  'amount',
  'probability',
];

export function openDealStore(file: string, opts: { forecast?: boolean } = {}): DealStore {
  const db = new Database(file, { fileMustExist: true });
  applyOursPragmas(db);
  const checkpoints = withOursCheckpoints(db, file);
  const columns = columnsOf(db, 'Deal');
  const insert = insertAll(db, 'Deal', columns);
  const historyColumns = opts.forecast ? columnsOf(db, 'DealStageHistory') : [];
  const insertHistory = opts.forecast ? insertAll(db, 'DealStageHistory', historyColumns) : null;
  const appendDelta = opts.forecast ? insertAll(db, '_DealRollupDelta', DELTA_COLUMNS) : null;
  const forecastColumns = opts.forecast
    ? db.prepare<[string], DealRow>(`SELECT ${FORECAST_READ.map(quote).join(', ')} FROM "Deal" WHERE "objectId" = ?`)
    : null;
  const indexNewRows = searchIndexing(db);
  const forecastOnly = () => {
    throw new Error('this store was opened without the forecast tables');
  };
  const writePermission = db.prepare<[string], string>('SELECT "_wperm" FROM "Deal" WHERE "objectId" = ?').pluck();
  const update = db.prepare('UPDATE "Deal" SET "amount" = ?, "updatedAt" = ? WHERE "objectId" = ?');
  const read = db.prepare<[string], DealRow>('SELECT * FROM "Deal" WHERE "objectId" = ?');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT w');
  const release = db.prepare('RELEASE w');
  const rollbackTo = db.prepare('ROLLBACK TO w');
  let group: Array<() => void> | null = null;
  return {
    insert: (row) => void insert.run(columns.map((c) => row[c] ?? null)),
    writePermission: (objectId) => writePermission.get(objectId),
    updateAmount: (objectId, amount, updatedAt) => void update.run(amount, updatedAt, objectId),
    read: (objectId) => read.get(objectId),
    insertHistory: (row) => void (insertHistory ?? forecastOnly()).run(historyColumns.map((c) => row[c] ?? null)),
    appendDelta: (row) => void (appendDelta ?? forecastOnly()).run(row),
    forecastColumns: (objectId) => (forecastColumns ?? forecastOnly()).get(objectId),
    transaction(work) {
      begin.run();
      try {
        const result = work();
        indexNewRows();
        commit.run();
        checkpoints.afterCommit();
        return result;
      } catch (error) {
        if (db.inTransaction) rollback.run();
        throw error;
      }
    },
    joinGroup(work, then) {
      if (!group) {
        begin.run();
        const acks: Array<() => void> = [];
        group = acks;
        setImmediate(() => {
          group = null;
          indexNewRows();
          commit.run();
          checkpoints.afterCommit();
          for (const ack of acks) ack();
        });
      }
      savepoint.run();
      let result: ReturnType<typeof work>;
      try {
        result = work();
        release.run();
      } catch (error) {
        rollbackTo.run();
        release.run();
        throw error;
      }
      group.push(() => then(result));
    },
    close: async () => {
      await checkpoints.stop();
      db.close();
    },
  };
}

/**
 * Ours' checkpointing, with ours' own Checkpointer: PASSIVE checkpoints on a worker thread, and after a COMMIT,
 * when the worker says the log is long, the remainder copied on this connection so the log rewinds.
 */
function withOursCheckpoints(db: Database.Database, file: string): { afterCommit(): void; stop(): Promise<void> } {
  let logLong = false;
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${RESTART_FRAMES * (db.pragma('page_size', { simple: true }) as number)}`);
  const checkpointer = new Checkpointer(file, {
    onFailure: () => db.pragma('wal_autocheckpoint = 10000'),
    onLogLong: () => (logLong = true),
  });
  return {
    afterCommit() {
      if (!logLong) return;
      logLong = false;
      db.pragma('wal_checkpoint(PASSIVE)');
    },
    stop: () => checkpointer.stop(),
  };
}
