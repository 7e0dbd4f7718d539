/**
 * Full-text search on SQLite: one FTS5 table per searchable class, `_Search:<Class>`, an external-content index
 * over the class table (the text is not stored twice) keyed by the class table's rowid. Three triggers keep it
 * current inside the statement that writes the row — creates, updates of indexed columns, deletes, imports,
 * anything that writes the table — so the index commits or rolls back with the write.
 *
 * A new row is indexed at the end of its transaction, not in its own statement: the insert trigger only notes
 * its rowid in `_Search:<Class>:pending`, and `indexPending` (run by the adapter just before COMMIT) indexes the
 * noted rows in one statement. FTS5 writes its pending terms out as a new segment at every SAVEPOINT, and every
 * write of a commit group runs in one, so indexing in the trigger cost a segment per created row (12 % of a
 * create + update load's CPU). Updates and deletes of a noted row leave the index alone: the row is not in it
 * yet, and `indexPending` reads its final values.
 *
 * The rowid of a table without an INTEGER PRIMARY KEY is stable except across VACUUM; after a manual VACUUM
 * the index must be rebuilt (ensureSearchIndex with a changed field list, or the `rebuild` statement below).
 * Whatever the index says, results are read from the class table under the caller's read filter.
 */
import type { SearchField, SearchSpec } from '../adapter.js';
import { SEARCH_RANK_COLUMN } from '../adapter.js';
import { compileWhere } from '../sql/compile-where.js';
import { BM25_WEIGHTS } from '../sql/search-index.js';
import { ident, join, keyword, limitCount, qualified, sql, type SqlFragment } from '../sql/fragment.js';
import type { SchemaLookup } from '../../schema/compiled.js';

export const ftsTable = (className: string): string => `_Search:${className}`;

/** Rowids of rows written since the last `indexPending`: not yet in the FTS table. */
export const pendingTable = (className: string): string => `${ftsTable(className)}:pending`;

const TRIGGERS = ['insert', 'update', 'delete'] as const;
const triggerName = (className: string, event: (typeof TRIGGERS)[number]): string => `${ftsTable(className)}:${event}`;

const columnList = (fields: readonly SearchField[], prefix?: 'new' | 'old'): SqlFragment =>
  join(fields.map(({ field }) => (prefix ? sql`${keyword(prefix)}.${ident(field)}` : sql`${ident(field)}`)));

/** unicode61 with remove_diacritics 2 folds case and Latin diacritics (storage/sql/search-text.ts agrees). */
export function createFtsTable(className: string, fields: readonly SearchField[]): SqlFragment {
  return sql`CREATE VIRTUAL TABLE IF NOT EXISTS ${ident(ftsTable(className))} USING fts5(${columnList(fields)}, content=${ident(className)}, content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3')`;
}

export const createPendingTable = (className: string): SqlFragment =>
  sql`CREATE TABLE IF NOT EXISTS ${ident(pendingTable(className))} (${ident('row')} INTEGER PRIMARY KEY)`;

/**
 * External-content FTS5 removes a row by being told its old values, which the trigger has; a row still noted as
 * pending is not in the index, so it is neither removed from it nor re-added (indexPending adds it).
 */
export function createTriggers(className: string, fields: readonly SearchField[]): SqlFragment[] {
  const fts = ident(ftsTable(className));
  const table = ident(className);
  const pending = ident(pendingTable(className));
  const indexed = (prefix: 'new' | 'old') =>
    sql`NOT EXISTS (SELECT 1 FROM ${pending} WHERE ${ident('row')} = ${keyword(prefix)}.rowid)`;
  const insertNew = sql`INSERT INTO ${fts} (rowid, ${columnList(fields)}) SELECT new.rowid, ${columnList(fields, 'new')} WHERE ${indexed('new')};`;
  const deleteOld = sql`INSERT INTO ${fts} (${fts}, rowid, ${columnList(fields)}) SELECT 'delete', old.rowid, ${columnList(fields, 'old')} WHERE ${indexed('old')};`;
  const note = sql`INSERT OR REPLACE INTO ${pending} (${ident('row')}) VALUES (new.rowid);`;
  const forget = sql`DELETE FROM ${pending} WHERE ${ident('row')} = old.rowid;`;
  return [
    sql`CREATE TRIGGER IF NOT EXISTS ${ident(triggerName(className, 'insert'))} AFTER INSERT ON ${table} BEGIN ${note} END`,
    sql`CREATE TRIGGER IF NOT EXISTS ${ident(triggerName(className, 'delete'))} AFTER DELETE ON ${table} BEGIN ${deleteOld} ${forget} END`,
    // Only updates that set an indexed column touch the index; most writes (stage, amount) do not.
    sql`CREATE TRIGGER IF NOT EXISTS ${ident(triggerName(className, 'update'))} AFTER UPDATE OF ${columnList(fields)} ON ${table} BEGIN ${deleteOld} ${insertNew} END`,
  ];
}

/** Indexes the rows noted as pending, in rowid order, and forgets them (two statements, one transaction). */
export function indexPending(className: string, fields: readonly SearchField[]): SqlFragment[] {
  const pending = ident(pendingTable(className));
  const table = ident(className);
  const values = join(fields.map(({ field }) => qualified(className, field)));
  return [
    sql`INSERT INTO ${ident(ftsTable(className))} (rowid, ${columnList(fields)}) SELECT ${table}.rowid, ${values} FROM ${pending} JOIN ${table} ON ${table}.rowid = ${pending}.${ident('row')} ORDER BY ${pending}.${ident('row')}`,
    sql`DELETE FROM ${pending}`,
  ];
}

/** Triggers name their columns, so they go before any column of the class is dropped. */
export const dropTriggers = (className: string): SqlFragment[] =>
  TRIGGERS.map((event) => sql`DROP TRIGGER IF EXISTS ${ident(triggerName(className, event))}`);

export const dropFtsTables = (className: string): SqlFragment[] => [
  sql`DROP TABLE IF EXISTS ${ident(ftsTable(className))}`,
  sql`DROP TABLE IF EXISTS ${ident(pendingTable(className))}`,
];

/** Re-reads every row of the class table into the index (a new index over existing rows): none is pending. */
export const rebuild = (className: string): SqlFragment[] => [
  sql`INSERT INTO ${ident(ftsTable(className))} (${ident(ftsTable(className))}) VALUES ('rebuild')`,
  sql`DELETE FROM ${ident(pendingTable(className))}`,
];

/**
 * FTS5 query text: every term a quoted prefix (`"acm"*`) restricted to the fields the caller may search
 * (`{"name" "email"} : …`). Terms hold only letters and digits (searchTerms) and field names match
 * FIELD_NAME_PATTERN; quotes are doubled anyway, so the text can never be read as FTS5 operators.
 */
export function matchExpression(fields: readonly string[], terms: readonly string[]): string {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const columns = `{${fields.map(quote).join(' ')}}`;
  return terms.map((term) => `${columns} : ${quote(term)}*`).join(' AND ');
}

/**
 * Hits joined to their rows, the caller's read filter applied in the same statement (so hidden rows take
 * no place in the ranking or the limit), best bm25 first. bm25 is negative, lower is better.
 */
export function searchRows(spec: SearchSpec, indexed: readonly SearchField[], schema: SchemaLookup): SqlFragment {
  const table = spec.cls.className;
  const fts = ident(ftsTable(table));
  const allowed = new Set(spec.fields);
  const fields = indexed.filter((f) => allowed.has(f.field)).map((f) => f.field);
  const weights = join(indexed.map((f) => sql`${BM25_WEIGHTS[f.weight]}`));
  const columns = join([...new Set(['objectId', ...spec.columns])].map((c) => qualified(table, c)));
  const where = compileWhere(spec.where, { dialect: 'sqlite', table, schema });
  return sql`SELECT ${columns}, -bm25(${fts}, ${weights}) AS ${ident(SEARCH_RANK_COLUMN)} FROM ${fts} JOIN ${ident(table)} ON ${ident(table)}.rowid = ${fts}.rowid WHERE ${fts} MATCH ${matchExpression(fields, spec.terms)} AND (${where}) ORDER BY ${ident(SEARCH_RANK_COLUMN)} DESC, ${qualified(table, 'objectId')} LIMIT ${limitCount(spec.limit)}`;
}
