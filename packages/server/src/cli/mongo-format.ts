/**
 * Parse Server on MongoDB (and Back4app's exports of it) stores objects in its own shape: `_id`,
 * `_created_at`, pointers as `_p_<field>: "Class$id"`, ACLs as `_acl` with r/w flags (or only the
 * `_rperm`/`_wperm` lists), MongoDB Extended JSON for dates and numbers. This turns such a document into
 * the REST form the importer validates. Session tokens and other internal state are dropped.
 */
import { isPlainObject } from '../codec/values.js';

type Doc = Record<string, unknown>;

/** Internal columns worth carrying; every other `_`-prefixed key is MongoDB-only state. */
const KEPT_INTERNAL = new Set(['_hashed_password']);

export function isMongoShaped(rows: readonly unknown[]): boolean {
  const first = rows.find(isPlainObject);
  return first !== undefined && '_id' in first && !('objectId' in first);
}

/** `{"$date": …}` (relaxed or canonical Extended JSON), or an ISO string → canonical ISO, else null. */
function isoOf(value: unknown): string | null {
  let raw = value;
  if (isPlainObject(raw) && '$date' in raw) raw = raw.$date;
  if (isPlainObject(raw) && typeof raw.$numberLong === 'string') raw = Number(raw.$numberLong);
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const time = typeof raw === 'number' ? raw : Date.parse(raw);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Extended JSON scalars → plain values, recursively (nested Objects and Arrays may hold them too). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (!isPlainObject(value)) return value;
  if ('$date' in value) {
    const iso = isoOf(value);
    return iso ? { __type: 'Date', iso } : value;
  }
  for (const key of ['$numberInt', '$numberLong', '$numberDouble', '$numberDecimal']) {
    if (typeof value[key] === 'string') return Number(value[key]);
  }
  if (typeof value.$oid === 'string') return value.$oid;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

function aclOf(doc: Doc): Record<string, { read?: boolean; write?: boolean }> | undefined {
  if (isPlainObject(doc._acl)) {
    const acl: Record<string, { read?: boolean; write?: boolean }> = {};
    for (const [principal, flags] of Object.entries(doc._acl)) {
      if (!isPlainObject(flags)) continue;
      const entry: { read?: boolean; write?: boolean } = {};
      if (flags.r === true) entry.read = true;
      if (flags.w === true) entry.write = true;
      acl[principal] = entry;
    }
    return acl;
  }
  if (!Array.isArray(doc._rperm) && !Array.isArray(doc._wperm)) return undefined;
  const acl: Record<string, { read?: boolean; write?: boolean }> = {};
  for (const principal of Array.isArray(doc._rperm) ? doc._rperm : [])
    acl[String(principal)] = { ...acl[String(principal)], read: true };
  for (const principal of Array.isArray(doc._wperm) ? doc._wperm : [])
    acl[String(principal)] = { ...acl[String(principal)], write: true };
  return acl;
}

/**
 * One MongoDB document → REST form. `dateFields` are the class's Date fields: some exports write them as
 * plain ISO strings, which only the schema can tell apart from String values.
 */
export function fromMongoDocument(doc: Doc, dateFields: ReadonlySet<string> = new Set()): Doc {
  const out: Doc = { objectId: typeof doc._id === 'string' ? doc._id : plain(doc._id) };
  const created = isoOf(doc._created_at);
  const updated = isoOf(doc._updated_at);
  if (created) out.createdAt = created;
  if (updated) out.updatedAt = updated;
  const acl = aclOf(doc);
  if (acl) out.ACL = acl;
  const authData: Doc = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith('_p_')) {
      const text = String(value ?? '');
      const at = text.indexOf('$');
      if (at > 0) out[key.slice(3)] = { __type: 'Pointer', className: text.slice(0, at), objectId: text.slice(at + 1) };
    } else if (key.startsWith('_auth_data_')) {
      authData[key.slice('_auth_data_'.length)] = plain(value);
    } else if (KEPT_INTERNAL.has(key)) {
      out[key] = value;
    } else if (!key.startsWith('_')) {
      const iso = dateFields.has(key) && typeof value === 'string' ? isoOf(value) : null;
      out[key] = iso ? { __type: 'Date', iso } : plain(value);
    }
  }
  if (Object.keys(authData).length && out.authData === undefined) out.authData = authData;
  return out;
}
