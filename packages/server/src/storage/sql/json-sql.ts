/**
 * Reading inside JSON columns (Object sub-keys, Array elements) on each dialect. SQLite stores JSON text and
 * reads it with json_extract/json_type; PostgreSQL stores jsonb and compares jsonb values, which keeps JSON
 * types apart (1 ≠ true ≠ "1") without extra guards. Paths are always bound parameters.
 */
import { sql, type DialectName, type SqlFragment } from './fragment.js';

/** Keys were validated against FIELD_NAME_PATTERN, so `$.a.b` needs no quoting. */
export function jsonPathParam(path: readonly string[], dialect: DialectName): string | string[] {
  return dialect === 'sqlite' ? `$${path.map((key) => `.${key}`).join('')}` : [...path];
}

/** The value at `path` in comparable form: an SQL scalar in SQLite, jsonb in PostgreSQL. */
export function jsonAt(column: SqlFragment, path: readonly string[], dialect: DialectName): SqlFragment {
  const p = jsonPathParam(path, dialect);
  return dialect === 'sqlite' ? sql`json_extract(${column}, ${p})` : sql`${column} #> ${p}::text[]`;
}

/** JSON type at `path` (SQLite json_type names; PostgreSQL jsonb_typeof names); NULL when absent. */
export function jsonTypeAt(column: SqlFragment, path: readonly string[], dialect: DialectName): SqlFragment {
  const p = jsonPathParam(path, dialect);
  return dialect === 'sqlite' ? sql`json_type(${column}, ${p})` : sql`jsonb_typeof(${column} #> ${p}::text[])`;
}

/**
 * The value at `path` encoded so a reader can recover its JSON type: JSON text in SQLite (`->`), jsonb
 * (parsed by the driver) in PostgreSQL. Used where values are returned or grouped rather than compared.
 * JSON null becomes SQL NULL so it groups with, and is filtered like, a missing key (as in Mongo).
 */
export function jsonEncodedAt(column: SqlFragment, path: readonly string[], dialect: DialectName): SqlFragment {
  const p = jsonPathParam(path, dialect);
  return dialect === 'sqlite' ? sql`NULLIF(${column} -> ${p}, 'null')` : sql`NULLIF(${column} #> ${p}::text[], 'null'::jsonb)`;
}
