/**
 * Class-level permissions: may this caller run `operation` on the class at all, and if only through pointer
 * permissions, which rows. Pure functions of (auth, CLP) so REST, GraphQL and LiveQuery share them.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { FALSE, TRUE, type Expr } from '../query/ast.js';
import type { CompiledClass } from '../schema/compiled.js';
import { principalsOf, type Auth } from './auth.js';

export type ClassOperation = 'find' | 'count' | 'get' | 'create' | 'update' | 'delete' | 'addField';

const READ_OPERATIONS = new Set<ClassOperation>(['find', 'count', 'get']);

export type ClassAccess =
  | { kind: 'granted' }
  /** Only rows whose listed pointer fields point at the caller. */
  | { kind: 'pointer'; fields: string[] }
  | { kind: 'denied'; error: ParseError };

function denied(auth: Auth, operation: ClassOperation, className: string): ClassAccess {
  if (!auth.user) {
    return {
      kind: 'denied',
      error: new ParseError(ErrorCode.OBJECT_NOT_FOUND, 'Permission denied, user needs to be authenticated.'),
    };
  }
  return {
    kind: 'denied',
    error: new ParseError(ErrorCode.OPERATION_FORBIDDEN, `Permission denied for action ${operation} on class ${className}.`),
  };
}

export function classAccess(auth: Auth, cls: CompiledClass, operation: ClassOperation): ClassAccess {
  if (auth.isMaster) return { kind: 'granted' };
  const clp = cls.schema.classLevelPermissions;
  const rule = clp[operation];
  if (rule === undefined) return { kind: 'granted' };
  if (rule['*']) return { kind: 'granted' };
  if (auth.user && rule.requiresAuthentication) return { kind: 'granted' };
  if (principalsOf(auth).some((p) => p !== '*' && rule[p])) return { kind: 'granted' };
  const userFields = READ_OPERATIONS.has(operation)
    ? clp.readUserFields
    : operation === 'create'
      ? undefined
      : clp.writeUserFields;
  const pointerFields = [...((rule.pointerFields as unknown as string[] | undefined) ?? []), ...(userFields ?? [])];
  if (pointerFields.length > 0) {
    if (!auth.user) {
      // Parse answers an anonymous pointer-permission find with an empty list, not an error.
      return READ_OPERATIONS.has(operation) ? { kind: 'pointer', fields: [] } : denied(auth, operation, cls.className);
    }
    return { kind: 'pointer', fields: pointerFields };
  }
  return denied(auth, operation, cls.className);
}

/** Rows a pointer-permission grant covers: any listed field equal to (or, for arrays, containing) the user. */
export function pointerPermissionFilter(auth: Auth, cls: CompiledClass, fields: string[]): Expr {
  if (!auth.user || fields.length === 0) return FALSE;
  const userId = auth.user.objectId;
  const items: Expr[] = fields.map((field) => ({
    kind: 'compare',
    ref: { field, type: cls.fields.get(field)?.type ?? 'Pointer', path: [] },
    op: 'eq',
    value: userId,
  }));
  return items.length === 1 ? items[0] : { kind: 'or', items };
}

export function accessFilter(auth: Auth, cls: CompiledClass, access: ClassAccess): Expr {
  if (access.kind === 'pointer') return pointerPermissionFilter(auth, cls, access.fields);
  return access.kind === 'granted' ? TRUE : FALSE;
}

/** Fields hidden from this caller: the intersection of the protectedFields lists of every entry that applies. */
export function protectedFieldsFor(auth: Auth, cls: CompiledClass): string[] {
  if (auth.isMaster) return [];
  const protectedFields = cls.schema.classLevelPermissions.protectedFields;
  if (!protectedFields) return [];
  const applying = principalsOf(auth);
  if (auth.user) applying.push('authenticated');
  let result: Set<string> | null = null;
  for (const principal of applying) {
    const list = protectedFields[principal];
    if (!list) continue;
    result = result === null ? new Set(list) : new Set(list.filter((f) => result!.has(f)));
  }
  return result ? [...result] : [];
}
