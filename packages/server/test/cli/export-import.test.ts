/**
 * `crm export DIR` / `crm import DIR`: a seeded database (plus a custom class with every field type, a
 * relation and nested roles) moves to a fresh SQLite directory and to PostgreSQL with every object intact —
 * ids, timestamps, ACLs, pointers — and its users keep their passwords.
 */
import { readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm, crmOk, dataDirArgs, onDataDir, onStore, postgresOrNull, removeTempDirs, tempDir } from './harness.js';
import { MASTER } from '../../src/security/auth.js';
import { demoPassword } from '../../src/cli/demo-data.js';
import type { Services } from '../../src/service/services.js';

const pg = await postgresOrNull();
let source: string;
let dump: string;

const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });

/** What the seed does not cover: a custom class with every field type, a relation, a nested role. */
async function addVariety(services: Services): Promise<void> {
  await services.schemas.create('Project', {
    fields: {
      name: { type: 'String', required: true },
      budget: { type: 'Number' },
      active: { type: 'Boolean' },
      settings: { type: 'Object' },
      tags: { type: 'Array' },
      kickoff: { type: 'Date' },
      deal: { type: 'Pointer', targetClass: 'Deal' },
      members: { type: 'Relation', targetClass: '_User' },
    },
  });
  const { results: users } = await services.objects.find(MASTER, '_User', { limit: 3, order: 'username' });
  const {
    results: [deal],
  } = await services.objects.find(MASTER, 'Deal', { limit: 1 });
  for (let i = 0; i < 3; i++) {
    await services.objects.create(MASTER, 'Project', {
      name: `Project ${i}`,
      budget: 1000.5 * i,
      active: i % 2 === 0,
      settings: { color: 'blue', nested: { level: i } },
      tags: ['a', i, { k: true }],
      kickoff: { __type: 'Date', iso: '2025-01-02T03:04:05.678Z' },
      deal: pointer('Deal', String(deal.objectId)),
      members: { __op: 'AddRelation', objects: users.slice(0, i + 1).map((u) => pointer('_User', String(u.objectId))) },
      ACL: { [String(users[0].objectId)]: { read: true, write: true }, 'role:managers': { read: true } },
    });
  }
  const {
    results: [leads],
  } = await services.objects.find(MASTER, '_Role', { where: { name: 'managers' } });
  const team = await services.objects.create(MASTER, '_Role', {
    name: 'team-leads',
    ACL: { '*': { read: true } },
    users: { __op: 'AddRelation', objects: [pointer('_User', String(users[0].objectId))] },
  });
  await services.objects.update(MASTER, '_Role', String(leads.objectId), {
    roles: { __op: 'AddRelation', objects: [pointer('_Role', team.objectId)] },
  });
}

/** Every file of an export, parsed (key order inside JSON columns may differ between backends). */
function readDump(dir: string): Record<string, unknown> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, JSON.parse(readFileSync(path.join(dir, name), 'utf8'))]),
  );
}

beforeAll(async () => {
  source = tempDir();
  await crmOk([...dataDirArgs(source), 'seed', '--demo', '--seed', '3']);
  await onDataDir(source, addVariety);
  dump = path.join(tempDir(), 'dump');
  await crmOk([...dataDirArgs(source), 'export', dump]);
});

afterAll(async () => {
  await pg?.drop();
  removeTempDirs();
});

describe('crm export', () => {
  it("writes Parse's export format: one {results} file per class, _Join files, users with bcrypt hashes", () => {
    const files = readdirSync(dump).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'Activity.json',
        'Company.json',
        'Contact.json',
        'Deal.json',
        'Project.json',
        '_Join:members:Project.json',
        '_Join:roles:_Role.json',
        '_Join:users:_Role.json',
        '_Role.json',
        '_SCHEMA.json',
        '_User.json',
      ]),
    );
    expect(files).not.toContain('_Session.json');
    const users = JSON.parse(readFileSync(path.join(dump, '_User.json'), 'utf8')).results;
    expect(users).toHaveLength(6);
    for (const user of users) expect(user._hashed_password).toMatch(/^\$2[ab]\$10\$/);
    const deal = JSON.parse(readFileSync(path.join(dump, 'Deal.json'), 'utf8')).results[0];
    expect(deal).toMatchObject({ objectId: expect.any(String), createdAt: expect.stringMatching(/Z$/), ACL: expect.any(Object) });
    expect(deal.assignedTo).toEqual({ __type: 'Pointer', className: '_User', objectId: expect.any(String) });
    expect(deal.expectedCloseDate).toEqual({ __type: 'Date', iso: expect.any(String) });
    const members = JSON.parse(readFileSync(path.join(dump, '_Join:members:Project.json'), 'utf8')).results;
    expect(members).toHaveLength(6);
    expect(members[0]).toEqual({ owningId: expect.any(String), relatedId: expect.any(String) });
  });

  it('refuses to write into a non-empty directory without --force', async () => {
    const run = await crm([...dataDirArgs(source), 'export', dump]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not empty/);
  });
});

describe('crm import', () => {
  it('--dry-run validates everything and writes nothing', async () => {
    const target = tempDir();
    const run = await crmOk([...dataDirArgs(target), 'import', dump, '--dry-run']);
    expect(run.stdout).toMatch(/would create class Project/);
    expect(run.stdout).toMatch(/dry run: \d+ objects and 10 relation pairs would be imported/);
    await onDataDir(target, async (services) => {
      expect(services.schema.has('Project')).toBe(false);
      expect((await services.objects.find(MASTER, 'Deal', { count: 1, limit: 0 })).count).toBe(0);
    });
  });

  it('into a fresh SQLite directory: every object identical, passwords still work, roles still nest', async () => {
    const target = tempDir();
    const run = await crmOk([...dataDirArgs(target), 'import', dump]);
    expect(run.stdout).toMatch(/imported \d+ objects and 10 relation pairs in [\d.]+ s \(\d+ rows\/s\)/);
    const again = path.join(tempDir(), 'again');
    await crmOk([...dataDirArgs(target), 'export', again]);
    expect(readDump(again)).toEqual(readDump(dump));
    await onDataDir(target, async (services) => {
      const user = await services.users.logIn({ username: 'priya.patel', password: demoPassword(3) });
      expect(user.sessionToken).toEqual(expect.any(String));
      await expect(services.users.logIn({ username: 'priya.patel', password: 'wrong' })).rejects.toThrow(
        /Invalid username\/password/,
      );
      const maria = await services.users.logIn({ username: 'maria.lopez', password: demoPassword(3) });
      expect(await services.sessions.rolesOf(String(maria.objectId))).toEqual(['managers']);
      const admin = await services.users.logIn({ username: 'admin', password: demoPassword(3) });
      expect((await services.sessions.rolesOf(String(admin.objectId))).sort()).toEqual(['admins', 'managers', 'team-leads']);
    });
  });

  it('is resumable: a second run finds every row already present', async () => {
    const target = tempDir();
    await crmOk([...dataDirArgs(target), 'import', dump]);
    const second = await crmOk([...dataDirArgs(target), 'import', dump]);
    expect(second.stdout).toMatch(/imported 0 objects .* (\d+) already present/);
  });

  it('reports bad rows by class and row number; a real run imports the rest and exits 1', async () => {
    const broken = path.join(tempDir(), 'broken');
    cpSync(dump, broken, { recursive: true });
    const dealsFile = path.join(broken, 'Deal.json');
    const deals = JSON.parse(readFileSync(dealsFile, 'utf8')).results;
    deals[1].amount = 'lots';
    delete deals[2].title;
    deals[3].objectId = deals[4].objectId;
    deals[5].ACL = { '*': { read: 'yes' } };
    writeFileSync(dealsFile, JSON.stringify({ results: deals }));

    const target = tempDir();
    const dry = await crm([...dataDirArgs(target), 'import', broken, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toMatch(/Deal row 2 \(\w+\): schema mismatch for Deal.amount; expected Number but got String/);
    expect(dry.stderr).toMatch(/Deal row 3 \(\w+\): title is required/);
    expect(dry.stderr).toMatch(/Deal row 5 \(\w+\): objectId \w+ appears twice/);
    expect(dry.stderr).toMatch(/Deal row 6 \(\w+\): invalid permission value/);
    expect(dry.stderr).toMatch(/error: 4 bad rows found/);

    const real = await crm([...dataDirArgs(target), 'import', broken]);
    expect(real.code).toBe(1);
    expect(real.stderr).toMatch(/error: 4 bad rows skipped/);
    const count = await onDataDir(target, async (s) => (await s.objects.find(MASTER, 'Deal', { count: 1, limit: 0 })).count);
    expect(count).toBe(deals.length - 4);
  });

  describe.skipIf(!pg)('into PostgreSQL', () => {
    it('every object identical after export (SQLite) → import (PostgreSQL) → export', async () => {
      const store = ['--database-url', pg!.url, '--database-schema', pg!.schema];
      await crmOk([...store, 'import', dump]);
      const again = path.join(tempDir(), 'from-pg');
      await crmOk([...store, 'export', again]);
      expect(readDump(again)).toEqual(readDump(dump));
      await onStore({ databaseUrl: pg!.url, databaseSchema: pg!.schema }, async (services) => {
        const user = await services.users.logIn({ username: 'emma.brown', password: demoPassword(3) });
        expect(user.sessionToken).toEqual(expect.any(String));
      });
    });
  });
});
