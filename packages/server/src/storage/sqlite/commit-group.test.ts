import { describe, expect, it } from 'vitest';
import { SqliteAdapter } from './sqlite-adapter.js';
import { sql } from '../sql/fragment.js';

/** A deferred foreign key is checked at COMMIT: the one way to make a shared commit fail on demand. */
async function adapterWithDeferredCheck(): Promise<SqliteAdapter> {
  const storage = new SqliteAdapter({ dataDir: ':memory:' });
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

  it('acknowledges writes of one turn together, after their shared commit', async () => {
    const storage = await adapterWithDeferredCheck();
    const order: string[] = [];
    const writes = ['x', 'y', 'z'].map((text) =>
      storage.query(sql`INSERT INTO note (text) VALUES (${text})`).then(() => order.push(text)),
    );
    const read = notes(storage).then((seen) => {
      order.push('read');
      return seen;
    });
    await Promise.all(writes);
    expect(await read).toEqual(['x', 'y', 'z']);
    expect(order).toEqual(['x', 'y', 'z', 'read']);
    await storage.close();
  });
});
