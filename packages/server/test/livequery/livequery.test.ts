/**
 * LiveQuery end to end: the protocol frames, event kinds, and per-subscriber security through the same
 * authorize pipeline as REST (ACLs, class-level permissions, protected fields, ended sessions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawClient, type RawClient } from '../helpers/http.js';
import { FrameClient, liveUrl } from './helpers.js';

let server: TestServer;
let api: RawClient;
const users: Record<string, { id: string; token: string }> = {};

async function signUp(name: string) {
  const res = await api.post('/users', { username: name, password: 'pw', email: `${name}@example.com` });
  users[name] = { id: res.body.objectId, token: res.body.sessionToken };
}

const as = (name: string) => ({ headers: { 'X-Parse-Session-Token': users[name].token } });

async function connect(name?: string): Promise<FrameClient> {
  const client = await FrameClient.open(liveUrl(server.serverURL));
  client.send({ op: 'connect', applicationId: server.appId, sessionToken: name ? users[name].token : undefined });
  await client.next((f) => f.op === 'connected');
  return client;
}

async function subscribe(client: FrameClient, requestId: number, query: object, extra: object = {}) {
  client.send({ op: 'subscribe', requestId, query, ...extra });
  return client.next((f) => f.requestId === requestId && (f.op === 'subscribed' || f.op === 'error'));
}

beforeAll(async () => {
  server = await startTestServer({ crmPolicy: true, authRateLimitPerMinute: 0 });
  api = rawClient(server);
  for (const name of ['admin', 'rep1', 'rep2', 'mgr']) await signUp(name);
  const managers = await api.get('/classes/_Role', { master: true, query: { where: { name: 'managers' } } });
  await api.put(
    `/classes/_Role/${managers.body.results[0].objectId}`,
    { users: { __op: 'AddRelation', objects: [{ __type: 'Pointer', className: '_User', objectId: users.mgr.id }] } },
    { master: true },
  );
}, 60_000);

afterAll(async () => server?.close());

describe('protocol', () => {
  it('connects, subscribes, and reports malformed frames without dropping the connection', async () => {
    const client = await connect('rep1');
    client.send('not json');
    expect(await client.next((f) => f.op === 'error')).toMatchObject({ code: 1, reconnect: false });
    client.send({ op: 'bogus' });
    expect(await client.next((f) => f.op === 'error')).toMatchObject({ code: 1, error: 'No enum match for: "bogus"' });
    expect(await subscribe(client, 1, { className: 'Deal', where: {} })).toMatchObject({ op: 'subscribed', requestId: 1 });
    client.send({ op: 'unsubscribe', requestId: 1 });
    expect(await client.next((f) => f.op === 'unsubscribed')).toMatchObject({ requestId: 1 });
    client.close();
  });

  it('refuses a wrong application id', async () => {
    const client = await FrameClient.open(liveUrl(server.serverURL));
    client.send({ op: 'connect', applicationId: 'nope' });
    expect(await client.next((f) => f.op === 'error')).toMatchObject({ reconnect: false });
    client.close();
  });
});

describe('events', () => {
  it('create, update, leave, enter and delete follow the where clause', async () => {
    const client = await connect('rep1');
    await subscribe(client, 7, { className: 'Deal', where: { stage: 'lead' } });
    const created = await api.post('/classes/Deal', { title: 'live one', stage: 'lead', amount: 1 }, as('rep1'));
    const id = created.body.objectId;
    const create = await client.next((f) => f.op === 'create');
    expect(create.object).toMatchObject({ objectId: id, className: 'Deal', title: 'live one', stage: 'lead', amount: 1 });
    expect(create.object.ACL).toBeDefined();
    await api.put(`/classes/Deal/${id}`, { amount: 2 }, as('rep1'));
    const update = await client.next((f) => f.op === 'update');
    expect([update.object.amount, update.original.amount]).toEqual([2, 1]);
    await api.put(`/classes/Deal/${id}`, { stage: 'won' }, as('rep1'));
    expect((await client.next((f) => f.op === 'leave')).object.stage).toBe('won');
    await api.put(`/classes/Deal/${id}`, { stage: 'lead' }, as('rep1'));
    expect((await client.next((f) => f.op === 'enter')).object.stage).toBe('lead');
    await api.delete(`/classes/Deal/${id}`, as('rep1'));
    expect((await client.next((f) => f.op === 'delete')).object.objectId).toBe(id);
    client.close();
  });

  it('keys and watch shape what is sent', async () => {
    const client = await connect('rep1');
    await subscribe(client, 1, { className: 'Deal', where: {}, keys: ['title'], watch: ['stage'] });
    const id = (await api.post('/classes/Deal', { title: 'shaped', stage: 'lead', amount: 5 }, as('rep1'))).body.objectId;
    const create = await client.next((f) => f.op === 'create');
    expect(create.object.title).toBe('shaped');
    expect(create.object.amount).toBeUndefined();
    await api.put(`/classes/Deal/${id}`, { amount: 6 }, as('rep1'));
    expect(await client.quiet()).toEqual([]);
    await api.put(`/classes/Deal/${id}`, { stage: 'qualified' }, as('rep1'));
    expect((await client.next((f) => f.op === 'update')).object.objectId).toBe(id);
    client.close();
  });

  it("include resolves pointers in events with the subscriber's permissions", async () => {
    const client = await connect('rep1');
    await subscribe(client, 1, { className: 'Deal', where: { stage: 'incl' }, include: ['company'] });
    const company = (await api.post('/classes/Company', { name: 'Included Co' }, as('rep1'))).body.objectId;
    await api.post(
      '/classes/Deal',
      { title: 'with company', stage: 'incl', company: { __type: 'Pointer', className: 'Company', objectId: company } },
      as('rep1'),
    );
    const create = await client.next((f) => f.op === 'create');
    expect(create.object.company).toMatchObject({ __type: 'Object', className: 'Company', name: 'Included Co' });
    client.close();
  });
});

describe('security per subscriber', () => {
  it('a rep hears only deals they may read; the manager hears all', async () => {
    const rep2 = await connect('rep2');
    const mgr = await connect('mgr');
    await subscribe(rep2, 1, { className: 'Deal', where: { stage: 'secret' } });
    await subscribe(mgr, 1, { className: 'Deal', where: { stage: 'secret' } });
    await api.post('/classes/Deal', { title: 'rep1 only', stage: 'secret' }, as('rep1'));
    expect((await mgr.next((f) => f.op === 'create')).object.title).toBe('rep1 only');
    expect(await rep2.quiet()).toEqual([]);
    rep2.close();
    mgr.close();
  });

  it('reassignment: the old owner gets leave (showing what they last saw), the new owner enter', async () => {
    const rep1 = await connect('rep1');
    const rep2 = await connect('rep2');
    await subscribe(rep1, 1, { className: 'Deal', where: { stage: 'moving' } });
    await subscribe(rep2, 1, { className: 'Deal', where: { stage: 'moving' } });
    const id = (await api.post('/classes/Deal', { title: 'to move', stage: 'moving', notes: 'old notes' }, as('rep1'))).body
      .objectId;
    await rep1.next((f) => f.op === 'create');
    await api.put(
      `/classes/Deal/${id}`,
      { assignedTo: { __type: 'Pointer', className: '_User', objectId: users.rep2.id }, notes: 'new notes' },
      as('admin'),
    );
    const leave = await rep1.next((f) => f.op === 'leave');
    expect(leave.object.notes).toBe('old notes');
    expect((await rep2.next((f) => f.op === 'enter')).object.notes).toBe('new notes');
    await api.put(`/classes/Deal/${id}`, { amount: 9 }, as('admin'));
    expect(await rep1.quiet()).toEqual([]);
    rep1.close();
    rep2.close();
  });

  it('anonymous clients cannot subscribe to CRM classes (101)', async () => {
    const anon = await connect();
    expect(await subscribe(anon, 3, { className: 'Deal', where: {} })).toMatchObject({ op: 'error', code: 101, requestId: 3 });
    anon.close();
  });

  it('protected fields cannot be queried, sub-queries are refused, unknown classes are refused', async () => {
    const client = await connect('rep1');
    expect(
      await subscribe(client, 1, { className: 'Deal', where: { contact: { $inQuery: { className: 'Contact', where: {} } } } }),
    ).toMatchObject({ op: 'error', code: 102 });
    expect(await subscribe(client, 2, { className: 'Company', where: {} })).toMatchObject({ op: 'error', code: 119 });
    expect(await subscribe(client, 3, { className: 'Deal', where: { title: { $regex: '(a+)+$' } } })).toMatchObject({
      op: 'subscribed',
    });
    client.close();
  });

  it('logging out ends the subscriptions with 209, and nothing is delivered after', async () => {
    const login = await api.post('/login', { username: 'rep1', password: 'pw' });
    const token = login.body.sessionToken as string;
    const client = await FrameClient.open(liveUrl(server.serverURL));
    client.send({ op: 'connect', applicationId: server.appId, sessionToken: token });
    await client.next((f) => f.op === 'connected');
    await subscribe(client, 5, { className: 'Deal', where: { stage: 'bye' } });
    await api.post('/logout', {}, { headers: { 'X-Parse-Session-Token': token } });
    expect(await client.next((f) => f.op === 'error')).toMatchObject({ code: 209, requestId: 5 });
    await api.post('/classes/Deal', { title: 'after logout', stage: 'bye' }, as('rep1'));
    expect(await client.quiet()).toEqual([]);
    client.close();
  });
});

describe('the Parse SDK', () => {
  it('query.subscribe() receives events and subscription.find() answers', async () => {
    initParse(server);
    (Parse as any).liveQueryServerURL = liveUrl(server.serverURL);
    const query = new Parse.Query('Deal').equalTo('stage', 'sdk-live');
    const subscription = await query.subscribe(users.rep1.token);
    const created = new Promise<Parse.Object>((resolve) => subscription.on('create', resolve));
    await api.post('/classes/Deal', { title: 'via sdk', stage: 'sdk-live' }, as('rep1'));
    const object = await created;
    expect(object.get('title')).toBe('via sdk');
    const results = new Promise<Parse.Object[]>((resolve) => subscription.on('result', resolve));
    subscription.find();
    expect((await results).map((o) => o.get('title'))).toEqual(['via sdk']);
    await subscription.unsubscribe();
    await (Parse.LiveQuery as any).close();
  });
});

describe('session expiry', () => {
  it('an expired session loses its subscriptions at the next heartbeat (209)', async () => {
    const short = await startTestServer({ crmPolicy: true, authRateLimitPerMinute: 0, sessionLengthMs: 1500 });
    try {
      const http = rawClient(short);
      const signUp = await http.post('/users', { username: 'brief', password: 'pw', email: 'brief@example.com' });
      const client = await FrameClient.open(liveUrl(short.serverURL));
      client.send({ op: 'connect', applicationId: short.appId, sessionToken: signUp.body.sessionToken });
      await client.next((f) => f.op === 'connected');
      client.send({ op: 'subscribe', requestId: 1, query: { className: 'Deal', where: {} } });
      await client.next((f) => f.op === 'subscribed');
      const ended = await client.next((f) => f.op === 'error', 15_000);
      expect(ended).toMatchObject({ code: 209, requestId: 1 });
      client.close();
    } finally {
      await short.close();
    }
  }, 30_000);
});
