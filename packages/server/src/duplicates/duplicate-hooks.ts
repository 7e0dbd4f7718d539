/**
 * Write hooks for Contact and Company: every write that sets the email/website also stores its normalized
 * key (an indexed column), and a create — or an update that changes the key — is flagged with `duplicateOf`,
 * a pointer to the oldest object with the same key **that the writer can read**. The lookup uses the writer's
 * own read filter, so the flag never reveals an object the writer could not find through REST; managers and
 * admins, who read everything, get flags across all reps. It runs inside the write's transaction.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
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

/**
 * What a client may write to duplicateOf: null/Delete (dismiss the flag), or a pointer to an object it can read
 * that has the same key (mark a duplicate by hand; merges repoint flags this way). Anything else is 119, so a
 * client can never use the flag to probe for objects or to point at records it cannot see.
 */
async function checkClientFlag(
  auth: Auth,
  cls: CompiledClass,
  db: StorageTx,
  schema: SchemaLookup,
  flag: unknown,
  ownKey: string | null,
  self: string,
): Promise<void> {
  if (auth.isMaster || flag == null) return;
  const { key } = DUPLICATE_KEYS[cls.className as DedupeClass];
  const ctx = readContextFor(auth, db, schema, 'get');
  const [target] =
    ownKey && typeof flag === 'string' && flag !== self
      ? await db.find({
          cls,
          where: and(compare('objectId', 'eq', flag), ctx.readFilter(cls)),
          order: [],
          limit: 1,
          skip: 0,
          columns: [key],
        })
      : [];
  if (!target || target[key] !== ownKey)
    throw new ParseError(
      ErrorCode.OPERATION_FORBIDDEN,
      `${DUPLICATE_OF} must point at a readable ${cls.className} with the same ${key}.`,
    );
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

const flagPointer = (cls: CompiledClass, objectId: string) => ({ __type: 'Pointer', className: cls.className, objectId });

export function duplicateHooks(className: DedupeClass, schema: SchemaLookup): ClassHooks {
  const { source, key, normalize } = DUPLICATE_KEYS[className];
  return {
    transactional: true,
    columns: [key, DUPLICATE_OF],
    prepare(auth, _cls, body) {
      // The key is derived from the source field, whoever writes.
      delete body[key];
      return {};
    },
    async beforeCreate(auth, cls, write, objectId, db) {
      if (!cls.fields.has(key)) return; // the Schema API removed it; nothing to keep up to date
      const value = normalize(write.values[source]);
      write.values[key] = value;
      await checkClientFlag(auth, cls, db, schema, write.values[DUPLICATE_OF], value, objectId);
      if (value && write.values[DUPLICATE_OF] == null) {
        const original = await findOriginal(auth, cls, db, schema, value, objectId);
        write.values[DUPLICATE_OF] = original;
        // Echoed in the create's response, so the SDK's object carries the flag right after save().
        if (original) write.echo = { ...write.echo, [DUPLICATE_OF]: flagPointer(cls, original) };
      }
    },
    async beforeUpdate(auth, cls, write, current, tx) {
      if (!cls.fields.has(key)) return;
      const value = source in write.values ? normalize(write.values[source]) : ((current[key] as string | null) ?? null);
      if (source in write.values) write.values[key] = value;
      const self = current.objectId as string;
      if (DUPLICATE_OF in write.values) return checkClientFlag(auth, cls, tx, schema, write.values[DUPLICATE_OF], value, self);
      if (!(source in write.values) || value === (current[key] ?? null)) return;
      write.values[DUPLICATE_OF] = value ? await findOriginal(auth, cls, tx, schema, value, current.objectId as string) : null;
    },
  };
}
