/**
 * The matcher against the SQL compiler: thousands of seeded random `where` clauses over a few hundred random
 * objects, each answered by compiled SQL on SQLite and on PostgreSQL (through the real adapters) and by the
 * matcher on the rows those adapters read back, which must select exactly the same objects. The generator
 * and the areas it stays out of are in differential-cases.ts. Set LQ_DIFF_SEED to explore other seeds.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, TRUE, type Expr } from '../query/ast.js';
import { parseWhere } from '../query/parse-where.js';
import { compileClass, type SchemaLookup } from '../schema/compiled.js';
import type { Row, StorageAdapter } from '../storage/adapter.js';
import { PostgresAdapter } from '../storage/postgres/postgres-adapter.js';
import { SqliteAdapter } from '../storage/sqlite/sqlite-adapter.js';
import {
  DIFF_CLASS,
  generateObjects,
  generatePrincipals,
  generateWhere,
  seededRng,
  type DiffObject,
} from './differential-cases.js';
import { compileMatcher } from './matcher.js';

const SEED = Number(process.env.LQ_DIFF_SEED ?? 20_240_601);
const OBJECTS = 200;
const CLAUSES = 3000;
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Mismatches printed in full; the count of all of them is asserted. */
const SHOWN = 5;

async function postgresReachable(): Promise<boolean> {
  const client = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const reachable = await postgresReachable();
if (!reachable) console.log(`PostgreSQL unreachable at ${DATABASE_URL}: skipping the PostgreSQL differential test`);

const cls = compileClass(DIFF_CLASS);
const schema: SchemaLookup = { get: (name) => (name === cls.className ? cls : undefined) };

interface Case {
  where: Record<string, unknown>;
  /** A readableBy condition ANDed to the parsed where, as the security layer adds one. */
  readableBy?: string[];
  expr: Expr;
}

const rng = seededRng(SEED);
const objects = generateObjects(rng, OBJECTS);
const cases: Case[] = Array.from({ length: CLAUSES }, () => {
  const where = generateWhere(rng);
  const readableBy = rng() < 0.15 ? generatePrincipals(rng) : undefined;
  const parsed = parseWhere(where, cls, schema);
  return { where, readableBy, expr: readableBy ? and(parsed, { kind: 'readableBy', principals: readableBy }) : parsed };
});

/** The insert row: stored form, JSON columns as text (what the codec hands the adapters). */
function storedRow(object: DiffObject): Row {
  const row: Row = { _wperm: [], _acl: null };
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    const type = cls.fields.get(key)?.type;
    row[key] = (type === 'Object' || type === 'Array') && value !== null ? JSON.stringify(value) : value;
  }
  return row;
}

async function load(storage: StorageAdapter): Promise<Row[]> {
  storage.useSchema(schema);
  await storage.init();
  await storage.saveSchema(undefined, DIFF_CLASS);
  for (const object of objects) await storage.insert(cls, storedRow(object));
  const all = await storage.find({
    cls,
    where: TRUE,
    order: [],
    limit: OBJECTS,
    skip: 0,
    columns: [...cls.columnFields, '_rperm'],
  });
  expect(all).toHaveLength(OBJECTS);
  return all;
}

const find = async (storage: StorageAdapter, expr: Expr): Promise<string[]> =>
  (await storage.find({ cls, where: expr, order: [], limit: OBJECTS + 1, skip: 0, columns: [] })).map((r) => String(r.objectId));

interface Mismatch {
  where: string;
  readableBy?: string[];
  objectId: string;
  object: DiffObject;
  /** The row as the matcher received it. */
  row: Row;
  matcher: boolean;
  sql: boolean;
}

/** Runs `rows` (as one back end stores them) through the matcher and compares with that back end's SQL. */
function differences(rows: readonly Row[], sqlIds: readonly string[][]): { mismatches: Mismatch[]; count: number } {
  const byId = new Map(objects.map((o) => [o.objectId, o]));
  const mismatches: Mismatch[] = [];
  let count = 0;
  cases.forEach((c, i) => {
    const match = compileMatcher(c.expr, { schema });
    const sql = new Set(sqlIds[i]);
    for (const row of rows) {
      const id = String(row.objectId);
      const matched = match(row);
      if (matched === sql.has(id)) continue;
      count += 1;
      if (mismatches.length < SHOWN) {
        mismatches.push({
          where: JSON.stringify(c.where),
          readableBy: c.readableBy,
          objectId: id,
          object: byId.get(id)!,
          row,
          matcher: matched,
          sql: sql.has(id),
        });
      }
    }
  });
  return { mismatches, count };
}

function expectAgreement(backend: string, rows: readonly Row[], sqlIds: readonly string[][]): void {
  const { mismatches, count } = differences(rows, sqlIds);
  if (count > 0) {
    console.log(`${backend}: ${count} (case, object) disagreements with seed ${SEED}; first ${mismatches.length}:`);
    for (const m of mismatches) console.log(JSON.stringify(m, null, 2));
  }
  expect(mismatches).toEqual([]);
}

/** Guards the generator: agreement means little if most clauses select nothing or everything. */
function expectSelective(sqlIds: readonly string[][]): void {
  const partial = sqlIds.filter((ids) => ids.length > 0 && ids.length < OBJECTS).length;
  expect(partial / sqlIds.length).toBeGreaterThan(0.5);
}

describe('matcher agrees with compiled SQL', () => {
  it('covers every operator', () => {
    const text = cases.map((c) => JSON.stringify(c.where)).join('\n');
    const occurrences = (needle: string) => text.split(needle).length - 1;
    const operators = '$eq $ne $lt $lte $gt $gte $in $nin $all $containedBy $exists $regex $options $or $and $nor'.split(' ');
    for (const op of operators) expect(occurrences(`"${op}":`), op).toBeGreaterThan(30);
    for (const shape of ['^\\\\Q', '"meta.', '"__type":"Pointer"', '"__type":"Date"']) {
      expect(occurrences(shape), shape).toBeGreaterThan(30);
    }
    expect(cases.filter((c) => c.readableBy).length).toBeGreaterThan(100);
  });

  describe('on SQLite', () => {
    const storage = new SqliteAdapter({ dataDir: ':memory:' });
    let rows: Row[];
    let sqlIds: string[][];

    beforeAll(async () => {
      rows = await load(storage);
      sqlIds = [];
      for (const c of cases) sqlIds.push(await find(storage, c.expr));
    });
    afterAll(() => storage.close());

    it(`${CLAUSES} clauses over ${OBJECTS} objects, rows as SQLite returns them (0/1, JSON text)`, () => {
      expectAgreement('sqlite', rows, sqlIds);
      expectSelective(sqlIds);
    });

    it('the same, on rows in the parsed form the codec builds', () => {
      const parsed = objects.map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Row);
      expectAgreement('sqlite (parsed rows)', parsed, sqlIds);
    });
  });

  describe('on PostgreSQL', () => {
    const schemaName = `lq_diff_${randomBytes(6).toString('hex')}`;
    let storage: PostgresAdapter | undefined;
    let rows: Row[];
    const sqlIds: string[][] = [];

    beforeAll(async () => {
      if (!reachable) return;
      storage = new PostgresAdapter({ connectionString: DATABASE_URL, schemaName });
      rows = await load(storage);
      // The pool holds ten connections; keep them busy.
      for (let i = 0; i < cases.length; i += 10) {
        const batch = await Promise.all(cases.slice(i, i + 10).map((c) => find(storage!, c.expr)));
        sqlIds.push(...batch);
      }
    });
    afterAll(async () => {
      if (!reachable) return;
      await storage?.close();
      const admin = new Client({ connectionString: DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schemaName}" CASCADE`);
      } finally {
        await admin.end();
      }
    });

    it.skipIf(!reachable)(`${CLAUSES} clauses over ${OBJECTS} objects, rows as PostgreSQL returns them`, () => {
      expectAgreement('postgres', rows, sqlIds);
      expectSelective(sqlIds);
    });
  });
});
