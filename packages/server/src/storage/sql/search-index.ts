/**
 * Bookkeeping shared by the SQL adapters' full-text indexes: which fields of which class are indexed is
 * recorded in `_SearchIndex`, so a schema change that drops an indexed column knows what to rebuild, and a
 * restart knows the index is already there. The index structures themselves are dialect-specific
 * (sqlite/sqlite-search.ts, postgres/pg-search.ts).
 */
import type { Row, SearchField, SearchWeight } from '../adapter.js';
import type { CompiledClass } from '../../schema/compiled.js';
import { FIELD_NAME_PATTERN } from '../../schema/types.js';
import { ident, sql, type SqlFragment } from './fragment.js';

const TABLE = '_SearchIndex';

export const createSearchIndexTable: SqlFragment = sql`CREATE TABLE IF NOT EXISTS ${ident(TABLE)} (${ident('className')} TEXT PRIMARY KEY NOT NULL, ${ident('fields')} TEXT NOT NULL)`;

export const selectSearchIndexes: SqlFragment = sql`SELECT ${ident('className')}, ${ident('fields')} FROM ${ident(TABLE)}`;

export const selectSearchIndex = (className: string): SqlFragment =>
  sql`${selectSearchIndexes} WHERE ${ident('className')} = ${className}`;

export const upsertSearchIndex = (className: string, fields: readonly SearchField[]): SqlFragment =>
  sql`INSERT INTO ${ident(TABLE)} (${ident('className')}, ${ident('fields')}) VALUES (${className}, ${JSON.stringify(fields)}) ON CONFLICT (${ident('className')}) DO UPDATE SET ${ident('fields')} = excluded.${ident('fields')}`;

export const deleteSearchIndex = (className: string): SqlFragment =>
  sql`DELETE FROM ${ident(TABLE)} WHERE ${ident('className')} = ${className}`;

/** A `_SearchIndex` row → its field list. */
export function decodeSearchFields(row: Row | undefined): SearchField[] | undefined {
  return row ? (JSON.parse(String(row.fields)) as SearchField[]) : undefined;
}

/**
 * The requested fields that can be indexed: String columns of the class, each once. Field names then also
 * satisfy FIELD_NAME_PATTERN, which the FTS5 column filter relies on.
 */
export function indexableFields(cls: CompiledClass, fields: readonly SearchField[]): SearchField[] {
  const seen = new Set<string>();
  return fields.filter(({ field }) => {
    if (seen.has(field) || cls.fields.get(field)?.type !== 'String' || !FIELD_NAME_PATTERN.test(field)) return false;
    seen.add(field);
    return true;
  });
}

export function sameSearchFields(a: readonly SearchField[] | undefined, b: readonly SearchField[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** SQLite bm25 column weights per class of field (PostgreSQL's ts_rank has its own defaults for A–D). */
export const BM25_WEIGHTS: Record<SearchWeight, number> = { A: 10, B: 4, C: 2, D: 1 };
