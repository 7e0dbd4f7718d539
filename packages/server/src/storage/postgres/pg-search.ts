/**
 * Full-text search on PostgreSQL: a stored generated column `_search` (tsvector, GIN-indexed) on each searchable
 * class table, computed by the database on every insert and update — the index is part of the row, so it is
 * always in the write's transaction, whoever writes. Words are made as in storage/sql/search-text.ts: ASCII
 * punctuation splits words (so "alice@acme.com" is alice, acme, com, as on SQLite), Latin diacritics are
 * folded by translate(), and the `simple` configuration lower-cases without stemming, so names, e-mail
 * addresses and phone numbers match as typed. Each field carries its weight (A–D) for ts_rank.
 */
import type { SearchField, SearchSpec } from '../adapter.js';
import { SEARCH_RANK_COLUMN } from '../adapter.js';
import { compileWhere } from '../sql/compile-where.js';
import { indexName } from '../sql/ddl.js';
import { ident, join, keyword, limitCount, qualified, sql, type SqlFragment } from '../sql/fragment.js';
import { LATIN_FOLD } from '../sql/search-text.js';
import type { SchemaLookup } from '../../schema/compiled.js';

export const SEARCH_COLUMN = '_search';

/**
 * A string literal for constants of this file only (never request text): the index expression must be
 * identical in the DDL, which takes no parameters, and in queries that rebuild it for fewer fields.
 */
function constant(text: string): SqlFragment {
  if (/['\\\0]/.test(text)) throw new Error('search constants hold no quotes or backslashes');
  return keyword(`'${text}'`);
}

/** ASCII control, space and punctuation (everything ASCII but letters and digits), as PostgreSQL regex escapes. */
const ASCII_SEPARATORS = '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+';
const SEPARATORS = keyword(`'${ASCII_SEPARATORS}'`);

const WEIGHTS = new Set(['A', 'B', 'C', 'D']);

function fieldVector(column: SqlFragment, weight: SearchField['weight']): SqlFragment {
  if (!WEIGHTS.has(weight)) throw new Error(`bad search weight ${weight}`);
  const text = sql`regexp_replace(coalesce(${column}, ''), ${SEPARATORS}, ' ', 'g')`;
  const folded = sql`translate(${text}, ${constant(LATIN_FOLD.from)}, ${constant(LATIN_FOLD.to)})`;
  return sql`setweight(to_tsvector('simple', ${folded}), ${constant(weight)})`;
}

/**
 * The document of one row: the weighted vectors of `fields`, concatenated. Columns are qualified with
 * `table`, except in the generated column's own expression (table undefined), which may not name its table.
 */
export function vectorOf(table: string | undefined, fields: readonly SearchField[]): SqlFragment {
  const vectors = fields.map(({ field, weight }) =>
    fieldVector(table === undefined ? sql`${ident(field)}` : qualified(table, field), weight),
  );
  return sql`(${join(vectors, sql` || `)})`;
}

export const addSearchColumn = (className: string, fields: readonly SearchField[]): SqlFragment =>
  sql`ALTER TABLE ${ident(className)} ADD COLUMN ${ident(SEARCH_COLUMN)} tsvector GENERATED ALWAYS AS ${vectorOf(undefined, fields)} STORED`;

export const searchColumnIndex = (className: string): SqlFragment =>
  sql`CREATE INDEX IF NOT EXISTS ${ident(indexName(className, SEARCH_COLUMN))} ON ${ident(className)} USING GIN (${ident(SEARCH_COLUMN)})`;

/** Its GIN index goes with it. Needed before dropping any column the expression reads. */
export const dropSearchColumn = (className: string): SqlFragment =>
  sql`ALTER TABLE ${ident(className)} DROP COLUMN IF EXISTS ${ident(SEARCH_COLUMN)}`;

/** `'acm':* & 'jo':*` — terms are letters and digits only (searchTerms), so this text is never operators. */
export function tsQueryText(terms: readonly string[]): string {
  return terms.map((term) => `'${term.replace(/'/g, "''")}':*`).join(' & ');
}

/**
 * Matching rows with the caller's read filter in the same statement, best ts_rank first. When the caller may
 * search every indexed field the stored column (and its GIN index) answers; when some are hidden from them,
 * the document is rebuilt from the visible fields only, so a hidden field can never decide a match.
 */
export function searchRows(spec: SearchSpec, indexed: readonly SearchField[], schema: SchemaLookup): SqlFragment {
  const table = spec.cls.className;
  const allowed = new Set(spec.fields);
  const visible = indexed.filter((f) => allowed.has(f.field));
  const vector = visible.length === indexed.length ? qualified(table, SEARCH_COLUMN) : vectorOf(table, visible);
  const query = sql`to_tsquery('simple', ${tsQueryText(spec.terms)})`;
  const columns = join([...new Set(['objectId', ...spec.columns])].map((c) => qualified(table, c)));
  const where = compileWhere(spec.where, { dialect: 'postgres', table, schema });
  return sql`SELECT ${columns}, ts_rank(${vector}, ${query}) AS ${ident(SEARCH_RANK_COLUMN)} FROM ${ident(table)} WHERE ${vector} @@ ${query} AND (${where}) ORDER BY ${ident(SEARCH_RANK_COLUMN)} DESC, ${qualified(table, 'objectId')} LIMIT ${limitCount(spec.limit)}`;
}
