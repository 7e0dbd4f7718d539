/**
 * How principal lists (`_rperm`, `_wperm`) are stored. PostgreSQL keeps a text[] (GIN-indexed). SQLite keeps
 * `,*,u1,role:managers,` text: membership is an `instr` call that SQLite evaluates inside an index carrying the
 * column (every SQLite index does, see ddl.ts), so an ACL-filtered page or count never visits the table and
 * never parses JSON. Principals never contain commas (codec/acl.ts).
 */
export const encodePermissionList = (principals: readonly string[]): string => `,${principals.join(',')},`;

/** `,p,` — the needle for one principal. */
export const permissionNeedle = (principal: string): string => `,${principal},`;

/** Any stored form → the list: a text[] from PostgreSQL, `,a,b,` text from SQLite, or JSON text (older rows). */
export function decodePermissionList(stored: unknown): string[] {
  if (Array.isArray(stored)) return stored as string[];
  if (typeof stored !== 'string') return [];
  if (stored.startsWith('[')) return JSON.parse(stored) as string[];
  return stored.split(',').filter(Boolean);
}
