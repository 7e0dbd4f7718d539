/**
 * Installs created before duplicate detection lack the key columns. At start, each dedupe class gets the
 * fields and the index if it has no key field (the schema registry may already have added the built-in
 * fields), and rows that have a source value but no key get their keys (in pages, by objectId), so the
 * duplicate check finds old records too. Rows are not flagged retroactively: a flag depends on who writes,
 * and nobody is writing. Idempotent: the next start finds no row without a key and writes nothing.
 */
import { and, type Expr, type FieldRef } from '../query/ast.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { ClassSchema } from '../schema/types.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { DUPLICATE_KEYS, DUPLICATE_OF, type DedupeClass } from './keys.js';

const PAGE = 500;

export async function upgradeDuplicateKeys(
  registry: SchemaRegistry,
  storage: StorageAdapter,
  builtIn: readonly ClassSchema[],
): Promise<void> {
  for (const className of Object.keys(DUPLICATE_KEYS) as DedupeClass[]) {
    const cls = registry.get(className);
    const wanted = builtIn.find((s) => s.className === className);
    const { key } = DUPLICATE_KEYS[className];
    if (!cls || !wanted) continue;
    let upgraded = cls;
    if (!cls.fields.has(key) || !Object.hasOwn(cls.schema.indexes, key)) {
      const fields = { ...cls.schema.fields };
      for (const name of [key, DUPLICATE_OF])
        if (!Object.hasOwn(fields, name) && wanted.fields[name]) fields[name] = wanted.fields[name];
      const indexes = { ...cls.schema.indexes, [key]: { [key]: 1 } };
      upgraded = await registry.save(cls.schema, { ...cls.schema, fields, indexes });
    }
    await backfillKeys(storage, upgraded);
  }
}

export async function backfillKeys(storage: StorageAdapter, cls: CompiledClass): Promise<number> {
  const { source, key, normalize } = DUPLICATE_KEYS[cls.className as DedupeClass];
  const sourceType = cls.fields.get(source)?.type;
  if (sourceType !== 'String') return 0;
  const idRef: FieldRef = { field: 'objectId', type: 'String', path: [] };
  let after = '';
  let filled = 0;
  for (;;) {
    const where: Expr = and(
      { kind: 'exists', ref: { field: source, type: 'String', path: [] }, exists: true },
      { kind: 'exists', ref: { field: key, type: 'String', path: [] }, exists: false },
      { kind: 'compare', ref: idRef, op: 'gt', value: after },
    );
    const rows = await storage.find({
      cls,
      where,
      order: [{ ref: idRef, descending: false }],
      limit: PAGE,
      skip: 0,
      columns: [source],
    });
    if (rows.length === 0) return filled;
    await storage.transaction(async (tx) => {
      for (const row of rows) {
        const value = normalize(row[source]);
        if (value === null) continue;
        await tx.update(cls, row.objectId as string, { kind: 'const', value: true }, { [key]: value });
        filled += 1;
      }
    });
    after = rows[rows.length - 1].objectId as string;
  }
}
