/**
 * ACL decisions. Reads are filtered inside SQL (readFilter → a readableBy node compiled against _rperm);
 * single-object writes and in-memory checks (LiveQuery) use the same principal set through canAccess.
 */
import { TRUE, type Expr } from '../query/ast.js';
import { principalsOf, type Auth } from './auth.js';
import { decodePermissionList } from '../storage/sql/permission-list.js';

export function readFilter(auth: Auth): Expr {
  return auth.isMaster ? TRUE : { kind: 'readableBy', principals: principalsOf(auth) };
}

/** `perms` is a stored _rperm/_wperm list, in either backend's form. */
export function canAccess(auth: Auth, perms: unknown): boolean {
  if (auth.isMaster) return true;
  const list = decodePermissionList(perms);
  if (list.includes('*')) return true;
  return principalsOf(auth).some((p) => list.includes(p));
}
