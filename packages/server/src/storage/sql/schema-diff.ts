/**
 * Turns a class definition change into DDL steps. Used at boot for the built-in classes and by the Schema
 * API; every step is idempotent (IF NOT EXISTS), so a retried or concurrent migration is harmless.
 */
import { compileClass, joinTableName } from '../../schema/compiled.js';
import type { ClassSchema } from '../../schema/types.js';
import * as ddl from './ddl.js';
import type { DialectName, SqlFragment } from './fragment.js';

/** Unique lookups Parse guarantees on system classes, through lower-cased shadow columns. */
const UNIQUE_INDEXES: Record<string, Record<string, Record<string, number>>> = {
  _User: { username_lower: { _username_lower: 1 }, email_lower: { _email_lower: 1 } },
  _Role: { name: { name: 1 } },
  _Session: { token: { _session_token_hash: 1 } },
};

export function planSchemaChange(previous: ClassSchema | undefined, next: ClassSchema, dialect: DialectName): SqlFragment[] {
  const steps: SqlFragment[] = [];
  const nextCls = compileClass(next);
  if (!previous) {
    steps.push(ddl.createTable(next, dialect));
    for (const [name, keys] of Object.entries(UNIQUE_INDEXES[next.className] ?? {})) {
      steps.push(ddl.createIndex(next.className, name, keys, true, dialect));
    }
    steps.push(ddl.createIndex(next.className, 'updatedAt', { updatedAt: 1 }, false, dialect));
    steps.push(ddl.createIndex(next.className, 'createdAt', { createdAt: 1 }, false, dialect));
  } else {
    const prevCls = compileClass(previous);
    // Indexes go first: SQLite refuses to drop a column an index still names.
    for (const name of Object.keys(previous.indexes)) {
      if (!Object.hasOwn(next.indexes, name)) steps.push(ddl.dropIndex(next.className, name));
    }
    for (const field of nextCls.columnFields) {
      if (!prevCls.fields.has(field)) steps.push(ddl.addColumn(next.className, field, nextCls.fields.get(field)!, dialect));
    }
    for (const field of prevCls.columnFields) {
      if (!nextCls.fields.has(field)) steps.push(ddl.dropColumn(next.className, field, dialect));
    }
    for (const field of prevCls.relationFields) {
      if (!nextCls.fields.has(field)) steps.push(ddl.dropTable(joinTableName(next.className, field)));
    }
  }
  for (const field of nextCls.relationFields) {
    const table = joinTableName(next.className, field);
    steps.push(ddl.createJoinTable(table, dialect), ddl.joinTableReverseIndex(table));
  }
  for (const [name, keys] of Object.entries(next.indexes))
    steps.push(ddl.createIndex(next.className, name, keys, false, dialect));
  return steps;
}
