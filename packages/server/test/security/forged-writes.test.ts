/**
 * Writes that try to lie: a forged `createdBy`, a client-chosen `objectId` or timestamps, `emailVerified` set by
 * a client, ACLs given on create, undeclared fields, other users' accounts, and the schema API without the
 * master key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, parseError } from '../helpers/http.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, idsOf, logIn, seedRep, startCrmServer, PASSWORD, type Cast, type RepData } from './helpers/cast.js';

let server: TestServer;
let cast: Cast;
let r1: RepData;

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  r1 = await seedRep(cast.rep1);
  await seedRep(cast.rep2);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

async function masterGet(className: string, objectId: string) {
  const res = await cast.http.get(`/classes/${className}/${objectId}`, { master: true });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function countAll(className: string): Promise<number> {
  return (await cast.http.get(`/classes/${className}`, { master: true, query: { count: 1, limit: 0 } })).body.count;
}

describe("createdBy is the server's", () => {
  const bodies: Record<string, Record<string, unknown>> = {
    Company: { name: 'forged Co' },
    Contact: { name: 'forged Contact' },
    Activity: { subject: 'forged call' },
  };

  for (const [className, body] of Object.entries(bodies)) {
    it(`${className}: create naming another user as createdBy → 400/119, nothing created`, async () => {
      const before = await countAll(className);
      const res = await cast.rep2.post(`/classes/${className}`, { ...body, createdBy: cast.rep1.pointer });
      expect(outcome(res)).toEqual(parseError(400, 119));
      expect(await countAll(className)).toBe(before);
    });
  }

  it('Deal has no createdBy in the schema, but forging one still must not succeed as another user', async () => {
    const res = await cast.rep2.post('/classes/Deal', { title: 'forged deal', createdBy: cast.rep1.pointer });
    expect(outcome(res)).toEqual(parseError(400, 119));
  });

  it('create naming oneself as createdBy is fine, and the server-set value is kept', async () => {
    const id = await cast.rep2.create('Company', { name: 'honest Co', createdBy: cast.rep2.pointer });
    expect((await masterGet('Company', id)).createdBy).toEqual(cast.rep2.pointer);
  });

  it('createdBy omitted: the server sets it from the session', async () => {
    const id = await cast.rep2.create('Contact', { name: 'plain' });
    expect((await masterGet('Contact', id)).createdBy).toEqual(cast.rep2.pointer);
  });

  it('update of an own object setting createdBy to another user → 400/119, createdBy unchanged', async () => {
    const id = await cast.rep2.create('Company', { name: 'mine' });
    const res = await cast.rep2.put(`/classes/Company/${id}`, { createdBy: cast.rep1.pointer });
    expect(outcome(res)).toEqual(parseError(400, 119));
    expect((await masterGet('Company', id)).createdBy).toEqual(cast.rep2.pointer);
  });

  it('update of an own activity deleting createdBy leaves it in place', async () => {
    const id = await cast.rep2.create('Activity', { subject: 'keep creator' });
    await cast.rep2.put(`/classes/Activity/${id}`, { createdBy: { __op: 'Delete' } });
    expect((await masterGet('Activity', id)).createdBy).toEqual(cast.rep2.pointer);
  });

  it('batch: a forged createdBy item fails with 119, the honest item succeeds', async () => {
    const res = await cast.rep2.batch([
      { method: 'POST', path: '/parse/classes/Company', body: { name: 'batch forged', createdBy: cast.rep1.pointer } },
      { method: 'POST', path: '/parse/classes/Company', body: { name: 'batch honest' } },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body[0].error?.code).toBe(119);
    expect(res.body[1].success?.objectId).toEqual(expect.any(String));
  });

  it('the master key may set createdBy, and the owner then gets the object (positive)', async () => {
    const res = await cast.http.post('/classes/Company', { name: 'imported', createdBy: cast.rep1.pointer }, { master: true });
    expect(res.status, res.text).toBe(201);
    expect((await cast.rep1.get(`/classes/Company/${res.body.objectId}`)).status).toBe(200);
    expect(outcome(await cast.rep2.get(`/classes/Company/${res.body.objectId}`))).toEqual(parseError(404, 101));
  });
});

describe('client-chosen identity and timestamps', () => {
  it('objectId in a create body → 400/105 (Deal, Company, sign-up)', async () => {
    expect(outcome(await cast.rep1.post('/classes/Deal', { title: 'x', objectId: 'AAAAAAAAAA' }))).toEqual(parseError(400, 105));
    expect(outcome(await cast.rep1.post('/classes/Company', { name: 'x', objectId: r1.company }))).toEqual(parseError(400, 105));
    expect(
      outcome(
        await cast.anon.post('/users', { username: 'squatter', password: 'pw', email: 'sq@crm.test', objectId: cast.admin.id }),
      ),
    ).toEqual(parseError(400, 105));
  });

  it('objectId of a foreign row in an update body cannot redirect the write', async () => {
    const own = await cast.rep2.create('Deal', { title: 'own' });
    const res = await cast.rep2.put(`/classes/Deal/${own}`, { objectId: r1.deal, title: 'hijacked' });
    expect(res.status).toBe(400);
    expect((await masterGet('Deal', r1.deal)).title).toBe('rep1 Deal');
  });

  it('createdAt / updatedAt as strings → 400/111', async () => {
    expect(outcome(await cast.rep1.post('/classes/Deal', { title: 'x', createdAt: '2000-01-01T00:00:00.000Z' }))).toEqual(
      parseError(400, 111),
    );
    expect(outcome(await cast.rep1.post('/classes/Deal', { title: 'x', updatedAt: '2000-01-01T00:00:00.000Z' }))).toEqual(
      parseError(400, 111),
    );
  });

  it('createdAt as a Date from a client does not backdate the object', async () => {
    const res = await cast.rep1.post('/classes/Deal', {
      title: 'backdated?',
      createdAt: { __type: 'Date', iso: '2000-01-01T00:00:00.000Z' },
    });
    if (res.status === 201) {
      const stored = await masterGet('Deal', res.body.objectId);
      expect(stored.createdAt.startsWith('2000-')).toBe(false);
    } else {
      expect(res.status).toBe(400);
    }
  });
});

describe('ACL on create: an explicit ACL replaces the owner default, but managers and admins keep access', () => {
  it('rep1 may create a deal with an explicit ACL; managers still read it, admins still read and write it', async () => {
    const acl = { [cast.rep1.id!]: { read: true, write: true } };
    const id = await cast.rep1.create('Deal', { title: 'private deal', ACL: acl });
    expect((await masterGet('Deal', id)).ACL).toEqual({
      ...acl,
      'role:managers': { read: true },
      'role:admins': { read: true, write: true },
    });
    expect((await cast.mgr.get(`/classes/Deal/${id}`)).status).toBe(200);
    expect(outcome(await cast.mgr.put(`/classes/Deal/${id}`, { notes: 'x' }))).toEqual(parseError(404, 101));
    expect((await cast.admin.put(`/classes/Deal/${id}`, { notes: 'admin was here' })).status).toBe(200);
    expect(outcome(await cast.rep2.get(`/classes/Deal/${id}`))).toEqual(parseError(404, 101));
  });

  it('an explicit public ACL makes the object readable by other reps (and still not by anonymous: CLP)', async () => {
    const id = await cast.rep1.create('Company', { name: 'public Co', ACL: { '*': { read: true } } });
    expect((await cast.rep2.get(`/classes/Company/${id}`)).status).toBe(200);
    expect(outcome(await cast.rep2.put(`/classes/Company/${id}`, { notes: 'x' }))).toEqual(parseError(404, 101));
    expect(outcome(await cast.anon.get(`/classes/Company/${id}`))).toEqual(parseError(404, 101));
  });

  it('an explicit ACL does not change createdBy', async () => {
    const id = await cast.rep1.create('Contact', { name: 'acl contact', ACL: { [cast.rep2.id!]: { read: true, write: true } } });
    expect((await masterGet('Contact', id)).createdBy).toEqual(cast.rep1.pointer);
  });

  it('a malformed ACL is rejected (400), nothing created', async () => {
    const before = await countAll('Company');
    const res = await cast.rep1.post('/classes/Company', { name: 'bad acl', ACL: { '*': { read: 'yes' } } });
    expect(res.status, res.text).toBe(400);
    expect(await countAll('Company')).toBe(before);
  });
});

describe('user accounts', () => {
  it('emailVerified on sign-up by a client → 400/119', async () => {
    const res = await cast.anon.post('/users', {
      username: 'verifier',
      password: 'pw',
      email: 'v@crm.test',
      emailVerified: true,
    });
    expect(outcome(res)).toEqual(parseError(400, 119));
  });

  it('emailVerified on an own update → 400/119', async () => {
    expect(outcome(await cast.rep2.put(`/users/${cast.rep2.id}`, { emailVerified: true }))).toEqual(parseError(400, 119));
    expect(outcome(await cast.rep2.put(`/classes/_User/${cast.rep2.id}`, { emailVerified: true }))).toEqual(parseError(400, 119));
  });

  it("changing another user's password → 404/101, their password still works", async () => {
    const res = await cast.rep2.put(`/users/${cast.rep1.id}`, { password: 'owned-by-rep2' });
    expect(outcome(res)).toEqual(parseError(404, 101));
    await logIn(cast.http, 'rep1', PASSWORD);
    expect(outcome(await cast.http.post('/login', { username: 'rep1', password: 'owned-by-rep2' }))).toEqual(
      parseError(404, 101),
    );
  });

  it("changing another user's email/username → 404/101", async () => {
    expect(outcome(await cast.rep2.put(`/users/${cast.admin.id}`, { email: 'rep2+admin@crm.test' }))).toEqual(
      parseError(404, 101),
    );
    expect(outcome(await cast.mgr.put(`/classes/_User/${cast.rep1.id}`, { username: 'rep1x' }))).toEqual(parseError(404, 101));
  });

  it('deleting another user → 404/101', async () => {
    expect(outcome(await cast.rep2.delete(`/users/${cast.rep1.id}`))).toEqual(parseError(404, 101));
    expect(outcome(await cast.mgr.delete(`/classes/_User/${cast.rep1.id}`))).toEqual(parseError(404, 101));
  });

  it('anonymous update / delete of a user → 400/206 (parse-server: "Cannot modify user")', async () => {
    expect(outcome(await cast.anon.put(`/users/${cast.rep1.id}`, { password: 'anon' }))).toEqual(parseError(400, 206));
    expect(outcome(await cast.anon.delete(`/users/${cast.rep1.id}`))).toEqual(parseError(400, 206));
    await logIn(cast.http, 'rep1', PASSWORD);
  });

  it("taking the admin's username (any case) → 400/202", async () => {
    expect(outcome(await cast.rep2.put(`/users/${cast.rep2.id}`, { username: 'ADMIN' }))).toEqual(parseError(400, 202));
  });

  it('an own user ACL update cannot be used to read others (sanity: own account still private-write)', async () => {
    const res = await cast.rep2.put(`/users/${cast.rep2.id}`, {
      ACL: { '*': { read: true }, [cast.rep2.id!]: { read: true, write: true } },
    });
    expect(res.status, res.text).toBe(200);
    const other = await cast.rep2.find('_User', { where: { username: 'rep1' } });
    expect(other.body.results[0]).not.toHaveProperty('email');
  });
});

describe('schema and fields', () => {
  it('an undeclared field from a client → 400/119', async () => {
    expect(outcome(await cast.rep1.post('/classes/Deal', { title: 'x', isAdmin: true }))).toEqual(parseError(400, 119));
    expect(outcome(await cast.rep1.put(`/classes/Deal/${r1.deal}`, { backdoor: 1 }))).toEqual(parseError(400, 119));
  });

  it('a class that does not exist → 400/119 for a client', async () => {
    expect(outcome(await cast.rep1.post('/classes/Backdoor', { x: 1 }))).toEqual(parseError(400, 119));
    expect(outcome(await cast.rep1.find('Backdoor'))).toEqual(parseError(400, 119));
  });

  it('the schema API without the master key → 403 (read and write)', async () => {
    expect((await cast.admin.get('/schemas')).status).toBe(403);
    expect((await cast.rep1.get('/schemas/Deal')).status).toBe(403);
    const put = await cast.rep1.put('/schemas/Deal', {
      className: 'Deal',
      classLevelPermissions: {
        find: { '*': true },
        get: { '*': true },
        count: { '*': true },
        create: { '*': true },
        update: { '*': true },
        delete: { '*': true },
        addField: { '*': true },
      },
    });
    expect(put.status, put.text).toBe(403);
    expect(outcome(await cast.anon.find('Deal'))).toEqual(parseError(404, 101));
  });

  it('sanity: rep1 still sees exactly its seeded company under that name', async () => {
    expect(idsOf(await cast.rep1.find('Company', { where: { name: 'rep1 Co' } }))).toEqual([r1.company]);
  });
});
