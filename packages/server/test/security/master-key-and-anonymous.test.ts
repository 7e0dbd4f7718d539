/**
 * The master key is honoured only when correct and only from MASTER_KEY_IPS (a correct key from elsewhere → 403,
 * a wrong key → just not master); anonymous clients get 101 on every CRM class, but may sign up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, parseError, rawClient, type RawClient, type RawResponse } from '../helpers/http.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, idsOf, seedRep, startCrmServer, type Cast, type RepData } from './helpers/cast.js';

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

const CRM_CLASSES = ['Company', 'Contact', 'Deal', 'Activity'] as const;
const notFound = parseError(404, 101);

/** The SDK's request form: text/plain POST with the method and keys in the body. */
function sdkStyle(http: RawClient, path: string, payload: Record<string, unknown>): Promise<RawResponse> {
  return http.post(
    path,
    { _ApplicationId: http.server.appId, _ClientVersion: 'js8.6.2', ...payload },
    { appId: null, contentType: 'text/plain' },
  );
}

describe('anonymous clients', () => {
  for (const className of CRM_CLASSES) {
    it(`${className}: find, count, get, create, update, delete → 404/101`, async () => {
      const id = r1[({ Company: 'company', Contact: 'contact', Deal: 'deal', Activity: 'activity' } as const)[className]];
      const attempts: [string, RawResponse][] = [
        ['find', await cast.anon.find(className)],
        ['find with where', await cast.anon.find(className, { where: { objectId: id } })],
        ['count', await cast.anon.count(className)],
        ['get', await cast.anon.get(`/classes/${className}/${id}`)],
        ['create', await cast.anon.post(`/classes/${className}`, { name: 'anon', title: 'anon', subject: 'anon' })],
        ['update', await cast.anon.put(`/classes/${className}/${id}`, { notes: 'anon' })],
        ['delete', await cast.anon.delete(`/classes/${className}/${id}`)],
        ['SDK-style find', await sdkStyle(cast.http, `/classes/${className}`, { _method: 'GET', where: {} })],
      ];
      for (const [label, res] of attempts) expect(outcome(res), `${className} ${label}`).toEqual(notFound);
      expect((await cast.http.get(`/classes/${className}/${id}`, { master: true })).status).toBe(200);
    });
  }

  it('batch items as anonymous → error 101 each', async () => {
    const res = await cast.anon.batch([
      { method: 'GET', path: `/parse/classes/Deal/${r1.deal}` },
      { method: 'POST', path: '/parse/classes/Company', body: { name: 'anon' } },
      { method: 'DELETE', path: `/parse/classes/Contact/${r1.contact}` },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.map((item: { error?: { code: number } }) => item.error?.code)).toEqual([101, 101, 101]);
  });

  it('_User and _Role are for signed-in users only → 404/101', async () => {
    expect(outcome(await cast.anon.find('_User'))).toEqual(notFound);
    expect(outcome(await cast.anon.get('/users'))).toEqual(notFound);
    expect(outcome(await cast.anon.get(`/users/${cast.rep1.id}`))).toEqual(notFound);
    expect(outcome(await cast.anon.count('_User'))).toEqual(notFound);
    expect(outcome(await cast.anon.find('_Role'))).toEqual(notFound);
    expect(outcome(await cast.anon.get('/roles'))).toEqual(notFound);
  });

  it('/users/me without a token → 400/209', async () => {
    expect(outcome(await cast.anon.get('/users/me'))).toEqual(parseError(400, 209));
  });

  it('sign-up works, returns a session, and the newcomer is an ordinary user', async () => {
    const res = await cast.anon.post('/users', { username: 'newbie', password: 'pw-newbie', email: 'newbie@crm.test' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.sessionToken).toMatch(/^r:[0-9a-f]{32}$/);
    const token = res.body.sessionToken as string;
    const headers = { 'X-Parse-Session-Token': token };
    const me = await cast.http.get('/users/me', { headers });
    expect(me.body.username).toBe('newbie');
    expect(me.body.email).toBe('newbie@crm.test');
    // not an admin: sees no one's deals, cannot create roles
    expect(idsOf(await cast.http.get('/classes/Deal', { headers }))).toEqual([]);
    const role = await cast.http.post('/classes/_Role', { name: 'newbies', ACL: { '*': { read: true } } }, { headers });
    expect(outcome(role)).toEqual(parseError(400, 119));
    // policy ACL of a new user: public read (usernames), self read/write
    const stored = await cast.http.get(`/users/${res.body.objectId}`, { master: true });
    expect(stored.body.ACL).toEqual({ '*': { read: true }, [res.body.objectId]: { read: true, write: true } });
  });

  it('log-in failures do not tell a known account from an unknown one (404/101 both)', async () => {
    for (const body of [
      { username: 'rep1', password: 'wrong' },
      { username: 'nobody-here', password: 'wrong' },
      { email: 'rep1@crm.test', password: 'wrong' },
      { email: 'nobody@crm.test', password: 'wrong' },
    ]) {
      expect(outcome(await cast.anon.post('/login', body)), JSON.stringify(body)).toEqual(notFound);
    }
  });

  it('sign-up through /classes/_User works too', async () => {
    const res = await cast.anon.post('/classes/_User', { username: 'newbie2', password: 'pw', email: 'newbie2@crm.test' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.sessionToken).toEqual(expect.any(String));
  });

  it('sign-up carrying a valid session token still creates a plain user (no inherited rights)', async () => {
    const res = await cast.admin.post('/users', { username: 'sidekick', password: 'pw', email: 'sidekick@crm.test' });
    expect(res.status, res.text).toBe(201);
    const headers = { 'X-Parse-Session-Token': res.body.sessionToken as string };
    expect(idsOf(await cast.http.get('/classes/Deal', { headers }))).toEqual([]);
  });
});

describe('a wrong master key is simply not master', () => {
  const wrong = { 'X-Parse-Master-Key': 'not-the-master-key' };

  it('alone: anonymous → CRM class 404/101', async () => {
    expect(outcome(await cast.http.get('/classes/Deal', { headers: wrong }))).toEqual(notFound);
  });

  it('with a session: acts as that user', async () => {
    const res = await cast.http.get('/classes/Deal', { headers: { ...wrong, 'X-Parse-Session-Token': cast.rep2.token! } });
    expect(res.status, res.text).toBe(200);
    expect(idsOf(res)).not.toContain(r1.deal);
  });

  it('near misses (prefix, different case, extended) are not master', async () => {
    // (HTTP itself strips spaces around header values, so padding is tried in the body form below)
    for (const key of [server.masterKey.slice(0, -1), server.masterKey.toUpperCase(), `${server.masterKey}x`]) {
      if (key === server.masterKey) continue;
      const res = await cast.http.get('/classes/Deal', { headers: { 'X-Parse-Master-Key': key } });
      expect(outcome(res), JSON.stringify(key)).toEqual(notFound);
    }
  });

  it('in the SDK body form (_MasterKey): wrong or padded → not master', async () => {
    for (const key of ['not-the-master-key', ` ${server.masterKey}`, `${server.masterKey} `, `${server.masterKey}\n`]) {
      const res = await sdkStyle(cast.http, '/classes/Deal', { _method: 'GET', _MasterKey: key });
      expect(outcome(res), JSON.stringify(key)).toEqual(notFound);
    }
  });

  it('the schema API with a wrong key → 403', async () => {
    expect((await cast.http.get('/schemas', { headers: wrong })).status).toBe(403);
  });

  it('the right master key from loopback is master (positive)', async () => {
    const res = await cast.http.get('/classes/Deal', { master: true });
    expect(idsOf(res)).toContain(r1.deal);
  });
});

describe('the master key from an address outside MASTER_KEY_IPS → 403', () => {
  let restricted: TestServer;
  let http: RawClient;

  beforeAll(async () => {
    restricted = await startCrmServer({ masterKeyIps: ['10.9.9.9/32'] });
    http = rawClient(restricted);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await restricted?.close();
  });

  const expectUnauthorized = (res: RawResponse) => {
    expect(res.status, res.text).toBe(403);
    expect(res.body).toEqual({ error: 'unauthorized' });
  };

  it('header form', async () => {
    expectUnauthorized(await http.get('/classes/Deal', { master: true }));
  });

  it('SDK body form', async () => {
    expectUnauthorized(await sdkStyle(http, '/classes/Deal', { _method: 'GET', _MasterKey: restricted.masterKey }));
  });

  it('spoofed X-Forwarded-For / X-Real-IP naming the allowed address → still 403', async () => {
    expectUnauthorized(
      await http.get('/classes/Deal', { master: true, headers: { 'X-Forwarded-For': '10.9.9.9', 'X-Real-IP': '10.9.9.9' } }),
    );
  });

  it('with a valid session token alongside → still 403 (no silent fall-back)', async () => {
    const signUp = await http.post('/users', { username: 'first', password: 'pw', email: 'first@crm.test' });
    expect(signUp.status).toBe(201);
    expectUnauthorized(
      await http.get('/classes/Deal', { master: true, headers: { 'X-Parse-Session-Token': signUp.body.sessionToken } }),
    );
  });

  it('schema API, batch and role changes with the key → 403', async () => {
    expectUnauthorized(await http.get('/schemas', { master: true }));
    expectUnauthorized(
      await http.post('/batch', { requests: [{ method: 'GET', path: '/parse/classes/Deal' }] }, { master: true }),
    );
    expectUnauthorized(await http.get('/classes/_Role', { master: true }));
  });

  it('sessions and users with the key → 403', async () => {
    expectUnauthorized(await http.get('/sessions', { master: true }));
    expectUnauthorized(await http.get('/users', { master: true, query: { where: { email: { $exists: true } } } }));
  });

  it('ordinary clients on that server are unaffected (positive)', async () => {
    const res = await http.post('/users', { username: 'second', password: 'pw', email: 'second@crm.test' });
    expect(res.status, res.text).toBe(201);
    const company = await http.post(
      '/classes/Company',
      { name: 'x' },
      { headers: { 'X-Parse-Session-Token': res.body.sessionToken } },
    );
    expect(company.status, company.text).toBe(201);
  });
});
