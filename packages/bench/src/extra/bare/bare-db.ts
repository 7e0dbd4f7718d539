/**
 * The bare server's databases, made from what ours stored: the Deal DDL as ours' crm.sqlite has it
 * (`sqlite_master`), ours' Deal fields (`_SCHEMA`), and the seeded rows copied over with plain INSERTs in
 * ours' rowid order, with every index and trigger already in place so the b-trees grow as ours' did.
 */
import Database from 'better-sqlite3';
import type { Fields, StoredValue } from './deal-row.js';
import { applyOursPragmas, searchIndexing } from './deal-store.js';

export interface DealDdl {
  table: string;
  /** Secondary indexes by name (the primary key's automatic index has no SQL and is not listed). */
  indexes: { name: string; sql: string }[];
  /**
   * The full-text tables whose content is Deal (SQLite creates their shadow tables itself), and the table of
   * rows ours' insert trigger notes for indexing at COMMIT.
   */
  search: string[];
  /** Triggers on Deal (ours keeps the full-text index in step with them). */
  triggers: string[];
  /** DealStageHistory (table and indexes) and _DealRollupDelta, as ours has them: the forecast's write tables. */
  forecast: string[];
}

export const FORECAST_TABLES = ['DealStageHistory', '_DealRollupDelta'];

export interface BareVariant {
  label: string;
  /** What the table carries besides its primary key, for the report. */
  carries: string;
  statements: string[];
  /** Also holds ours' forecast write tables, with ours' DealStageHistory rows. */
  forecast?: boolean;
}

/** What issue #2 names for the pipeline and the rep's deals, nothing else. */
const MINIMUM_INDEXES = [
  'CREATE INDEX "Deal_stage_expectedCloseDate" ON "Deal" ("stage", "expectedCloseDate")',
  'CREATE INDEX "Deal_assignedTo" ON "Deal" ("assignedTo")',
];

const openReadOnly = (file: string) => new Database(file, { readonly: true, fileMustExist: true });

function withDb<T>(file: string, work: (db: Database.Database) => T): T {
  const db = openReadOnly(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

export function readOursDeal(oursFile: string): { ddl: DealDdl; fields: Fields } {
  return withDb(oursFile, (db) => {
    const rows = db
      .prepare<[], { type: string; name: string; sql: string }>(
        `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'Deal' AND sql IS NOT NULL ORDER BY rowid`,
      )
      .all();
    const table = rows.find((r) => r.type === 'table')?.sql;
    if (!table) throw new Error(`${oursFile} has no Deal table`);
    const search = db
      .prepare<[], string>(
        `SELECT sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE %' AND sql LIKE '%content="Deal"%'`,
      )
      .pluck()
      .all();
    const pending = db
      .prepare<[], string>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '_Search:Deal:pending'`)
      .pluck()
      .all();
    search.push(...pending);
    const triggers = rows.filter((r) => r.type === 'trigger').map((r) => r.sql);
    const forecast = db
      .prepare<string[], string>(
        `SELECT sql FROM sqlite_master WHERE tbl_name IN (${FORECAST_TABLES.map(() => '?').join(', ')}) AND sql IS NOT NULL ORDER BY rowid`,
      )
      .pluck()
      .all(...FORECAST_TABLES);
    if (forecast.length === 0) throw new Error(`${oursFile} has no forecast tables (${FORECAST_TABLES.join(', ')})`);
    if (triggers.length > 0 && search.length === 0) throw new Error('Deal has triggers but no full-text table was found');
    const schema = db.prepare<[], string>(`SELECT "schema" FROM "_SCHEMA" WHERE "className" = 'Deal'`).pluck().get();
    if (!schema) throw new Error(`${oursFile} has no _SCHEMA entry for Deal`);
    return {
      ddl: { table, indexes: rows.filter((r) => r.type === 'index'), search, triggers, forecast },
      fields: (JSON.parse(schema) as { fields: Fields }).fields,
    };
  });
}

export function bareVariants(ddl: DealDdl): { ours: BareVariant; forecast: BareVariant; minimum: BareVariant } {
  const ours: BareVariant = {
    label: "bare (ours' Deal table)",
    carries:
      `ours' ${ddl.indexes.length} indexes (${ddl.indexes.map((i) => i.name).join(', ')})` +
      (ddl.search.length ? `, its FTS5 table and ${ddl.triggers.length} triggers` : ''),
    statements: [ddl.table, ...ddl.search, ...ddl.indexes.map((i) => i.sql), ...ddl.triggers],
  };
  return {
    ours,
    forecast: {
      label: "bare + group commit + forecast rows (ours' tables)",
      carries: `${ours.carries}, and ours' DealStageHistory (with its rows and ${ddl.forecast.length - 1} indexes) and _DealRollupDelta tables`,
      statements: [...ours.statements, ...ddl.forecast],
      forecast: true,
    },
    minimum: {
      label: 'bare (minimum indexes)',
      carries: 'indexes Deal(stage, expectedCloseDate) and Deal(assignedTo) only, no full-text index',
      statements: [ddl.table, ...MINIMUM_INDEXES],
    },
  };
}

/** Copies every row of `table`, in rowid order; returns how many. */
function copyRows(src: Database.Database, dst: Database.Database, table: string): number {
  const names = (src.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => `"${c.name}"`);
  const columns = names.join(', ');
  const insert = dst.prepare(`INSERT INTO "${table}" (${columns}) VALUES (${names.map(() => '?').join(', ')})`);
  let copied = 0;
  for (const values of src.prepare(`SELECT ${columns} FROM "${table}" ORDER BY rowid`).raw().iterate()) {
    insert.run(values as unknown[]);
    copied++;
  }
  return copied;
}

/** Creates `file` with the variant's DDL and ours' Deal rows (and history rows); returns how many deals it copied. */
export function createBareDb(oursFile: string, file: string, variant: BareVariant): number {
  return withDb(oursFile, (src) => {
    const dst = new Database(file);
    try {
      applyOursPragmas(dst);
      let copied = 0;
      dst.transaction(() => {
        for (const statement of variant.statements) dst.exec(statement);
        copied = copyRows(src, dst, 'Deal');
        searchIndexing(dst)();
        if (variant.forecast) copyRows(src, dst, 'DealStageHistory');
      })();
      dst.pragma('wal_checkpoint(TRUNCATE)');
      return copied;
    } finally {
      dst.close();
    }
  });
}

export type StoredRow = Record<string, StoredValue>;

/** The last row of Deal, by rowid (what a run appends after it is the pre-flight's create). */
export const lastRowid = (file: string): number =>
  withDb(file, (db) => db.prepare<[], number>('SELECT coalesce(max(rowid), 0) FROM "Deal"').pluck().get() ?? 0);

export const rowAt = (file: string, rowid: number): StoredRow | undefined =>
  withDb(file, (db) => db.prepare<[number], StoredRow>('SELECT * FROM "Deal" WHERE rowid = ?').get(rowid));

/** The stage-history rows of a deal, oldest first. */
export const historyOf = (file: string, dealId: string): StoredRow[] =>
  withDb(file, (db) =>
    db.prepare<[string], StoredRow>('SELECT * FROM "DealStageHistory" WHERE "deal" = ? ORDER BY rowid').all(dealId),
  );

/** Ids and server timestamps differ by nature; whether a timestamp is set must not. */
const OWN_VALUES = new Set(['objectId', 'createdAt', 'updatedAt', 'stageChangedAt', 'changedAt', 'deal']);

/** Columns in which two rows written for the same request differ, as "column: ours … vs bare …". */
export function rowDifferences(ours: StoredRow, bare: StoredRow): string[] {
  const differences: string[] = [];
  for (const column of new Set([...Object.keys(ours), ...Object.keys(bare)])) {
    const a = ours[column] ?? null;
    const b = bare[column] ?? null;
    const same = OWN_VALUES.has(column) ? (a === null) === (b === null) : a === b;
    if (!same) differences.push(`${column}: ours ${JSON.stringify(a)} vs bare ${JSON.stringify(b)}`);
  }
  return differences;
}
