/**
 * `crm user add` / `crm role add|remove|list`: users made by the CLI log in through the REST API, and
 * membership of `managers` given by the CLI is what lets a manager read every rep's deals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm, crmOk, dataDirArgs, removeTempDirs, serveDataDir, tempDir } from './harness.js';

let dir: string;
let api: Awaited<ReturnType<typeof serveDataDir>>;
const args = (...rest: string[]) => [...dataDirArgs(dir), ...rest];

beforeAll(async () => {
  dir = tempDir();
  await crmOk(args('user', 'add', 'rita', '--email', 'rita@example.com', '--password', 'rita-pass-1'));
  await crmOk(args('user', 'add', 'boss', '--email', 'boss@example.com', '--password', 'boss-pass-1'));
  api = await serveDataDir(dir);
});

afterAll(async () => {
  await api?.close();
  removeTempDirs();
});

async function dealsSeenBy(username: string, password: string): Promise<number> {
  const token = await api.login(username, password);
  const { body } = await api.call('GET', '/classes/Deal', { token, query: { count: 1, limit: 0 } });
  return body.count;
}

describe('crm user / crm role', () => {
  it('user add: the password is hashed and works for login; the rep sees only their deals', async () => {
    const token = await api.login('rita', 'rita-pass-1');
    for (const title of ['Rita deal 1', 'Rita deal 2']) {
      expect((await api.call('POST', '/classes/Deal', { token, body: { title } })).status).toBe(201);
    }
    expect(await dealsSeenBy('rita', 'rita-pass-1')).toBe(2);
    expect(await dealsSeenBy('boss', 'boss-pass-1')).toBe(0);
  });

  it('role add managers: the manager then sees every deal; role remove takes it back', async () => {
    const added = await crmOk(args('role', 'add', 'managers', 'boss'));
    expect(added.stdout).toMatch(/added boss to role managers/);
    expect(await dealsSeenBy('boss', 'boss-pass-1')).toBe(2);
    const listed = await crmOk(args('role', 'list'));
    expect(listed.stdout).toMatch(/managers\s+1\s+boss/);
    await crmOk(args('role', 'remove', 'managers', 'boss@example.com'));
    expect(await dealsSeenBy('boss', 'boss-pass-1')).toBe(0);
  });

  it('user add --role admins adds the membership in the same step', async () => {
    await crmOk(args('user', 'add', 'ada', '--email', 'ada@example.com', '--password', 'ada-pass-1', '--role', 'admins'));
    const list = await crmOk(args('user', 'list'));
    expect(list.stdout).toMatch(/ada\s+ada@example.com\s+admins/);
    expect(list.stdout).toMatch(/rita\s+rita@example.com\s+-/);
    expect(await dealsSeenBy('ada', 'ada-pass-1')).toBe(2);
  });

  it('refuses a taken username with one line and exit code 1, and creates nothing half-way', async () => {
    const taken = await crm(args('user', 'add', 'RITA', '--email', 'other@example.com', '--password', 'x-pass-1'));
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: Account already exists for this username/)]);
    const badRole = await crm(
      args('user', 'add', 'zed', '--email', 'zed@example.com', '--password', 'zed-pass-1', '--role', 'owners'),
    );
    expect(badRole.code).toBe(1);
    const list = await crmOk(args('user', 'list'));
    expect(list.stdout).not.toMatch(/zed|other@example/);
  });

  it('names unknown users and roles plainly', async () => {
    const noUser = await crm(args('role', 'add', 'managers', 'nobody'));
    expect(noUser.code).toBe(1);
    expect(noUser.stderr).toMatch(/no user "nobody"/);
    const noRole = await crm(args('role', 'add', 'sales', 'rita'));
    expect(noRole.stderr).toMatch(/no role "sales" \(roles: admins, managers\)/);
    const missingOption = await crm(args('user', 'add', 'x'));
    expect(missingOption.code).toBe(1);
    expect(missingOption.stderr).toMatch(/--email/);
  });
});
