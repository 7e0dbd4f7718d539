/**
 * Write hooks for Contact and Company: every write that sets the email/website also stores its normalized
 * key (an indexed column), and a create — or an update that changes the key — is flagged with `duplicateOf`,
 * a pointer to the oldest object with the same key **that the writer can read**. The lookup uses the writer's
 * own read filter, so the flag never reveals an object the writer could not find through REST; managers and
 * admins, who read everything, get flags across all reps. It runs inside the write's transaction.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { isPlainObject } from '../codec/values.js';
import { and, type Expr } from '../query/ast.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import type { StorageTx } from '../storage/adapter.js';
import type { Auth } from '../security/auth.js';
import { readContextFor } from '../security/read-access.js';
import type { ClassHooks } from '../service/write-hooks.js';
import { DUPLICATE_KEYS, DUPLICATE_OF, type DedupeClass } from './keys.js';

const compare = (field: string, op: 'eq' | 'ne', value: string): Expr => ({
  kind: 'compare',
  ref: { field, type: 'String', path: [] },
  op,
  value,
});

/** Clients may dismiss a flag (null or Delete) but never point it somewhere: the server decides what is a duplicate. */
function refuseForgedFlag(auth: Auth, body: Record<string, unknown>): void {
  if (auth.isMaster || !(DUPLICATE_OF in body)) return;
  const value = body[DUPLICATE_OF];
  if (value === null || (isPlainObject(value) && value.__op === 'Delete')) return;
  throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, `${DUPLICATE_OF} is set by the server; clients may only clear it.`);
}

/** The oldest object the writer can read with this key, other than `self`; null when there is none. */
export async function findOriginal(
  auth: Auth,
  cls: CompiledClass,
  db: StorageTx,
  schema: SchemaLookup,
  key: string,
  self: string,
): Promise<string | null> {
  const { key: keyField, source } = DUPLICATE_KEYS[cls.className as DedupeClass];
  const ctx = readContextFor(auth, db, schema, 'find');
  if (!ctx.canReadClass(cls)) return null;
  const hidden = ctx.hiddenFields(cls);
  // A writer who may not see the compared field must not learn about matches on it either.
  if (hidden.includes(source) || hidden.includes(keyField)) return null;
  const [row] = await db.find({
    cls,
    where: and(compare(keyField, 'eq', key), compare('objectId', 'ne', self), ctx.readFilter(cls)),
    order: [{ ref: { field: 'createdAt', type: 'Date', path: [] }, descending: false }],
    limit: 1,
    skip: 0,
    columns: [],
  });
  return row ? (row.objectId as string) : null;
}

export function duplicateHooks(className: DedupeClass, schema: SchemaLookup): ClassHooks {
  const { source, key, normalize } = DUPLICATE_KEYS[className];
  return {
    transactional: true,
    echo: [DUPLICATE_OF],
    columns: [key, DUPLICATE_OF],
    prepare(auth, _cls, body) {
      // The key is derived from the source field, whoever writes.
      delete body[key];
      refuseForgedFlag(auth, body);
      return {};
    },
    async beforeCreate(auth, cls, write, objectId, db) {
      const value = normalize(write.values[source]);
      write.values[key] = value;
      if (value && write.values[DUPLICATE_OF] == null) {
        write.values[DUPLICATE_OF] = await findOriginal(auth, cls, db, schema, value, objectId);
      }
    },
    async beforeUpdate(auth, cls, write, current, tx) {
      if (!(source in write.values)) return;
      const value = normalize(write.values[source]);
      write.values[key] = value;
      if (value === (current[key] ?? null) || DUPLICATE_OF in write.values) return;
      write.values[DUPLICATE_OF] = value ? await findOriginal(auth, cls, tx, schema, value, current.objectId as string) : null;
    },
  };
}
