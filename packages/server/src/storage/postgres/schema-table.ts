/**
 * `_SCHEMA`: one row per class holding its definition as JSON text. Text rather than jsonb so a definition
 * reads back with its keys in the order they were written (jsonb reorders them), as in SQLite.
 */
import type { ClassSchema } from '../../schema/types.js';
import { sql, type SqlFragment } from '../sql/fragment.js';

export const createSchemaTable: SqlFragment = sql`CREATE TABLE IF NOT EXISTS "_SCHEMA" ("className" TEXT PRIMARY KEY NOT NULL, "schema" TEXT NOT NULL)`;

export const selectAllSchemas: SqlFragment = sql`SELECT "schema" FROM "_SCHEMA" ORDER BY "className"`;

export const selectSchema = (className: string): SqlFragment =>
  sql`SELECT "schema" FROM "_SCHEMA" WHERE "className" = ${className}`;

export const upsertSchema = (schema: ClassSchema): SqlFragment =>
  sql`INSERT INTO "_SCHEMA" ("className", "schema") VALUES (${schema.className}, ${JSON.stringify(schema)}) ON CONFLICT ("className") DO UPDATE SET "schema" = excluded."schema"`;

export const deleteSchema = (className: string): SqlFragment => sql`DELETE FROM "_SCHEMA" WHERE "className" = ${className}`;
