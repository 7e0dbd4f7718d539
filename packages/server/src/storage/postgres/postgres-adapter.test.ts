import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAdapter } from './postgres-adapter.js';
import { storageBehaviourSuite } from '../behaviour-suite.js';
import { compileClass, type CompiledClass } from '../../schema/compiled.js';
import type { ClassSchema, FieldType } from '../../schema/types.js';
import { TRUE, type Expr } from '../../query/ast.js';
import { decoderFor } from '../../codec/values.js';
import { selectRows } from '../sql/dml.js';
import { sql } from '../sql/fragment.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const reachable = await admin(async () => true).catch(() => false);
if (!reachable) console.log(`postgres tests skipped: cannot connect to ${DATABASE_URL}`);
const describePostgres = reachable ? describe : describe.skip;

const freshSchemaName = () => `crm_test_${randomBytes(6).toString('hex')}`;
const dropSchema = async (name: string): Promise<void> => {
  await admin((c) => c.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`));
};

const ref = (field: string, type: FieldType) => ({ field, type, path: [] as string[] });
const byId = (objectId: string): Expr => ({ kind: 'compare', ref: ref('objectId', 'String'), op: 'eq', value: objectId });

function row(objectId: string, fields: Record<string, unknown> = {}) {
  const now = '2026-01-01T00:00:00.000Z';
  return { objectId, createdAt: now, updatedAt: now, _rperm: ['*'], _wperm: ['*'], _acl: null, ...fields };
}

const CONTACT: ClassSchema = {
  className: 'Contact',
  fields: {
    name: { type: 'String' },
    score: { type: 'Number' },
    address: { type: 'Object' },
    phones: { type: 'Array' },
    friends: { type: 'Relation', targetClass: '_User' },
  },
  classLevelPermissions: {},
  indexes: {},
};

const ROLE: ClassSchema = { className: '_Role', fields: { name: { type: 'String' } }, classLevelPermissions: {}, indexes: {} };

describePostgres('postgres', () => {
  const behaviourSchema = freshSchemaName();
  storageBehaviourSuite(
    'postgres',
    async () => new PostgresAdapter({ connectionString: DATABASE_URL, schemaName: behaviourSchema }),
    () => dropSchema(behaviourSchema),
  );

  describe('postgres adapter specifics', () => {
    const schemaName = freshSchemaName();
    const open = (poolSize?: number) => new PostgresAdapter({ connectionString: DATABASE_URL, schemaName, poolSize });
    let storage: PostgresAdapter;
    let contact: CompiledClass;
    const lookup = new Map<string, CompiledClass>();

    beforeAll(async () => {
      storage = open();
      storage.useSchema({ get: (c) => lookup.get(c) });
      await storage.init();
      await storage.saveSchema(undefined, CONTACT);
      contact = compileClass(CONTACT);
      lookup.set('Contact', contact);
    });

    afterAll(async () => {
      await storage?.close();
      await dropSchema(schemaName);
    });

    const tablesNamed = (table: string) =>
      admin(
        async (c) =>
          (
            await c.query({
              text: 'SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = $2',
              values: [schemaName, table],
            })
          ).rows[0].n as number,
      );

    it('lets two instances initialise and migrate the same schema at once', async () => {
      const a = open(2);
      const b = open(2);
      try {
        await Promise.all([a.init(), b.init(), a.init()]);
        const lead: ClassSchema = {
          className: 'Lead',
          fields: { email: { type: 'String' } },
          classLevelPermissions: {},
          indexes: {},
        };
        await Promise.all([a.saveSchema(undefined, lead), b.saveSchema(undefined, lead)]);
        const grown: ClassSchema = {
          ...lead,
          fields: { ...lead.fields, source: { type: 'String' }, owners: { type: 'Relation', targetClass: '_User' } },
        };
        await Promise.all([a.saveSchema(lead, grown), b.saveSchema(lead, grown)]);
        expect(await tablesNamed('Lead')).toBe(1);
        expect(await tablesNamed('_Join:owners:Lead')).toBe(1);
        expect((await a.loadSchemas()).filter((s) => s.className === 'Lead')).toEqual([grown]);
        await Promise.all([a.deleteClass('Lead', ['owners']), b.deleteClass('Lead', ['owners'])]);
        expect(await tablesNamed('Lead')).toBe(0);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('leaves nothing behind when a transaction fails midway', async () => {
      await storage.insert(contact, row('keep', { name: 'before', score: 1 }));
      await expect(
        storage.transaction(async (tx) => {
          await tx.insert(contact, row('gone', { name: 'new' }));
          await tx.update(contact, 'keep', TRUE, { name: 'after', score: 2 });
          await tx.changeRelations(contact, 'keep', [{ field: 'friends', add: ['u1', 'u2'], remove: [] }]);
          await tx.claimRequestId('req-midway', 60_000);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const [kept] = await storage.find({
        cls: contact,
        where: byId('keep'),
        order: [],
        limit: 1,
        skip: 0,
        columns: ['name', 'score'],
      });
      expect(kept).toMatchObject({ name: 'before', score: 1 });
      expect(await storage.count(contact, byId('gone'))).toBe(0);
      expect(await storage.count(contact, { kind: 'relationContains', key: 'friends', relatedId: 'u1' })).toBe(0);
      expect(await storage.transaction((tx) => tx.claimRequestId('req-midway', 60_000))).toBe(true);
    });

    it('grants a request id to exactly one of two concurrent claims, and again once it expires', async () => {
      const claims = await Promise.all(
        [1, 2, 3].map(() =>
          storage.transaction(async (tx) => {
            const claimed = await tx.claimRequestId('req-race', 60_000);
            await new Promise((resolve) => setTimeout(resolve, 20));
            return claimed;
          }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await storage.claimRequestId('req-short', 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await storage.claimRequestId('req-short', 60_000)).toBe(true);
      expect(await storage.claimRequestId('req-short', 60_000)).toBe(false);
    });

    it('serializes read-modify-write transactions on one row, as SQLite does', async () => {
      await storage.insert(contact, row('counter', { score: 0 }));
      const increment = () =>
        storage.transaction(async (tx) => {
          const [current] = await tx.find({
            cls: contact,
            where: byId('counter'),
            order: [],
            limit: 1,
            skip: 0,
            columns: ['score'],
            forUpdate: true,
          });
          await new Promise((resolve) => setTimeout(resolve, 20));
          await tx.update(contact, 'counter', TRUE, { score: (current.score as number) + 1 });
        });
      await Promise.all([increment(), increment(), increment()]);
      const [found] = await storage.find({
        cls: contact,
        where: byId('counter'),
        order: [],
        limit: 1,
        skip: 0,
        columns: ['score'],
      });
      expect(found.score).toBe(3);
    });

    it('reports unique violations as ParseError 137', async () => {
      await storage.insert(contact, row('dup', { name: 'one' }));
      await expect(storage.insert(contact, row('dup', { name: 'two' }))).rejects.toMatchObject({ code: 137 });
      await storage.saveSchema(undefined, ROLE);
      const roles = compileClass(ROLE);
      await storage.insert(roles, row('r1', { name: 'admins' }));
      await expect(storage.insert(roles, row('r2', { name: 'admins' }))).rejects.toMatchObject({ code: 137 });
      await expect(storage.transaction((tx) => tx.insert(roles, row('r3', { name: 'admins' })))).rejects.toMatchObject({
        code: 137,
      });
    });

    it('round-trips Object and Array values through jsonb', async () => {
      const address = { city: 'Zürich', zip: '8001', geo: { lat: 47.37, lng: 8.54 }, tags: ['a', 'b'], active: true, note: null };
      const phones = ['+41 1', 2, true, null, { kind: 'work' }, ['nested']];
      await storage.insert(contact, row('json', { address: JSON.stringify(address), phones: JSON.stringify(phones) }));
      // A value that arrives as a JS array must still land as JSON, not as a PostgreSQL array literal.
      await storage.insert(contact, row('json2', { phones: ['x', 'y'] }));
      const found = await storage.find({
        cls: contact,
        where: { kind: 'in', ref: ref('objectId', 'String'), values: ['json', 'json2'], negate: false },
        order: [],
        limit: 2,
        skip: 0,
        columns: ['address', 'phones'],
      });
      expect(decoderFor(CONTACT.fields.address)(found[0].address)).toEqual(address);
      expect(decoderFor(CONTACT.fields.phones)(found[0].phones)).toEqual(phones);
      expect(decoderFor(CONTACT.fields.phones)(found[1].phones)).toEqual(['x', 'y']);
      const city: Expr = {
        kind: 'compare',
        ref: { field: 'address', type: 'Object', path: ['city'] },
        op: 'eq',
        value: 'Zürich',
      };
      expect(await storage.count(contact, city)).toBe(1);
      const hasTwo: Expr = { kind: 'compare', ref: ref('phones', 'Array'), op: 'eq', value: 2 };
      expect(await storage.count(contact, hasTwo)).toBe(1);
    });

    it('filters by read permission through the GIN index on _rperm', async () => {
      const indexes = await admin(
        async (c) =>
          (
            await c.query({
              text: 'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = $2',
              values: [schemaName, 'Contact:_rperm'],
            })
          ).rows,
      );
      expect(indexes[0]?.indexdef).toMatch(/USING gin/i);
      await storage.insert(contact, row('private', { name: 'secret', _rperm: ['u9', 'role:Managers'], _wperm: ['u9'] }));
      const readable: Expr = { kind: 'readableBy', principals: ['u9'] };
      const spec = { cls: contact, where: readable, order: [], limit: 10, skip: 0, columns: ['_rperm'] };
      const rows = await storage.find(spec);
      expect(rows.map((r) => r.objectId)).toEqual(['private']);
      expect(rows[0]._rperm).toEqual(['u9', 'role:Managers']);
      expect(await storage.count(contact, { kind: 'readableBy', principals: ['role:Managers'] })).toBe(1);
      const plan = await storage.transaction(async (tx) => {
        await tx.query(sql`SET LOCAL enable_seqscan = off`);
        return tx.query(sql`EXPLAIN ${selectRows(spec, { dialect: 'postgres', schema: { get: (c) => lookup.get(c) } })}`);
      });
      expect(plan.length).toBeGreaterThan(0);
    });

    it("walks an index in Parse's order (NULLs first) for a permission-filtered page, with no full sort", async () => {
      const pipeline: ClassSchema = {
        className: 'Pipeline',
        fields: { stage: { type: 'String' }, due: { type: 'Date' } },
        classLevelPermissions: {},
        indexes: { stage_due: { stage: 1, due: 1 }, due_desc: { due: -1 } },
      };
      await storage.saveSchema(undefined, pipeline);
      const cls = compileClass(pipeline);
      lookup.set('Pipeline', cls);
      const defs = await admin(
        async (c) =>
          (
            await c.query({
              text: 'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
              values: [schemaName, 'Pipeline'],
            })
          ).rows as { indexname: string; indexdef: string }[],
      );
      expect(defs.find((d) => d.indexname === 'Pipeline:stage_due')?.indexdef).toMatch(/\(stage NULLS FIRST, due NULLS FIRST\)/);
      expect(defs.find((d) => d.indexname === 'Pipeline:due_desc')?.indexdef).toMatch(/\(due DESC NULLS LAST\)/);
      const stageRef = { field: 'stage', type: 'String' as const, path: [] as string[] };
      const where: Expr = {
        kind: 'and',
        items: [
          { kind: 'compare', ref: stageRef, op: 'eq', value: 'qualified' },
          { kind: 'readableBy', principals: ['*', 'u1', 'role:managers'] },
        ],
      };
      const spec = {
        cls,
        where,
        order: [{ ref: { field: 'due', type: 'Date' as const, path: [] as string[] }, descending: false }],
        limit: 50,
        skip: 0,
        columns: ['stage'],
      };
      // Through the pool, so the statement is prepared and planned as the server's are (force_custom_plan).
      const plan = await storage.transaction(async (tx) => {
        await tx.query(sql`SET LOCAL enable_sort = off`);
        return tx.query(sql`EXPLAIN ${selectRows(spec, { dialect: 'postgres', schema: { get: (c) => lookup.get(c) } })}`);
      });
      const text = plan.map((r) => String(r['QUERY PLAN'])).join('\n');
      expect(text).toMatch(/Index Scan using "Pipeline:stage_due"/);
      // An Incremental Sort for the objectId tie-break is fine; a plain Sort node would read every match.
      expect(text).not.toMatch(/^\s*(->\s*)?Sort\s+\(/m);
    });

    it('orders and compares strings by code point, as SQLite does', async () => {
      const uncollated = await admin(
        async (c) =>
          (
            await c.query({
              text: `SELECT a.attname FROM pg_attribute a JOIN pg_collation k ON k.oid = a.attcollation WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND a.atttypid = 'text'::regtype AND k.collname <> 'C'`,
              values: [`"${schemaName}"."Contact"`],
            })
          ).rows,
      );
      expect(uncollated).toEqual([]);
      for (const [id, name] of [
        ['s1', 'b'],
        ['s2', 'B'],
        ['s3', 'a'],
        ['s4', 'Z'],
        ['s5', 'é'],
      ])
        await storage.insert(contact, row(id, { name }));
      const sorted = await storage.find({
        cls: contact,
        where: { kind: 'in', ref: ref('objectId', 'String'), values: ['s1', 's2', 's3', 's4', 's5'], negate: false },
        order: [{ ref: ref('name', 'String'), descending: false }],
        limit: 10,
        skip: 0,
        columns: ['name'],
      });
      expect(sorted.map((r) => r.name)).toEqual(['B', 'Z', 'a', 'b', 'é']);
      expect(
        await storage.count(contact, { kind: 'compare', ref: ref('name', 'String'), op: 'gt', value: 'Z' }),
      ).toBeGreaterThanOrEqual(3);
      expect(await storage.count(contact, { kind: 'regex', ref: ref('name', 'String'), pattern: '^Z', flags: '' })).toBe(1);
    });

    it('returns counts as exact JS numbers', async () => {
      const n = await storage.count(contact, TRUE);
      expect(typeof n).toBe('number');
      const [{ n: exact }] = await admin(
        async (c) => (await c.query(`SELECT count(*)::int AS n FROM "${schemaName}"."Contact"`)).rows,
      );
      expect(n).toBe(exact);
    });

    it('prepares hot statements once per connection', async () => {
      const names = await storage.transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await tx.count(contact, byId(`probe-${i}`));
        return tx.query(sql`SELECT name FROM pg_prepared_statements WHERE name LIKE 'crm%'`);
      });
      expect(names.length).toBeGreaterThan(0);
    });

    it('keeps reading a column after another instance drops it and re-adds it with another type', async () => {
      const single = open(1);
      const other = open(1);
      try {
        single.useSchema({ get: (c) => lookup.get(c) });
        const withLevel: ClassSchema = { ...CONTACT, fields: { ...CONTACT.fields, level: { type: 'String' } } };
        await single.saveSchema(CONTACT, withLevel);
        await single.insert(compileClass(withLevel), row('lvl', { level: 'high' }));
        const read = (schema: ClassSchema) =>
          single.find({ cls: compileClass(schema), where: byId('lvl'), order: [], limit: 1, skip: 0, columns: ['level'] });
        for (let i = 0; i < 3; i++) expect((await read(withLevel))[0].level).toBe('high');
        await other.saveSchema(withLevel, CONTACT);
        const numeric: ClassSchema = { ...CONTACT, fields: { ...CONTACT.fields, level: { type: 'Number' } } };
        await other.saveSchema(CONTACT, numeric);
        await other.update(compileClass(numeric), 'lvl', TRUE, { level: 3 });
        expect((await read(numeric))[0].level).toBe(3);
        await single.saveSchema(numeric, CONTACT);
      } finally {
        await Promise.all([single.close(), other.close()]);
      }
    });
  });
});
