/**
 * Full-text indexing at the end of a commit group (sqlite-search.ts): new rows are indexed once per group,
 * rows changed or deleted before that are indexed as they end up, a rolled-back write leaves nothing behind,
 * and an index kept by an older version's triggers is carried over at start.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TRUE } from '../../query/ast.js';
import { compileClass, type CompiledClass } from '../../schema/compiled.js';
import type { ClassSchema } from '../../schema/types.js';
import type { SearchField } from '../adapter.js';
import { row } from '../behaviour-suite.js';
import { sql } from '../sql/fragment.js';
import { SqliteAdapter } from './sqlite-adapter.js';

const NOTE: ClassSchema = {
  className: 'Note',
  fields: { title: { type: 'String' }, body: { type: 'String' } },
  classLevelPermissions: {},
  indexes: {},
};
const FIELDS: SearchField[] = [
  { field: 'title', weight: 'A' },
  { field: 'body', weight: 'D' },
];
const note = (objectId: string, title: string, body = '') => row(objectId, { title, body });
const eq = (value: string) => ({
  kind: 'compare' as const,
  ref: { field: 'objectId', type: 'String' as const, path: [] },
  op: 'eq' as const,
  value,
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(dataDir: string): Promise<{ storage: SqliteAdapter; cls: CompiledClass }> {
  const storage = new SqliteAdapter({ dataDir });
  const cls = compileClass(NOTE);
  storage.useSchema({ get: (name) => (name === 'Note' ? cls : undefined) });
  await storage.init();
  return { storage, cls };
}

async function fresh(): Promise<{ storage: SqliteAdapter; cls: CompiledClass; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-search-'));
  dirs.push(dir);
  const opened = await open(dir);
  await opened.storage.saveSchema(undefined, NOTE);
  await opened.storage.ensureSearchIndex(opened.cls, FIELDS);
  return { ...opened, dir };
}

const found = async (storage: SqliteAdapter, cls: CompiledClass, term: string) =>
  (await storage.search({ cls, fields: ['title', 'body'], terms: [term], where: TRUE, columns: ['title'], limit: 10 })).map(
    (r) => r.objectId,
  );

/** FTS5's own check that the index holds exactly the content table's rows. */
const integrity = (storage: SqliteAdapter) =>
  storage.query(sql`INSERT INTO "_Search:Note" ("_Search:Note", rank) VALUES ('integrity-check', 1)`);

const pendingCount = async (storage: SqliteAdapter) =>
  Number((await storage.query(sql`SELECT count(*) AS n FROM "_Search:Note:pending"`))[0]!.n);

describe('SQLite full-text indexing at commit', () => {
  it('indexes the rows of one commit group as they are at its end', async () => {
    const { storage, cls } = await fresh();
    await storage.insert(cls, note('n0', 'Keeper', 'indexed before'));
    // One event-loop turn: one group, its writes in savepoints.
    await Promise.all([
      storage.insert(cls, note('n1', 'Aardvark')),
      storage.transaction(async (tx) => {
        await tx.insert(cls, note('n2', 'Badger'));
        await tx.update(cls, 'n2', eq('n2'), { title: 'Chameleon' });
      }),
      storage.transaction(async (tx) => {
        await tx.insert(cls, note('n3', 'Dingo'));
        await tx.delete(cls, 'n3', eq('n3'));
      }),
      storage.update(cls, 'n0', eq('n0'), { body: 'edited after' }),
    ]);
    expect(await found(storage, cls, 'aardvark')).toEqual(['n1']);
    expect(await found(storage, cls, 'badger')).toEqual([]);
    expect(await found(storage, cls, 'chameleon')).toEqual(['n2']);
    expect(await found(storage, cls, 'dingo')).toEqual([]);
    expect(await found(storage, cls, 'before')).toEqual([]);
    expect(await found(storage, cls, 'edited')).toEqual(['n0']);
    expect(await pendingCount(storage)).toBe(0);
    await integrity(storage);
    // Later groups update and delete rows that are in the index by now.
    await storage.update(cls, 'n1', eq('n1'), { title: 'Echidna' });
    await storage.delete(cls, 'n2', eq('n2'));
    expect(await found(storage, cls, 'aardvark')).toEqual([]);
    expect(await found(storage, cls, 'echidna')).toEqual(['n1']);
    expect(await found(storage, cls, 'chameleon')).toEqual([]);
    await integrity(storage);
    await storage.close();
  });

  it('a write undone in its group leaves nothing indexed nor noted', async () => {
    const { storage, cls } = await fresh();
    const results = await Promise.allSettled([
      storage.insert(cls, note('n1', 'Fennec')),
      storage.transaction(async (tx) => {
        await tx.insert(cls, note('n2', 'Gecko'));
        throw new Error('changed my mind');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await found(storage, cls, 'fennec')).toEqual(['n1']);
    expect(await found(storage, cls, 'gecko')).toEqual([]);
    expect(await pendingCount(storage)).toBe(0);
    await integrity(storage);
    await storage.close();
  });

  it('carries an older version’s triggers over, indexing what another process noted', async () => {
    const { storage, cls, dir } = await fresh();
    await storage.insert(cls, note('n1', 'Hedgehog'));
    await storage.close();
    const file = path.join(dir, 'crm.sqlite');
    const db = new Database(file);
    // An older version's insert trigger indexed in the statement itself.
    db.exec(`DROP TRIGGER "_Search:Note:insert"`);
    db.exec(
      `CREATE TRIGGER "_Search:Note:insert" AFTER INSERT ON "Note" BEGIN INSERT INTO "_Search:Note" (rowid, "title", "body") VALUES (new.rowid, new."title", new."body"); END`,
    );
    db.prepare(`INSERT INTO "Note" ("objectId", "createdAt", "updatedAt", "title") VALUES ('n2', 'x', 'x', 'Iguana')`).run();
    // A process of this version noted a row and stopped before indexing it.
    db.prepare(`INSERT INTO "Note" ("objectId", "createdAt", "updatedAt", "title") VALUES ('n3', 'x', 'x', 'Jackal')`).run();
    const rowid = db.prepare(`SELECT rowid FROM "Note" WHERE "objectId" = 'n3'`).pluck().get();
    db.prepare(`DELETE FROM "_Search:Note" WHERE rowid = ?`).run(rowid);
    db.prepare(`INSERT INTO "_Search:Note:pending" ("row") VALUES (?)`).run(rowid);
    db.close();

    const reopened = await open(dir);
    expect(await found(reopened.storage, reopened.cls, 'iguana')).toEqual(['n2']);
    expect(await found(reopened.storage, reopened.cls, 'jackal')).toEqual(['n3']);
    await reopened.storage.insert(reopened.cls, note('n4', 'Koala'));
    expect(await pendingCount(reopened.storage)).toBe(0);
    expect(await found(reopened.storage, reopened.cls, 'koala')).toEqual(['n4']);
    await integrity(reopened.storage);
    await reopened.storage.close();
  });
});
