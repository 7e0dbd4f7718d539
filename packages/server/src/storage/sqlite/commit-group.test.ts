import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteAdapter } from './sqlite-adapter.js';
import { sql } from '../sql/fragment.js';

/** A deferred foreign key is checked at COMMIT: the one way to make a shared commit fail on demand. */
async function adapterWithDeferredCheck(dataDir = ':memory:'): Promise<SqliteAdapter> {
  const storage = new SqliteAdapter({ dataDir });
  await storage.init();
  await storage.query(sql`CREATE TABLE parent (id TEXT PRIMARY KEY)`);
  await storage.query(sql`CREATE TABLE child (parent TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
  await storage.query(sql`CREATE TABLE note (text TEXT)`);
  return storage;
}

const notes = async (storage: SqliteAdapter) =>
  (await storage.query(sql`SELECT text FROM note ORDER BY text`)).map((r) => r.text);

describe('SQLite commit groups', () => {
  it('fails every write of a group whose COMMIT fails, and keeps none of them', async () => {
    const storage = await adapterWithDeferredCheck();
    const results = await Promise.allSettled([
      storage.query(sql`INSERT INTO note (text) VALUES (${'a'})`),
      storage.query(sql`INSERT INTO child (parent) VALUES (${'missing'})`),
      storage.transaction((tx) => tx.query(sql`INSERT INTO note (text) VALUES (${'b'})`)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await notes(storage)).toEqual([]);
    // The connection is usable afterwards, in a fresh group.
    await storage.query(sql`INSERT INTO note (text) VALUES (${'c'})`);
    expect(await notes(storage)).toEqual(['c']);
    await storage.close();
  });

  it('acknowledges writes of one turn together, after their shared commit, and reads only what is committed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-group-'));
    const storage = await adapterWithDeferredCheck(dir);
    // Another connection sees only committed rows: what the adapter acknowledges or lets a reader see must be there.
    const observer = new Database(path.join(dir, 'crm.sqlite'), { readonly: true });
    const committed = () => observer.prepare('SELECT text FROM note ORDER BY text').pluck().all() as string[];
    const order: string[] = [];
    const writes = ['x', 'y', 'z'].map((text) =>
      storage.query(sql`INSERT INTO note (text) VALUES (${text})`).then(() => {
        expect(committed()).toContain(text);
        order.push(text);
      }),
    );
    const read = notes(storage).then((seen) => {
      expect(committed()).toEqual(expect.arrayContaining(seen as string[]));
      order.push('read');
      return seen;
    });
    await Promise.all(writes);
    expect(await read).toEqual(['x', 'y', 'z']);
    expect(order).toEqual(['x', 'y', 'z', 'read']);
    observer.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
