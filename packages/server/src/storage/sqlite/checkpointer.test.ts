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

describe('SQLite log under a steady write load', () => {
  it('rewinds the WAL while writes never pause', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-checkpoint-'));
    dirs.push(dir);
    const restartFrames = 256;
    const storage = new SqliteAdapter({ dataDir: dir, checkpoints: { intervalMs: 100, restartFrames } });
    await storage.init();
    const wal = path.join(dir, 'crm.sqlite-wal');
    await storage.query(sql`CREATE TABLE filler (text TEXT)`);
    const text = 'x'.repeat(2000);
    // Eight writers in a loop: some commit group is open at almost every moment, as under a bench.
    let written = 0;
    let largest = 0;
    const deadline = Date.now() + 2_000;
    const writer = async () => {
      while (Date.now() < deadline) {
        await storage.query(sql`INSERT INTO filler (text) VALUES (${text})`);
        written++;
        if (written % 100 === 0) largest = Math.max(largest, statSync(wal).size);
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    // Without the rewind the log holds every page written, at least the rows' bytes; with it, what the
    // writers append between two rewinds, a small part of that.
    const rowBytes = written * text.length;
    expect(largest).toBeGreaterThan(restartFrames * 4096);
    expect(largest).toBeLessThan(rowBytes / 4);
    const rows = await storage.query(sql`SELECT count(*) AS n FROM filler`);
    expect(rows[0]!.n).toBe(written);
    await storage.close();
  });
});
