/**
 * DDL only the PostgreSQL adapter needs beyond the shared statements in storage/sql/ddl.ts.
 */
import { indexName } from '../sql/ddl.js';
import { ident, sql, type SqlFragment } from '../sql/fragment.js';

export const schemaExists = (schemaName: string): SqlFragment => sql`SELECT 1 FROM pg_namespace WHERE nspname = ${schemaName}`;

export const createSchema = (schemaName: string): SqlFragment => sql`CREATE SCHEMA ${ident(schemaName)}`;

/**
 * Read filtering compiles to `_rperm && $principals`, which a GIN index on the text[] answers without
 * scanning the table, so every class table gets one.
 */
export const readPermissionIndex = (className: string): SqlFragment =>
  sql`CREATE INDEX IF NOT EXISTS ${ident(indexName(className, '_rperm'))} ON ${ident(className)} USING GIN (${ident('_rperm')})`;
