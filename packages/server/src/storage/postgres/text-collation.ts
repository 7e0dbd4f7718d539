/**
 * Strings compare and sort by code point in SQLite (BINARY) and in Parse on MongoDB, but PostgreSQL text
 * follows the database's collation: under en_US and the like 'a' sorts before 'B', `$gt`/`$lt` on strings
 * change meaning, and LIKE prefix matches cannot use a plain b-tree index. Until ddl.ts declares the text
 * columns COLLATE "C" itself, the class table's text columns are switched to it after each migration. For a
 * new table or a newly added (all-NULL) column this is cheap: text to text needs no rewrite, only the
 * column's indexes are rebuilt.
 */
import { ident, join, quoteIdent, sql, type SqlFragment } from '../sql/fragment.js';

export const textColumnsNotInC = (table: string): SqlFragment =>
  sql`SELECT a.attname AS "column" FROM pg_attribute a JOIN pg_collation coll ON coll.oid = a.attcollation WHERE a.attrelid = to_regclass(${quoteIdent(table)}) AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'text'::regtype AND coll.collname <> 'C'`;

export const collateInC = (table: string, columns: readonly string[]): SqlFragment =>
  sql`ALTER TABLE ${ident(table)} ${join(columns.map((column) => sql`ALTER COLUMN ${ident(column)} TYPE text COLLATE "C"`))}`;
