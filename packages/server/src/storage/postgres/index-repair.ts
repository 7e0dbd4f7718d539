/**
 * Brings the declared indexes of every stored class up to date at boot: creates the ones that are missing and
 * rebuilds the ones written before indexes carried Parse's NULL placement (`NULLS FIRST` ascending), which
 * PostgreSQL cannot use for a Parse-ordered page (ddl.ts createIndex). Runs under the migration lock; a
 * database already in shape costs one catalog query.
 */
import type { ClassSchema } from '../../schema/types.js';
import * as ddl from '../sql/ddl.js';
import { sql, type SqlFragment } from '../sql/fragment.js';

export const selectIndexDefinitions = (schemaName: string): SqlFragment =>
  sql`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = ${schemaName}`;

/** The DDL that makes the declared indexes of `schemas` match what createIndex writes today. */
export function planIndexRepair(schemas: readonly ClassSchema[], existing: ReadonlyMap<string, string>): SqlFragment[] {
  const steps: SqlFragment[] = [];
  for (const schema of schemas) {
    for (const [name, keys] of Object.entries(schema.indexes ?? {})) {
      const definition = existing.get(ddl.indexName(schema.className, name));
      const current =
        definition !== undefined &&
        (/NULLS (FIRST|LAST)/.test(definition) || Object.keys(keys).every((k) => ddl.NEVER_NULL.has(k)));
      if (current) continue;
      if (definition !== undefined) steps.push(ddl.dropIndex(schema.className, name));
      steps.push(ddl.createIndex(schema.className, name, keys, false, 'postgres'));
    }
  }
  return steps;
}
