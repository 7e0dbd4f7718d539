/**
 * Sessions: `/sessions`, `/sessions/me` and `_Session` queries show only the caller's own sessions and never a
 * token or its digest; other users' sessions cannot be read, changed, deleted or hijacked; a logged-out, deleted
 * or expired token is 209 on every request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, parseError, rawClient, type RawResponse } from '../helpers/http.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, logIn, signUp, sleep, startCrmServer, tokenForms, type Actor, type Cast } from './helpers/cast.js';

let server: TestServer;
let cast: Cast;
/** rep1 logged in a second time: two sessions for one user. */
let rep1b: Actor;
let rep1SessionId: string;
let rep1bSessionId: string;
let rep2SessionId: string;

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  rep1b = cast.rep1.withToken(await logIn(cast.http, 'rep1'));
  rep1SessionId = (await cast.rep1.get('/sessions/me')).body.objectId;
  rep1bSessionId = (await rep1b.get('/sessions/me')).body.objectId;
  rep2SessionId = (await cast.rep2.get('/sessions/me')).body.objectId;
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

const invalidSession = parseError(400, 209);

function allTokens(): string[] {
  return [cast.admin, cast.rep1, rep1b, cast.rep2, cast.mgr].map((a) => a.token!);
}

/** The response text holds no form of any live token except the caller's own clear token (when `allowOwn`). */
function expectNoTokens(res: RawResponse, caller: Actor, allowOwn = false) {
  for (const token of allTokens()) {
    for (const form of tokenForms(token)) {
      if (allowOwn && token === caller.token && form === token) continue;
      if (allowOwn && token === caller.token && form === token.slice(2)) continue;
      expect(res.text, `leaks a form of ${token === caller.token ? "the caller's" : 'another'} token`).not.toContain(form);
    }
  }
  expect(res.text).not.toMatch(/_session_token_hash|_hashed_password/);
}

describe('reading sessions', () => {
  it('the setup found distinct session ids', () => {
    expect(new Set([rep1SessionId, rep1bSessionId, rep2SessionId]).size).toBe(3);
  });

  it("/sessions/me: the caller's session with its own token only", async () => {
    const res = await cast.rep1.get('/sessions/me');
    expect(res.status, res.text).toBe(200);
    expect(res.body.objectId).toBe(rep1SessionId);
    expect(res.body.user).toEqual(cast.rep1.pointer);
    expect(res.body.sessionToken).toBe(cast.rep1.token);
    expectNoTokens(res, cast.rep1, true);
  });

  it('/sessions/me without a token → 209', async () => {
    expect(outcome(await cast.anon.get('/sessions/me'))).toEqual(invalidSession);
  });

  for (const path of ['/sessions', '/classes/_Session']) {
    it(`${path}: only the caller's own sessions, no tokens or digests`, async () => {
      const res = await cast.rep1.get(path);
      expect(res.status, res.text).toBe(200);
      const ids = (res.body.results as { objectId: string; user: unknown }[]).map((s) => s.objectId).sort();
      expect(ids).toEqual([rep1SessionId, rep1bSessionId].sort());
      for (const row of res.body.results) expect(row.user).toEqual(cast.rep1.pointer);
      expectNoTokens(res, cast.rep1);
    });
  }

  it('where user = another user → empty; count → 0', async () => {
    const res = await cast.rep2.find('_Session', { where: { user: cast.rep1.pointer } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results).toEqual([]);
    const count = await cast.rep2.count('_Session', { user: cast.rep1.pointer });
    expect(count.body).toEqual({ results: [], count: 0 });
    const all = await cast.rep2.count('_Session');
    expect(all.body.count).toBe(1);
  });

  it("where sessionToken = another user's token finds nothing", async () => {
    const res = await cast.rep2.find('_Session', { where: { sessionToken: cast.rep1.token } });
    if (res.status === 200) expect(res.body.results).toEqual([]);
    else expect(res.status).toBe(400);
    expectNoTokens(res, cast.rep2);
  });

  it('include=user on own sessions does not add tokens', async () => {
    const res = await cast.rep1.get('/sessions', { include: 'user' });
    expect(res.status, res.text).toBe(200);
    expectNoTokens(res, cast.rep1);
  });

  it("get of another user's session by id → 404/101 (both routes)", async () => {
    expect(outcome(await cast.rep2.get(`/sessions/${rep1SessionId}`))).toEqual(parseError(404, 101));
    expect(outcome(await cast.rep2.get(`/classes/_Session/${rep1SessionId}`))).toEqual(parseError(404, 101));
  });

  it("the manager and the admin do not see other users' sessions either (no master key)", async () => {
    for (const actor of [cast.mgr, cast.admin]) {
      const res = await actor.get('/sessions');
      expect(res.status, res.text).toBe(200);
      for (const row of res.body.results) expect(row.user).toEqual(actor.pointer);
      expectNoTokens(res, actor);
    }
  });

  it('the master key lists all sessions, still without tokens or digests', async () => {
    const res = await cast.http.get('/sessions', { master: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results.length).toBeGreaterThanOrEqual(5);
    expectNoTokens(res, cast.anon);
  });

  it('anonymous /sessions → 400/209 (parse-server: a _Session query needs a user)', async () => {
    const res = await cast.anon.get('/sessions');
    expect(outcome(res)).toEqual(invalidSession);
  });
});

describe('writing sessions', () => {
  it("deleting another user's session → 404/101 and their token still works", async () => {
    expect(outcome(await cast.rep2.delete(`/sessions/${rep1SessionId}`))).toEqual(parseError(404, 101));
    expect(outcome(await cast.rep2.delete(`/classes/_Session/${rep1SessionId}`))).toEqual(parseError(404, 101));
    const batch = await cast.rep2.batch([{ method: 'DELETE', path: `/parse/sessions/${rep1SessionId}` }]);
    expect(batch.body[0].error?.code).toBe(101);
    expect((await cast.rep1.get('/users/me')).status).toBe(200);
  });

  it("the manager cannot delete a rep's session → 404/101", async () => {
    expect(outcome(await cast.mgr.delete(`/sessions/${rep1SessionId}`))).toEqual(parseError(404, 101));
  });

  describe('moving an own session to another user (hijack)', () => {
    let spare: Actor;
    let spareId: string;

    beforeAll(async () => {
      spare = cast.rep1.withToken(await logIn(cast.http, 'rep1'));
      spareId = (await spare.get('/sessions/me')).body.objectId;
    });

    it('PUT /sessions/:own {user: rep2} → 400/119', async () => {
      expect(outcome(await spare.put(`/sessions/${spareId}`, { user: cast.rep2.pointer }))).toEqual(parseError(400, 119));
    });

    it('the stored session still belongs to rep1', async () => {
      const stored = await cast.http.get(`/sessions/${spareId}`, { master: true });
      expect(stored.body.user).toEqual(cast.rep1.pointer);
    });

    it('the token never authenticates as rep2 (checked past the session cache)', async () => {
      await sleep(5500);
      const me = await spare.get('/users/me');
      expect(me.body.username).toBe('rep1');
      expect(me.body.email).not.toBe('rep2@crm.test');
    }, 15_000);

    it('nor as the admin: moving a fresh session to the admin gives no admin rights', async () => {
      const fresh = cast.rep1.withToken(await logIn(cast.http, 'rep1'));
      const freshId = (await fresh.get('/sessions/me')).body.objectId;
      await fresh.put(`/sessions/${freshId}`, { user: cast.admin.pointer });
      await sleep(5500);
      const me = await fresh.get('/users/me');
      expect(me.body.username).toBe('rep1');
      const roles = await fresh.post('/classes/_Role', { name: 'escalated', ACL: { '*': { read: true } } });
      expect(outcome(roles)).toEqual(parseError(400, 119));
    }, 15_000);
  });

  it("extending an own session's expiry is refused → 400/119", async () => {
    const res = await cast.rep1.put(`/classes/_Session/${rep1SessionId}`, {
      expiresAt: { __type: 'Date', iso: '2999-01-01T00:00:00.000Z' },
    });
    expect(outcome(res)).toEqual(parseError(400, 119));
  });

  it('creating a session for another user is refused → 400/119', async () => {
    const rep2Ids = async () =>
      (await cast.http.get('/sessions', { master: true, query: { where: { user: cast.rep2.pointer } } })).body.results
        .map((r: { objectId: string }) => r.objectId)
        .sort();
    const before = await rep2Ids();
    for (const path of ['/sessions', '/classes/_Session']) {
      const res = await cast.rep1.post(path, { user: cast.rep2.pointer });
      expect(outcome(res), path).toEqual(parseError(400, 119));
    }
    expect(await rep2Ids()).toEqual(before);
  });

  it('an own other session can be deleted, and its token is then dead at once (209)', async () => {
    const extra = cast.rep2.withToken(await logIn(cast.http, 'rep2'));
    const extraId = (await extra.get('/sessions/me')).body.objectId;
    expect((await extra.find('Deal')).status).toBe(200); // token resolved (and possibly cached)
    const del = await cast.rep2.delete(`/sessions/${extraId}`);
    expect(del.status, del.text).toBe(200);
    expect(outcome(await extra.find('Deal'))).toEqual(invalidSession);
    expect(outcome(await extra.get('/users/me'))).toEqual(invalidSession);
  });
});

describe('a logged-out token → 209 on every request', () => {
  let dead: Actor;

  beforeAll(async () => {
    dead = cast.rep2.withToken(await logIn(cast.http, 'rep2'));
    expect((await dead.find('Deal')).status).toBe(200);
    const res = await dead.post('/logout');
    expect(res.status, res.text).toBe(200);
  });

  const requests: [string, (a: Actor) => Promise<RawResponse>][] = [
    ['GET /users/me', (a) => a.get('/users/me')],
    ['GET /sessions/me', (a) => a.get('/sessions/me')],
    ['GET /sessions', (a) => a.get('/sessions')],
    ['find Deal', (a) => a.find('Deal')],
    ['count Deal', (a) => a.count('Deal')],
    ['get Deal', (a) => a.get('/classes/Deal/AAAAAAAAAA')],
    ['create Company', (a) => a.post('/classes/Company', { name: 'zombie' })],
    ['update _User', (a) => a.put(`/users/${cast.rep2.id}`, { username: 'zombie' })],
    ['delete Deal', (a) => a.delete('/classes/Deal/AAAAAAAAAA')],
    ['find _User', (a) => a.find('_User')],
    ['find _Role', (a) => a.find('_Role')],
    ['batch', (a) => a.batch([{ method: 'GET', path: '/parse/classes/Deal' }])],
    ['logout again', (a) => a.post('/logout')],
    ['sign-up while carrying it', (a) => a.post('/users', { username: 'zombie', password: 'x', email: 'zombie@crm.test' })],
  ];
  for (const [label, send] of requests) {
    it(label, async () => {
      expect(outcome(await send(dead))).toEqual(invalidSession);
    });
  }

  it('through the SDK body form too (_SessionToken in a text/plain POST)', async () => {
    const res = await cast.http.post(
      '/classes/Deal',
      { _method: 'GET', _ApplicationId: server.appId, _SessionToken: dead.token, _ClientVersion: 'js8.6.2' },
      { appId: null, contentType: 'text/plain' },
    );
    expect(outcome(res)).toEqual(invalidSession);
  });

  it('an unknown token → 209 as well', async () => {
    expect(outcome(await cast.rep2.withToken('r:00000000000000000000000000000000').find('Deal'))).toEqual(invalidSession);
  });
});

describe('an expired session → 209', () => {
  let shortServer: TestServer;

  beforeAll(async () => {
    shortServer = await startCrmServer({ sessionLengthMs: 1500 });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await shortServer?.close();
  });

  it('a token used before expiry is refused right after it (no cached grace)', async () => {
    const http = rawClient(shortServer);
    const first = await signUp(http, 'early');
    expect((await first.get('/users/me')).status).toBe(200);
    expect((await first.find('_User')).status).toBe(200);
    await sleep(2000);
    expect(outcome(await first.get('/users/me'))).toEqual(invalidSession);
    expect(outcome(await first.find('_User'))).toEqual(invalidSession);
  });

  it('a token never used before expiry is refused', async () => {
    const http = rawClient(shortServer);
    await signUp(http, 'late');
    const token = await logIn(http, 'late');
    await sleep(2000);
    const res = await http.get('/classes/Company', { headers: { 'X-Parse-Session-Token': token } });
    expect(outcome(res)).toEqual(invalidSession);
  });

  it('a fresh log-in after expiry works again (positive)', async () => {
    const http = rawClient(shortServer);
    const token = await logIn(http, 'late');
    const res = await http.get('/users/me', { headers: { 'X-Parse-Session-Token': token } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.username).toBe('late');
  });
});
