/**
 * Roles: only admins create or change roles (class-level permissions: 119 for everyone else), so no rep can
 * create `admins`-like roles or join `admins`/`managers`; names are unique (137); an ACL is required (111).
 * Membership changes take effect at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, parseError } from '../helpers/http.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, idsOf, pointer, seedRep, startCrmServer, type Actor, type Cast, type RepData } from './helpers/cast.js';

let server: TestServer;
let cast: Cast;
let r1: RepData;
let r2: RepData;

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  r1 = await seedRep(cast.rep1);
  r2 = await seedRep(cast.rep2);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

const forbidden = parseError(400, 119);
const addUsers = (...actors: Actor[]) => ({ users: { __op: 'AddRelation', objects: actors.map((a) => a.pointer) } });

async function roleMembers(roleId: string): Promise<string[]> {
  const res = await cast.http.get('/users', {
    master: true,
    query: { where: { $relatedTo: { object: pointer('_Role', roleId), key: 'users' } } },
  });
  return idsOf(res);
}

async function roleCount(): Promise<number> {
  return (await cast.http.get('/classes/_Role', { master: true, query: { count: 1, limit: 0 } })).body.count;
}

describe('a rep cannot create or change roles', () => {
  it('creating a role → 400/119 (/classes/_Role and /roles)', async () => {
    const before = await roleCount();
    const acl = { '*': { read: true }, [cast.rep1.id!]: { read: true, write: true } };
    expect(outcome(await cast.rep1.post('/classes/_Role', { name: 'shadow-admins', ACL: acl }))).toEqual(forbidden);
    expect(outcome(await cast.rep1.post('/roles', { name: 'shadow-admins', ACL: acl, ...addUsers(cast.rep1) }))).toEqual(
      forbidden,
    );
    expect(await roleCount()).toBe(before);
  });

  for (const role of ['admins', 'managers'] as const) {
    it(`adding oneself to ${role} → 400/119 and no new rights`, async () => {
      const roleId = role === 'admins' ? cast.adminsRoleId : cast.managersRoleId;
      expect(outcome(await cast.rep1.put(`/classes/_Role/${roleId}`, addUsers(cast.rep1)))).toEqual(forbidden);
      expect(outcome(await cast.rep1.put(`/roles/${roleId}`, addUsers(cast.rep1)))).toEqual(forbidden);
      const batch = await cast.rep1.batch([{ method: 'PUT', path: `/parse/classes/_Role/${roleId}`, body: addUsers(cast.rep1) }]);
      expect(batch.body[0].error?.code).toBe(119);
      expect(await roleMembers(roleId)).not.toContain(cast.rep1.id);
      expect(outcome(await cast.rep1.get(`/classes/Deal/${r2.deal}`))).toEqual(parseError(404, 101));
    });
  }

  it('the manager cannot add a rep to managers, nor themselves to admins → 400/119', async () => {
    expect(outcome(await cast.mgr.put(`/classes/_Role/${cast.managersRoleId}`, addUsers(cast.rep1)))).toEqual(forbidden);
    expect(outcome(await cast.mgr.put(`/classes/_Role/${cast.adminsRoleId}`, addUsers(cast.mgr)))).toEqual(forbidden);
  });

  it('nesting: a rep cannot make admins inherit from a role, or add roles to admins → 400/119', async () => {
    const body = { roles: { __op: 'AddRelation', objects: [pointer('_Role', cast.managersRoleId)] } };
    expect(outcome(await cast.rep1.put(`/classes/_Role/${cast.adminsRoleId}`, body))).toEqual(forbidden);
  });

  it('deleting or renaming a role → 400/119', async () => {
    expect(outcome(await cast.rep1.delete(`/classes/_Role/${cast.managersRoleId}`))).toEqual(forbidden);
    expect(outcome(await cast.rep1.put(`/classes/_Role/${cast.managersRoleId}`, { name: 'x' }))).toEqual(forbidden);
  });

  it('a role ACL that grants the rep write does not override the class-level permission → 400/119', async () => {
    const res = await cast.admin.post('/classes/_Role', {
      name: 'team-east',
      ACL: { '*': { read: true }, [cast.rep1.id!]: { read: true, write: true } },
    });
    expect(res.status, res.text).toBe(201);
    expect(outcome(await cast.rep1.put(`/classes/_Role/${res.body.objectId}`, addUsers(cast.rep1)))).toEqual(forbidden);
    expect(await roleMembers(res.body.objectId)).toEqual([]);
  });

  it('the rep can still read roles (signed-in) but anonymous cannot', async () => {
    const res = await cast.rep1.find('_Role', { where: { name: 'admins' } });
    expect(idsOf(res)).toEqual([cast.adminsRoleId]);
    expect(outcome(await cast.anon.find('_Role'))).toEqual(parseError(404, 101));
  });
});

describe('role rules for admins', () => {
  it('duplicate role name → 400/137', async () => {
    const res = await cast.admin.post('/classes/_Role', { name: 'managers', ACL: { '*': { read: true } } });
    expect(outcome(res)).toEqual(parseError(400, 137));
    const again = await cast.admin.post('/roles', { name: 'admins', ACL: { '*': { read: true } } });
    expect(outcome(again)).toEqual(parseError(400, 137));
  });

  it('role without ACL → 400/111', async () => {
    expect(outcome(await cast.admin.post('/classes/_Role', { name: 'no-acl' }))).toEqual(parseError(400, 111));
  });

  it('the admin can create a role and add members (positive)', async () => {
    const res = await cast.admin.post('/classes/_Role', {
      name: 'team-west',
      ACL: { '*': { read: true }, 'role:admins': { read: true, write: true } },
    });
    expect(res.status, res.text).toBe(201);
    const put = await cast.admin.put(`/classes/_Role/${res.body.objectId}`, addUsers(cast.rep2));
    expect(put.status, put.text).toBe(200);
    expect(await roleMembers(res.body.objectId)).toEqual([cast.rep2.id]);
  });
});

describe('membership changes apply at once', () => {
  it("promoting rep1 to managers lets rep1 read rep2's deal immediately; demoting takes it away", async () => {
    // prime rep1's session (and any cache) first
    expect(outcome(await cast.rep1.get(`/classes/Deal/${r2.deal}`))).toEqual(parseError(404, 101));
    const add = await cast.admin.put(`/classes/_Role/${cast.managersRoleId}`, addUsers(cast.rep1));
    expect(add.status, add.text).toBe(200);
    expect((await cast.rep1.get(`/classes/Deal/${r2.deal}`)).status).toBe(200);
    const remove = await cast.admin.put(`/classes/_Role/${cast.managersRoleId}`, {
      users: { __op: 'RemoveRelation', objects: [cast.rep1.pointer] },
    });
    expect(remove.status, remove.text).toBe(200);
    expect(outcome(await cast.rep1.get(`/classes/Deal/${r2.deal}`))).toEqual(parseError(404, 101));
  });

  it("deleting the manager's user from managers through the master key revokes at once too", async () => {
    expect((await cast.mgr.get(`/classes/Deal/${r1.deal}`)).status).toBe(200);
    const remove = await cast.http.put(
      `/classes/_Role/${cast.managersRoleId}`,
      { users: { __op: 'RemoveRelation', objects: [cast.mgr.pointer] } },
      { master: true },
    );
    expect(remove.status, remove.text).toBe(200);
    expect(outcome(await cast.mgr.get(`/classes/Deal/${r1.deal}`))).toEqual(parseError(404, 101));
    await cast.http.put(`/classes/_Role/${cast.managersRoleId}`, addUsers(cast.mgr), { master: true });
  });

  it('only the first sign-up is an admin', async () => {
    expect(await roleMembers(cast.adminsRoleId)).toEqual([cast.admin.id]);
  });
});
