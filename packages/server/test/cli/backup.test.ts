/**
 * `crm backup FILE`: SQLite's online backup, taken while a server has the database open, opens as a data
 * directory holding exactly the same objects; on PostgreSQL the command points at pg_dump instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm, crmOk, dataDirArgs, removeTempDirs, serveDataDir, tempDir } from './harness.js';

let source: string;

const readDump = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, JSON.parse(readFileSync(path.join(dir, name), 'utf8'))]),
  );

beforeAll(async () => {
  source = tempDir();
  await crmOk([
    ...dataDirArgs(source),
    'user',
    'add',
    'ann',
    '--email',
    'ann@example.com',
    '--password',
    'ann-pass-1',
    '--role',
    'managers',
  ]);
  await crmOk([...dataDirArgs(source), 'user', 'add', 'bob', '--email', 'bob@example.com', '--password', 'bob-pass-1']);
});

afterAll(removeTempDirs);

describe('crm backup', () => {
  it('copies the live database; the copy opened as DATA_DIR holds the same objects and logins', async () => {
    const api = await serveDataDir(source);
    const restored = path.join(tempDir(), 'restored');
    try {
      const token = await api.login('bob', 'bob-pass-1');
      for (let i = 0; i < 5; i++)
        await api.call('POST', '/classes/Deal', { token, body: { title: `Deal ${i}`, amount: i * 100 } });
      const run = await crmOk([...dataDirArgs(source), 'backup', `${restored}/`]);
      expect(run.stdout).toMatch(/backed up .*crm\.sqlite to .*restored\/crm\.sqlite/);
    } finally {
      await api.close();
    }
    expect(existsSync(path.join(restored, 'crm.sqlite'))).toBe(true);
    const before = path.join(tempDir(), 'before');
    const after = path.join(tempDir(), 'after');
    await crmOk([...dataDirArgs(source), 'export', before]);
    await crmOk([...dataDirArgs(restored), 'export', after]);
    expect(readDump(after)).toEqual(readDump(before));
    const copy = await serveDataDir(restored);
    try {
      const token = await copy.login('ann', 'ann-pass-1');
      const deals = await copy.call('GET', '/classes/Deal', { token, query: { count: 1, limit: 0 } });
      expect(deals.body.count).toBe(5);
    } finally {
      await copy.close();
    }
  });

  it('will not overwrite a file without --force, and needs a database to copy', async () => {
    const file = path.join(tempDir(), 'crm-backup.sqlite');
    await crmOk([...dataDirArgs(source), 'backup', file]);
    const again = await crm([...dataDirArgs(source), 'backup', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists \(use --force/);
    await crmOk([...dataDirArgs(source), 'backup', file, '--force']);
    const empty = await crm([...dataDirArgs(path.join(tempDir(), 'nothing-here')), 'backup', file, '--force']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no database at/);
  });

  it('on PostgreSQL prints the pg_dump command (password hidden) and exits 1', async () => {
    const run = await crm(['backup', 'db.dump'], {
      DATABASE_URL: 'postgres://crm:s3cret@db.example:5432/crm',
      DATABASE_SCHEMA: 'tenant1',
    });
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(
      "pg_dump --dbname='postgres://crm@db.example:5432/crm' --schema='tenant1' --format=custom --file='db.dump'",
    );
    expect(run.stdout).not.toContain('s3cret');
    expect(run.stderr).toMatch(/PGPASSWORD/);
    expect(run.stderr).toMatch(/^error: crm backup copies SQLite databases only/m);
  });
});
