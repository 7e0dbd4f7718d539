/**
 * Builds the ReadContext for a caller: the single place where ACLs, class-level permissions, pointer
 * permissions and protected fields combine for reads. find, get, count, include and sub-queries use it.
 */
import { and, type Expr } from '../query/ast.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import type { StorageTx } from '../storage/adapter.js';
import type { ReadContext } from '../service/read-context.js';
import type { Auth } from './auth.js';
import { readFilter } from './acl-check.js';
import { accessFilter, classAccess, protectedFieldsFor, type ClassOperation } from './class-permissions.js';

export function readContextFor(
  auth: Auth,
  storage: StorageTx,
  schema: SchemaLookup,
  operation: ClassOperation = 'get',
): ReadContext {
  const aclFilter = readFilter(auth);
  return {
    storage,
    schema,
    readFilter(cls: CompiledClass): Expr {
      return and(aclFilter, accessFilter(auth, cls, classAccess(auth, cls, operation)));
    },
    canReadClass(cls: CompiledClass): boolean {
      return classAccess(auth, cls, operation).kind !== 'denied';
    },
    hiddenFields(cls: CompiledClass): readonly string[] {
      return protectedFieldsFor(auth, cls);
    },
    present(cls, object) {
      const hidden = protectedFieldsFor(auth, cls);
      if (hidden.length === 0) return object;
      if (cls.className === '_User' && auth.user?.objectId === object.objectId) return object;
      for (const field of hidden) delete object[field];
      return object;
    },
  };
}

/** Throws the Parse error for a class-level denial; returns the row filter the grant implies. */
export function requireClassAccess(auth: Auth, cls: CompiledClass, operation: ClassOperation): Expr {
  const access = classAccess(auth, cls, operation);
  if (access.kind === 'denied') throw access.error;
  return accessFilter(auth, cls, access);
}
