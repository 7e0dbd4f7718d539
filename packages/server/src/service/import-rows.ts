/**
 * One imported object → the row storage keeps, checked exactly as a create checks its body (decodeWrite:
 * field types, pointers, ACL; then required fields), plus what a create's hooks would have derived: the
 * lower-cased login columns of a user. Pure; import-service.ts decides what to do with the rows.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { decodeWrite } from '../codec/write-body.js';
import { PUBLIC_ACL } from '../codec/acl.js';
import { OBJECT_ID_PATTERN, isPlainObject } from '../codec/values.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { Row } from '../storage/adapter.js';
import { DUPLICATE_KEYS, isDedupeClass } from '../duplicates/keys.js';
import { ROLE_NAME_PATTERN } from '../auth/role-hooks.js';

/** Internal columns that move with a row; everything else internal (tokens, lockout state) stays behind. */
const PORTABLE_INTERNAL: Record<string, ReadonlySet<string>> = { _User: new Set(['_hashed_password']) };

/** A REST object → the body decodeWrite takes, plus the portable internal columns. */
export function splitObject(
  className: string,
  object: unknown,
): { objectId: string; body: Record<string, unknown>; internal: Row } {
  if (!isPlainObject(object)) throw new ParseError(ErrorCode.INVALID_JSON, 'a row must be a JSON object');
  const objectId = object.objectId;
  if (typeof objectId !== 'string' || !OBJECT_ID_PATTERN.test(objectId))
    throw new ParseError(ErrorCode.MISSING_OBJECT_ID, 'a row needs an objectId of letters and digits');
  const body: Record<string, unknown> = {};
  const internal: Row = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'objectId') continue;
    if (PORTABLE_INTERNAL[className]?.has(key)) internal[key] = value;
    else if (key === 'password' && className === '_User')
      throw new ParseError(
        ErrorCode.OPERATION_FORBIDDEN,
        'clear-text passwords are not imported; export _hashed_password instead',
      );
    else if (key.startsWith('_') || key === 'sessionToken') continue;
    else if (isPlainObject(value) && value.__type === 'Relation') continue;
    else if ((key === 'createdAt' || key === 'updatedAt') && typeof value === 'string')
      body[key] = { __type: 'Date', iso: value };
    else body[key] = value;
  }
  return { objectId, body, internal };
}

export function toRow(cls: CompiledClass, object: unknown): Row {
  const { objectId, body, internal } = splitObject(cls.className, object);
  const decoded = decodeWrite(cls, body, { mode: 'create', isMaster: true });
  if (decoded.ops.size || decoded.relations.length)
    throw new ParseError(ErrorCode.INVALID_JSON, 'operations (__op) have no place in an import');
  if (Object.keys(decoded.newFields).length)
    throw new ParseError(ErrorCode.INCORRECT_TYPE, `cannot type the new fields ${Object.keys(decoded.newFields).join(', ')}`);
  const now = new Date().toISOString();
  const { createdAt, updatedAt } = decoded.timestamps;
  const acl = decoded.acl ?? PUBLIC_ACL;
  const row: Row = {
    ...decoded.values,
    ...internal,
    objectId,
    createdAt: createdAt ?? updatedAt ?? now,
    updatedAt: updatedAt ?? createdAt ?? now,
    _acl: acl._acl,
    _rperm: acl._rperm,
    _wperm: acl._wperm,
  };
  for (const field of cls.requiredFields) {
    if (row[field] == null || row[field] === '') throw new ParseError(ErrorCode.VALIDATION_ERROR, `${field} is required`);
  }
  if (cls.className === '_User') addUserColumns(row);
  // Duplicate keys are derived, whatever the file says (a foreign export has none).
  if (isDedupeClass(cls.className)) {
    const { source, key, normalize } = DUPLICATE_KEYS[cls.className];
    if (cls.fields.has(key)) row[key] = normalize(row[source]);
  }
  if (cls.className === '_Role' && (typeof row.name !== 'string' || !ROLE_NAME_PATTERN.test(row.name))) {
    throw new ParseError(ErrorCode.INVALID_ROLE_NAME, 'a role needs a name of letters, digits, _, - and spaces');
  }
  return row;
}

/** The lower-cased shadow columns behind case-insensitive login and uniqueness, and a sane password hash. */
function addUserColumns(row: Row): void {
  if (typeof row.username !== 'string' || row.username.trim() === '')
    throw new ParseError(ErrorCode.USERNAME_MISSING, 'bad or missing username');
  row._username_lower = row.username.toLowerCase();
  if (typeof row.email === 'string') row._email_lower = row.email.toLowerCase();
  const hash = row._hashed_password;
  if (hash !== undefined && (typeof hash !== 'string' || !/^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash))) {
    throw new ParseError(ErrorCode.VALIDATION_ERROR, '_hashed_password is not a bcrypt hash');
  }
}
