import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAdapter } from './sqlite-adapter.js';
import { sql } from '../sql/fragment.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite checkpoints on a worker', () => {
  it('copies committed pages into the database file without the writer checkpointing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-checkpoint-'));
    dirs.push(dir);
    const storage = new SqliteAdapter({ dataDir: dir });
    await storage.init();
    const file = path.join(dir, 'crm.sqlite');
    await storage.query(sql`CREATE TABLE filler (text TEXT)`);
    const before = statSync(file).size;
    const text = 'x'.repeat(1000);
    for (let i = 0; i < 20; i++) {
      await Promise.all(Array.from({ length: 50 }, () => storage.query(sql`INSERT INTO filler (text) VALUES (${text})`)));
    }
    const deadline = Date.now() + 5_000;
    while (statSync(file).size < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before + 1_000_000);
    const rows = await storage.query(sql`SELECT count(*) AS n FROM filler`);
    expect(rows[0]!.n).toBe(1000);
    await storage.close();
  });
});
