/**
 * The behaviour every StorageAdapter must show, as one suite each backend runs unchanged
 * (sqlite-adapter.test.ts now, the PostgreSQL adapter's test next): schema DDL, CRUD with stored values,
 * filters and ordering through the AST, counts, relations, transactions that roll back whole, and
 * idempotency claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageAdapter, StorageTx } from './adapter.js';
import { compileClass, type CompiledClass } from '../schema/compiled.js';
import type { ClassSchema, FieldType } from '../schema/types.js';
import { TRUE, type Expr } from '../query/ast.js';
import { ident, sql } from './sql/fragment.js';

const DEAL: ClassSchema = {
  className: 'Deal',
  fields: {
    title: { type: 'String', required: true },
    amount: { type: 'Number' },
    won: { type: 'Boolean' },
    closeDate: { type: 'Date' },
    tags: { type: 'Array' },
    meta: { type: 'Object' },
    owner: { type: 'Pointer', targetClass: '_User' },
    watchers: { type: 'Relation', targetClass: '_User' },
  },
  classLevelPermissions: {},
  indexes: { amount: { amount: 1 } },
};

const ref = (field: string, type: FieldType) => ({ field, type, path: [] as string[] });

/** A stored row as the object service would write it: public ACL, fixed timestamps. */
export function row(objectId: string, fields: Record<string, unknown>) {
  return {
    objectId,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    _rperm: ['*'],
    _wperm: ['*'],
    _acl: null,
    ...fields,
  };
}

export function storageBehaviourSuite(
  name: string,
  open: () => Promise<StorageAdapter>,
  cleanup: () => Promise<void> = async () => {},
): void {
  describe(`storage behaviour: ${name}`, () => {
    let storage: StorageAdapter;
    let deal: CompiledClass;
    const lookup = new Map<string, CompiledClass>();

    beforeAll(async () => {
      storage = await open();
      storage.useSchema({ get: (c) => lookup.get(c) });
      await storage.init();
      await storage.saveSchema(undefined, DEAL);
      deal = compileClass(DEAL);
      lookup.set('Deal', deal);
      await storage.insert(
        deal,
        row('d1', {
          title: 'Alpha',
          amount: 100,
          won: true,
          closeDate: '2026-03-01T00:00:00.000Z',
          tags: '["hot","big"]',
          meta: '{"region":"EU","size":3}',
          owner: 'u1',
        }),
      );
      await storage.insert(
        deal,
        row('d2', {
          title: 'Beta',
          amount: 50,
          won: false,
          closeDate: '2026-02-01T00:00:00.000Z',
          tags: '["cold"]',
          owner: 'u2',
          _rperm: ['u2'],
          _wperm: ['u2'],
        }),
      );
      await storage.insert(deal, row('d3', { title: 'Gamma' }));
    });

    afterAll(async () => {
      await storage?.close();
      await cleanup();
    });

    const idIs = (objectId: string): Expr => ({ kind: 'compare', ref: ref('objectId', 'String'), op: 'eq', value: objectId });
    /** One row by id, with `columns`; `forUpdate` locks it when read inside a transaction. */
    const byId = (db: StorageTx, objectId: string, columns: string[], forUpdate = false) =>
      db.find({ cls: deal, where: idIs(objectId), order: [], limit: 1, skip: 0, columns, forUpdate }).then((rows) => rows[0]);
    const ids = async (where: Expr, order = [{ ref: ref('objectId', 'String'), descending: false }]) =>
      (await storage.find({ cls: deal, where, order, limit: 100, skip: 0, columns: [] })).map((r) => r.objectId);

    it('stores and returns every value type in its stored form', async () => {
      const [found] = await storage.find({
        cls: deal,
        where: { kind: 'compare', ref: ref('objectId', 'String'), op: 'eq', value: 'd1' },
        order: [],
        limit: 1,
        skip: 0,
        columns: ['title', 'amount', 'won', 'closeDate', 'tags', 'meta', 'owner'],
      });
      expect(found.title).toBe('Alpha');
      expect(found.amount).toBe(100);
      expect([true, 1]).toContain(found.won);
      expect(found.closeDate).toBe('2026-03-01T00:00:00.000Z');
      expect(JSON.parse(typeof found.tags === 'string' ? found.tags : JSON.stringify(found.tags))).toEqual(['hot', 'big']);
      expect(found.owner).toBe('u1');
    });

    it('filters, orders with nulls first ascending, pages and counts in SQL', async () => {
      expect(await ids({ kind: 'compare', ref: ref('amount', 'Number'), op: 'gt', value: 60 })).toEqual(['d1']);
      expect(await ids(TRUE, [{ ref: ref('amount', 'Number'), descending: false }])).toEqual(['d3', 'd2', 'd1']);
      expect(await ids(TRUE, [{ ref: ref('amount', 'Number'), descending: true }])).toEqual(['d1', 'd2', 'd3']);
      expect(await storage.count(deal, { kind: 'compare', ref: ref('amount', 'Number'), op: 'ne', value: 100 })).toBe(2);
      const page = await storage.find({
        cls: deal,
        where: TRUE,
        order: [{ ref: ref('title', 'String'), descending: false }],
        limit: 1,
        skip: 1,
        columns: [],
      });
      expect(page.map((r) => r.objectId)).toEqual(['d2']);
    });

    it('applies read permissions inside the query', async () => {
      expect(await ids({ kind: 'readableBy', principals: ['*', 'u1'] })).toEqual(['d1', 'd3']);
      expect(await ids({ kind: 'readableBy', principals: ['*', 'u2'] })).toEqual(['d1', 'd2', 'd3']);
      expect(await storage.count(deal, { kind: 'readableBy', principals: ['*'] })).toBe(2);
    });

    it('updates only rows matching the id and the condition', async () => {
      expect(await storage.update(deal, 'd2', { kind: 'readableBy', principals: ['u1'] }, { amount: 1 })).toBe(false);
      expect(await storage.update(deal, 'd2', TRUE, { amount: 75, won: true })).toBe(true);
      const [found] = await storage.find({
        cls: deal,
        where: { kind: 'compare', ref: ref('objectId', 'String'), op: 'eq', value: 'd2' },
        order: [],
        limit: 1,
        skip: 0,
        columns: ['amount'],
      });
      expect(found.amount).toBe(75);
    });

    it('keeps relations in join tables', async () => {
      await storage.changeRelations(deal, 'd1', [{ field: 'watchers', add: ['u1', 'u2'], remove: [] }]);
      await storage.changeRelations(deal, 'd1', [{ field: 'watchers', add: ['u2'], remove: ['u1'] }]);
      expect(await ids({ kind: 'relationContains', key: 'watchers', relatedId: 'u2' })).toEqual(['d1']);
      expect(await ids({ kind: 'relationContains', key: 'watchers', relatedId: 'u1' })).toEqual([]);
    });

    it('rolls a failed transaction back whole', async () => {
      await expect(
        storage.transaction(async (tx) => {
          await tx.insert(deal, row('d9', { title: 'Doomed' }));
          await tx.insert(deal, row('d1', { title: 'duplicate id' }));
        }),
      ).rejects.toMatchObject({ code: 137 });
      expect(await ids({ kind: 'compare', ref: ref('objectId', 'String'), op: 'eq', value: 'd9' })).toEqual([]);
    });

    it('runs transactions that start together one at a time, and keeps writes outside them out', async () => {
      // Several transactions queued behind one open transaction wake together when it ends; each must still
      // get the connection to itself, and a plain insert issued meanwhile must not land inside one of them.
      const slow = storage.transaction(async (tx) => {
        await tx.insert(deal, row('t0', { title: 'first' }));
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
      const queued = [1, 2, 3].map((i) =>
        storage.transaction(async (tx) => {
          await tx.insert(deal, row(`t${i}`, { title: `queued ${i}` }));
          if (i === 2) throw new Error('rolled back');
        }),
      );
      const outside = storage.insert(deal, row('t9', { title: 'outside' }));
      const results = await Promise.allSettled([slow, ...queued, outside]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const inserted = await ids({
        kind: 'in',
        ref: ref('objectId', 'String'),
        values: ['t0', 't1', 't2', 't3', 't9'],
        negate: false,
      });
      expect(inserted.sort()).toEqual(['t0', 't1', 't3', 't9']);
    });

    it('keeps concurrent writes apart: a failed one undoes only itself, and a read waits for the writes before it', async () => {
      // SQLite commits writes of one event-loop turn together; each must still be all-or-nothing on its own.
      const writes = [
        storage.insert(deal, row('g1', { title: 'one' })),
        storage.insert(deal, row('d1', { title: 'duplicate id' })),
        storage.transaction(async (tx) => {
          await tx.insert(deal, row('g2', { title: 'two' }));
          await tx.insert(deal, row('g3', { title: 'three' }));
        }),
        storage.transaction(async (tx) => {
          await tx.insert(deal, row('g4', { title: 'four' }));
          throw new Error('rolled back');
        }),
      ];
      const acknowledged = new Set<number>();
      writes.forEach(
        (write, i) =>
          void write.then(
            () => acknowledged.add(i),
            () => acknowledged.add(i),
          ),
      );
      const seen = await ids({ kind: 'in', ref: ref('objectId', 'String'), values: ['g1', 'g2', 'g3', 'g4'], negate: false });
      // Whatever the read saw was acknowledged before it answered: nobody reads a write that could still fail.
      if (seen.length) expect(acknowledged.has(0)).toBe(true);
      const results = await Promise.allSettled(writes);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 137 });
      const stored = await ids({ kind: 'in', ref: ref('objectId', 'String'), values: ['g1', 'g2', 'g3', 'g4'], negate: false });
      expect(stored.sort()).toEqual(['g1', 'g2', 'g3']);
    });

    it('sees its own held-back writes, and applies a locked update and appended rows with the transaction', async () => {
      // PostgreSQL holds effect-only writes back until the next read or COMMIT (transaction-executor.ts).
      const seen = await storage.transaction(async (tx) => {
        await tx.insert(deal, row('h1', { title: 'held', amount: 1 }));
        const locked = await byId(tx, 'h1', ['amount'], true);
        await tx.updateLocked(deal, 'h1', { amount: 2 });
        await tx.append(
          sql`INSERT INTO ${ident('Deal')} (${ident('objectId')}, ${ident('createdAt')}, ${ident('updatedAt')}, ${ident('title')}) VALUES (${'h3'}, ${'2026-01-01T00:00:00.000Z'}, ${'2026-01-01T00:00:00.000Z'}, ${'appended'})`,
        );
        return locked?.amount;
      });
      expect(seen).toBe(1);
      const after = await byId(storage, 'h1', ['amount']);
      expect(after).toMatchObject({ amount: 2 });
      expect(await ids({ kind: 'compare', ref: ref('title', 'String'), op: 'eq', value: 'appended' })).toEqual(['h3']);
      // A held-back insert that fails (a duplicate id) fails the transaction, with whatever was held with it.
      await expect(
        storage.transaction(async (tx) => {
          await tx.insert(deal, row('h2', { title: 'doomed' }));
          await tx.insert(deal, row('h1', { title: 'duplicate' }));
        }),
      ).rejects.toMatchObject({ code: 137 });
      expect(await ids(idIs('h2'))).toEqual([]);
    });

    it('claims a request id once', async () => {
      expect(await storage.transaction((tx) => tx.claimRequestId('req-1', 60_000))).toBe(true);
      expect(await storage.transaction((tx) => tx.claimRequestId('req-1', 60_000))).toBe(false);
    });

    it('adds and drops columns when the schema changes, and deletes rows', async () => {
      const next: ClassSchema = { ...DEAL, fields: { ...DEAL.fields, stage: { type: 'String' } } };
      await storage.saveSchema(DEAL, next);
      const grown = compileClass(next);
      lookup.set('Deal', grown);
      await storage.insert(grown, row('d4', { title: 'Delta', stage: 'won' }));
      expect(await storage.count(grown, { kind: 'compare', ref: ref('stage', 'String'), op: 'eq', value: 'won' })).toBe(1);
      expect(await storage.delete(grown, 'd4', TRUE)).toBe(true);
      expect(await storage.delete(grown, 'd4', TRUE)).toBe(false);
      expect((await storage.loadSchemas()).find((s) => s.className === 'Deal')?.fields.stage).toEqual({ type: 'String' });
    });
  });
}
