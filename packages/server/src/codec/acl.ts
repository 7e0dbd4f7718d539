/**
 * ACL JSON ↔ the stored permission lists. `_rperm`/`_wperm` hold the principals allowed to read/write
 * ('*', user ids, 'role:Name'); `_acl` keeps the ACL as the client sees it. An object without an ACL is
 * public: both lists are ['*'].
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { isPlainObject } from './values.js';

export type AclJson = Record<string, { read?: true; write?: true }>;

export interface StoredAcl {
  _acl: string | null;
  _rperm: string[];
  _wperm: string[];
}

export const PUBLIC_ACL: StoredAcl = { _acl: null, _rperm: ['*'], _wperm: ['*'] };

const PRINCIPAL_PATTERN = /^(\*|[A-Za-z0-9]{1,32}|role:[A-Za-z0-9_ -]{1,100})$/;

function invalid(message: string): ParseError {
  return new ParseError(ErrorCode.INVALID_ACL, message);
}

export function parseAcl(value: unknown): StoredAcl {
  if (!isPlainObject(value)) throw invalid('ACL must be an object');
  const acl: AclJson = {};
  const read: string[] = [];
  const write: string[] = [];
  for (const [principal, perms] of Object.entries(value)) {
    if (!PRINCIPAL_PATTERN.test(principal)) throw invalid(`invalid ACL key: ${principal}`);
    if (!isPlainObject(perms)) throw invalid(`invalid permissions for ${principal}`);
    const entry: { read?: true; write?: true } = {};
    for (const [perm, flag] of Object.entries(perms)) {
      if (perm !== 'read' && perm !== 'write') throw invalid(`invalid permission type: ${perm}`);
      if (typeof flag !== 'boolean') throw invalid(`invalid permission value for ${principal}.${perm}`);
      if (flag) entry[perm] = true;
    }
    if (entry.read) read.push(principal);
    if (entry.write) write.push(principal);
    if (entry.read || entry.write) acl[principal] = entry;
  }
  return { _acl: JSON.stringify(acl), _rperm: read, _wperm: write };
}

export function aclToJson(stored: unknown): AclJson | undefined {
  return typeof stored === 'string' ? (JSON.parse(stored) as AclJson) : undefined;
}

/**
 * `derive` memoized by the stored ACL text it reads: every deal a rep creates carries the same ACL, and each
 * derivation is a JSON.parse plus a validation. The results are shared, so callers must not mutate them.
 */
export function memoizedByAclText(derive: (aclText: string) => StoredAcl, size = 1000): (aclText: string) => StoredAcl {
  const cache = new Map<string, StoredAcl>();
  return (aclText) => {
    let acl = cache.get(aclText);
    if (!acl) {
      acl = derive(aclText);
      if (cache.size >= size) cache.clear();
      cache.set(aclText, acl);
    }
    return acl;
  };
}
