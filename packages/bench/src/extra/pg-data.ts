/**
 * Large data sets for bench:postgres, from the main bench's generator (../dataset.ts: same seeded PRNG, same
 * rows as `npm run bench -- --deals N` would send), with objectIds fixed up front so both servers hold the
 * same rows under the same ids:
 *  - ours: Parse-JSON export files (`<Class>.json` = `{"results":[…]}` of REST objects, `_hashed_password` on
 *    users) loaded by `crm import`, split into part directories so no file outgrows a V8 string;
 *  - parse-server: the same rows bulk-inserted into the tables parse-server created itself, in exactly the
 *    column form its PostgreSQL adapter writes (checked against a row created through its REST API).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Dataset } from '../dataset.js';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(x: number, width: number): string {
  let s = '';
  for (let k = 0; k < width; k++) {
    s = B62[x % 62]! + s;
    x = Math.floor(x / 62);
  }
  return s;
}

/**
 * A 10-character objectId, unique per (prefix, index) and spread like Parse's random ids (a multiplicative
 * bijection on 32 bits, so consecutive rows do not land next to each other in the primary-key index).
 */
export function objectIdFor(prefix: string, index: number): string {
  const spread = Math.imul(index + 1, 0x9e3779b1) >>> 0; // odd multiplier: bijective mod 2^32
  const tail = Math.imul((index + 1) ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;
  return `${prefix}${base62(spread, 6)}${base62(tail % 238_328, 3)}`;
}

export interface Ids {
  admin: string;
  users: string[];
  manager: string;
  companies: (i: number) => string;
  contacts: (i: number) => string;
  deals: (i: number) => string;
  activities: (i: number) => string;
}

export const fixedIds = (data: Dataset): Ids => ({
  admin: objectIdFor('U', 0),
  users: data.users.map((_, i) => objectIdFor('U', i + 1)),
  manager: objectIdFor('U', data.users.length + 1),
  companies: (i) => objectIdFor('C', i),
  contacts: (i) => objectIdFor('P', i),
  deals: (i) => objectIdFor('D', i),
  activities: (i) => objectIdFor('A', i),
});

export const MANAGER = { username: 'manager01', email: 'manager01@bench.example', password: 'bench-pass-manager' };

const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
const date = (iso: string) => ({ __type: 'Date', iso });
/** What the main bench's seed gives shared records. */
const TEAM_READABLE = { '*': { read: true } };
/** The ACL our CRM policy gives a rep's own deal or activity (docs/SECURITY.md). */
export const policyAcl = (ownerId: string) => ({
  [ownerId]: { read: true, write: true },
  'role:managers': { read: true },
  'role:admins': { read: true, write: true },
});

export interface ExportPlan {
  /** Directories to pass to `crm import`, in order. */
  parts: string[];
  rows: number;
  perClass: Record<string, number>;
}

/** Streams `{"results":[…]}` files; each class is cut into `chunk`-row pieces, piece k going to part k. */
export function writeExportFiles(
  root: string,
  data: Dataset,
  ids: Ids,
  hashes: { admin: string; users: string[]; manager: string },
  options: { chunk: number; activities: boolean; timestamp: string },
): ExportPlan {
  const perClass: Record<string, number> = {};
  const parts = new Set<string>();
  const ts = options.timestamp;
  const writeClass = (className: string, count: number, rowOf: (i: number) => object) => {
    perClass[className] = count;
    for (let start = 0, part = 0; start < count; start += options.chunk, part++) {
      const dir = join(root, `part-${String(part).padStart(3, '0')}`);
      mkdirSync(dir, { recursive: true });
      parts.add(dir);
      const fd = openSync(join(dir, `${className}.json`), 'w');
      try {
        writeSync(fd, '{"results":[');
        const end = Math.min(count, start + options.chunk);
        let buffer: string[] = [];
        for (let i = start; i < end; i++) {
          buffer.push(`${i === start ? '\n' : ',\n'}${JSON.stringify({ ...rowOf(i), createdAt: ts, updatedAt: ts })}`);
          if (buffer.length === 5_000) {
            writeSync(fd, buffer.join(''));
            buffer = [];
          }
        }
        writeSync(fd, `${buffer.join('')}\n]}\n`);
      } finally {
        closeSync(fd);
      }
    }
  };
  const user = (objectId: string, spec: { username: string; email: string }, hash: string) => ({
    objectId,
    username: spec.username,
    email: spec.email,
    _hashed_password: hash,
    ACL: { '*': { read: true }, [objectId]: { read: true, write: true } },
  });
  const users = [
    user(ids.admin, data.admin, hashes.admin),
    ...data.users.map((spec, i) => user(ids.users[i]!, spec, hashes.users[i]!)),
    user(ids.manager, MANAGER, hashes.manager),
  ];
  writeClass('_User', users.length, (i) => users[i]!);
  writeClass('Company', data.companies.length, (i) => ({
    objectId: ids.companies(i),
    ...data.companies[i]!,
    ACL: TEAM_READABLE,
  }));
  writeClass('Contact', data.contacts.length, (i) => {
    const c = data.contacts[i]!;
    return {
      objectId: ids.contacts(i),
      name: c.name,
      email: c.email,
      phone: c.phone,
      company: pointer('Company', ids.companies(c.company)),
      ACL: TEAM_READABLE,
    };
  });
  writeClass('Deal', data.deals.length, (i) => {
    const d = data.deals[i]!;
    const owner = ids.users[d.owner]!;
    return {
      objectId: ids.deals(i),
      title: d.title,
      amount: d.amount,
      stage: d.stage,
      expectedCloseDate: date(d.expectedCloseDate),
      contact: pointer('Contact', ids.contacts(d.contact)),
      company: pointer('Company', ids.companies(d.company)),
      assignedTo: pointer('_User', owner),
      ACL: policyAcl(owner),
    };
  });
  if (options.activities) {
    writeClass('Activity', data.activities.length, (i) => {
      const a = data.activities[i]!;
      const owner = ids.users[data.deals[a.deal]!.owner]!;
      return {
        objectId: ids.activities(i),
        type: a.type,
        subject: a.subject,
        dueDate: date(a.dueDate),
        relatedTo: pointer('Deal', ids.deals(a.deal)),
        createdBy: pointer('_User', owner),
        ACL: policyAcl(owner),
      };
    });
  }
  const rows = Object.values(perClass).reduce((a, b) => a + b, 0);
  return { parts: [...parts].sort(), rows, perClass };
}

// ------------------------------------------------------------------------------- parse-server tables

export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A column of a bulk insert: SQL type of the unnest array, and the value of row i. */
interface Column {
  name: string;
  type: string;
  value: (i: number) => unknown;
  /** SQL over the unnested value `v` when the stored form is derived (permission arrays). */
  expr?: (v: string) => string;
}

const BULK_ROWS = 10_000;

/**
 * INSERT … SELECT FROM unnest(arrays) in 10,000-row statements: one round trip per 10,000 rows, the row values
 * exactly what parse-server's adapter writes (text objectId, timestamptz dates, text pointers, text[] _rperm/_wperm).
 */
async function bulkInsert(
  client: SqlClient,
  table: string,
  count: number,
  columns: Column[],
  onProgress?: (n: number) => void,
): Promise<void> {
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const selects = columns.map((c, k) => (c.expr ? c.expr(`u.c${k}`) : `u.c${k}`)).join(', ');
  const unnest = columns.map((c, k) => `$${k + 1}::${c.type}[]`).join(', ');
  const aliases = columns.map((_, k) => `c${k}`).join(', ');
  const text = `INSERT INTO "${table}" (${names}) SELECT ${selects} FROM unnest(${unnest}) AS u(${aliases})`;
  for (let start = 0; start < count; start += BULK_ROWS) {
    const end = Math.min(count, start + BULK_ROWS);
    const arrays = columns.map((c) => {
      const values = new Array(end - start);
      for (let i = start; i < end; i++) values[i - start] = c.value(i);
      return values;
    });
    await client.query(text, arrays);
    onProgress?.(end - start);
  }
}

/** `_rperm`/`_wperm` of policyAcl(owner), in the order parse-server derives them from the ACL's keys. */
const policyRead = (v: string) => `ARRAY[${v}, 'role:managers', 'role:admins']::text[]`;
const policyWrite = (v: string) => `ARRAY[${v}, 'role:admins']::text[]`;
const teamRead = () => `ARRAY['*']::text[]`;
const noWrite = () => `ARRAY[]::text[]`;

export async function bulkLoadParseServer(
  client: SqlClient,
  data: Dataset,
  ids: Ids,
  userIds: string[],
  options: { activities: boolean; timestamp: string },
  log: (line: string) => void,
): Promise<Record<string, { rows: number; seconds: number }>> {
  const timing: Record<string, { rows: number; seconds: number }> = {};
  const ts = options.timestamp;
  const timed = async (table: string, count: number, columns: Column[]) => {
    const t0 = performance.now();
    await bulkInsert(client, table, count, columns);
    const seconds = (performance.now() - t0) / 1000;
    timing[table] = { rows: count, seconds };
    log(`  parse-server: ${table} ${count} rows in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} rows/s)`);
  };
  const base = (idOf: (i: number) => string): Column[] => [
    { name: 'objectId', type: 'text', value: idOf },
    { name: 'createdAt', type: 'timestamptz', value: () => ts },
    { name: 'updatedAt', type: 'timestamptz', value: () => ts },
  ];
  await timed('Company', data.companies.length, [
    ...base(ids.companies),
    { name: '_rperm', type: 'text', value: () => '', expr: teamRead },
    { name: '_wperm', type: 'text', value: () => '', expr: noWrite },
    { name: 'name', type: 'text', value: (i) => data.companies[i]!.name },
    { name: 'website', type: 'text', value: (i) => data.companies[i]!.website },
    { name: 'industry', type: 'text', value: (i) => data.companies[i]!.industry },
    { name: 'address', type: 'text', value: (i) => data.companies[i]!.address },
  ]);
  await timed('Contact', data.contacts.length, [
    ...base(ids.contacts),
    { name: '_rperm', type: 'text', value: () => '', expr: teamRead },
    { name: '_wperm', type: 'text', value: () => '', expr: noWrite },
    { name: 'name', type: 'text', value: (i) => data.contacts[i]!.name },
    { name: 'email', type: 'text', value: (i) => data.contacts[i]!.email },
    { name: 'phone', type: 'text', value: (i) => data.contacts[i]!.phone },
    { name: 'company', type: 'text', value: (i) => ids.companies(data.contacts[i]!.company) },
  ]);
  const dealOwner = (i: number) => userIds[data.deals[i]!.owner]!;
  await timed('Deal', data.deals.length, [
    ...base(ids.deals),
    { name: '_rperm', type: 'text', value: dealOwner, expr: policyRead },
    { name: '_wperm', type: 'text', value: dealOwner, expr: policyWrite },
    { name: 'title', type: 'text', value: (i) => data.deals[i]!.title },
    { name: 'amount', type: 'float8', value: (i) => data.deals[i]!.amount },
    { name: 'stage', type: 'text', value: (i) => data.deals[i]!.stage },
    { name: 'expectedCloseDate', type: 'timestamptz', value: (i) => data.deals[i]!.expectedCloseDate },
    { name: 'contact', type: 'text', value: (i) => ids.contacts(data.deals[i]!.contact) },
    { name: 'company', type: 'text', value: (i) => ids.companies(data.deals[i]!.company) },
    { name: 'assignedTo', type: 'text', value: dealOwner },
  ]);
  if (options.activities) {
    const owner = (i: number) => userIds[data.deals[data.activities[i]!.deal]!.owner]!;
    await timed('Activity', data.activities.length, [
      ...base(ids.activities),
      { name: '_rperm', type: 'text', value: owner, expr: policyRead },
      { name: '_wperm', type: 'text', value: owner, expr: policyWrite },
      { name: 'type', type: 'text', value: (i) => data.activities[i]!.type },
      { name: 'subject', type: 'text', value: (i) => data.activities[i]!.subject },
      { name: 'dueDate', type: 'timestamptz', value: (i) => data.activities[i]!.dueDate },
      { name: 'relatedTo', type: 'text', value: (i) => ids.deals(data.activities[i]!.deal) },
      { name: 'createdBy', type: 'text', value: owner },
    ]);
  }
  return timing;
}

/** One short-lived connection for setup and inspection statements. */
export async function pgClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
