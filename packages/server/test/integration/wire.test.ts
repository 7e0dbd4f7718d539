/**
 * Parse's REST protocol at the byte level: headers, the SDK's text/plain POST tunnelling, CORS, response shapes
 * and encodings, batch, the schema API, aggregate/distinct and idempotent writes. Every expectation was measured
 * on parse-server 9.10 + PostgreSQL (CRM_TEST_TARGET=reference).
 *
 * Deliberate differences from the reference (asserted per target):
 *  - aggregate `$sort` followed by `$skip`: the reference builds invalid SQL (400/102 "syntax error at or near
 *    ORDER"); ours runs the pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISO_DATE, OBJECT_ID, outcome, parseError, rawClient, type RawClient, type RawResponse } from '../helpers/http.js';
import { DATA_API_ONLY, isReference, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let api: RawClient;

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  api = rawClient(server);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
const isoDate = (iso: string) => ({ __type: 'Date', iso });

async function create(className: string, body: Record<string, unknown>): Promise<string> {
  const res = await api.post(`/classes/${className}`, body);
  expect(res.status, res.text).toBe(201);
  return res.body.objectId as string;
}

/** The SDK's request form: POST, text/plain, JSON body carrying method, keys and client metadata. */
function sdkStyle(path: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<RawResponse> {
  return api.post(
    path,
    {
      ...payload,
      _ApplicationId: server.appId,
      _ClientVersion: 'js8.6.2',
      _InstallationId: '7c1c8e0e-0b7e-4e39-9d3c-2f3c5b0a9d11',
      ...extra,
    },
    { appId: null, contentType: 'text/plain' },
  );
}

const CORS_ALLOW_HEADERS = [
  'X-Parse-Master-Key',
  'X-Parse-REST-API-Key',
  'X-Parse-Javascript-Key',
  'X-Parse-Application-Id',
  'X-Parse-Client-Version',
  'X-Parse-Session-Token',
  'X-Requested-With',
  'X-Parse-Revocable-Session',
  'X-Parse-Request-Id',
  'Content-Type',
  'Pragma',
  'Cache-Control',
];

function expectCors(res: RawResponse): void {
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('access-control-allow-methods')).toBe('GET,PUT,POST,DELETE,OPTIONS');
  const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
  for (const header of CORS_ALLOW_HEADERS) expect(allowed).toContain(header.toLowerCase());
  const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
  expect(exposed).toEqual(expect.arrayContaining(['x-parse-job-status-id', 'x-parse-push-status-id']));
}

describe('application id and keys', () => {
  it('a request without X-Parse-Application-Id is 403 {"error":"unauthorized"}', async () => {
    const res = await api.get('/classes/Deal', { appId: null });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'unauthorized' });
  });

  it('a wrong application id is 403 {"error":"unauthorized"}, for reads and writes', async () => {
    for (const res of [
      await api.get('/classes/Deal', { appId: 'not-the-app' }),
      await api.post('/classes/Deal', { title: 'x' }, { appId: 'not-the-app' }),
      await sdkStyle('/classes/Deal', { _method: 'GET' }, { _ApplicationId: 'not-the-app' }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'unauthorized' });
    }
    expect((await api.get('/classes/Deal', { query: { where: { title: 'x' } } })).body).toEqual({ results: [] });
  });

  it('a wrong master key is not an error: the request simply runs without master rights', async () => {
    const res = await api.get('/schemas', { headers: { 'X-Parse-Master-Key': 'wrong' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'Permission denied' });
    const find = await api.get('/classes/Deal', { headers: { 'X-Parse-Master-Key': 'wrong' }, query: { limit: 0 } });
    expect(find.status).toBe(200);
  });
});

describe("the SDK's request habits", () => {
  let dealId: string;

  beforeAll(async () => {
    dealId = await create('Deal', { title: 'Tunnelled', amount: 10, stage: 'lead' });
    await create('Deal', { title: 'Tunnelled 2', amount: 20, stage: 'lead' });
  });

  it('POST text/plain with _method GET is a find; where is an object, order/keys are comma strings', async () => {
    const res = await sdkStyle('/classes/Deal', {
      _method: 'GET',
      _JavaScriptKey: 'anything',
      where: { stage: 'lead' },
      order: '-amount,title',
      keys: 'title,amount',
      limit: 1,
      skip: 0,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      results: [
        {
          objectId: expect.stringMatching(OBJECT_ID),
          createdAt: expect.stringMatching(ISO_DATE),
          updatedAt: expect.stringMatching(ISO_DATE),
          title: 'Tunnelled 2',
          amount: 20,
        },
      ],
    });
  });

  it('count: 1 with limit: 0 in the body', async () => {
    const res = await sdkStyle('/classes/Deal', { _method: 'GET', where: { stage: 'lead' }, count: 1, limit: 0 });
    expect(res.body).toEqual({ results: [], count: 2 });
  });

  it('get by id with _method GET on the object path', async () => {
    const res = await sdkStyle(`/classes/Deal/${dealId}`, { _method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ objectId: dealId, title: 'Tunnelled', amount: 10 });
  });

  it('create with text/plain: _-prefixed metadata (incl. _context) is not stored', async () => {
    const res = await sdkStyle('/classes/Deal', {
      title: 'Created by SDK',
      _context: { source: 'test' },
      _JavaScriptKey: 'anything',
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'objectId']);
    const stored = await api.get(`/classes/Deal/${res.body.objectId}`);
    expect(Object.keys(stored.body).sort()).toEqual(['createdAt', 'objectId', 'title', 'updatedAt']);
  });

  it('_method PUT and _method DELETE', async () => {
    const id = await create('Deal', { title: 'To tunnel', amount: 1 });
    const put = await sdkStyle(`/classes/Deal/${id}`, { _method: 'PUT', amount: { __op: 'Increment', amount: 2 } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ amount: 3, updatedAt: expect.stringMatching(ISO_DATE) });
    const del = await sdkStyle(`/classes/Deal/${id}`, { _method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({});
    expect(outcome(await api.get(`/classes/Deal/${id}`))).toEqual(parseError(404, 101));
  });

  it('_MasterKey in the body grants master rights', async () => {
    const res = await sdkStyle('/schemas/Deal', { _method: 'GET', _MasterKey: server.masterKey });
    expect(res.status).toBe(200);
    expect(res.body.className).toBe('Deal');
  });

  it('an unknown _SessionToken is refused with 209', async () => {
    const res = await sdkStyle('/classes/Deal', { _method: 'GET' }, { _SessionToken: 'r:00000000000000000000000000000000' });
    expect(outcome(res)).toEqual(parseError(400, 209));
  });

  it('GET with query-string parameters', async () => {
    const res = await api.get('/classes/Deal', {
      query: { where: { stage: 'lead' }, order: 'amount', keys: 'title', limit: 5, skip: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { title: string }) => r.title)).toEqual(['Tunnelled 2']);
    const counted = await api.get('/classes/Deal', { query: { where: { stage: 'lead' }, count: 1, limit: 0 } });
    expect(counted.body).toEqual({ results: [], count: 2 });
  });
});

describe('CORS', () => {
  it('every response carries the CORS headers: success, 400, 403, 404', async () => {
    expectCors(await api.get('/classes/Deal', { query: { limit: 0 } }));
    expectCors(await api.get('/classes/Deal', { appId: null }));
    expectCors(await api.get('/classes/Deal/doesnotexi'));
    expectCors(await api.get('/classes/Deal', { query: { where: '{bad json' } }));
    expectCors(await api.post('/classes/Deal', { amount: 1 }));
    expectCors(await api.get('/health'));
  });

  it('OPTIONS pre-flight answers 200 with the CORS headers, without an application id', async () => {
    const res = await api.request('OPTIONS', '/classes/Deal', {
      appId: null,
      headers: {
        Origin: 'http://localhost:4200',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-parse-application-id,x-parse-session-token,content-type',
      },
    });
    expect(res.status).toBe(200);
    expectCors(res);
    const onObject = await api.request('OPTIONS', '/classes/Deal/abcdefghij', { appId: null });
    expect(onObject.status).toBe(200);
    expectCors(onObject);
  });
});

describe('health', () => {
  it('GET /health is {"status":"ok"} with or without an application id', async () => {
    for (const appId of [undefined, null]) {
      const res = await api.get('/health', { appId });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});

describe('object responses', () => {
  let companyId: string;
  let contactId: string;

  beforeAll(async () => {
    companyId = await create('Company', { name: 'Acme', industry: 'Tools' });
    contactId = await create('Contact', { name: 'Ann', company: pointer('Company', companyId) });
  });

  it('create: 201, Location of the new object, body {objectId, createdAt}', async () => {
    const res = await api.post('/classes/Deal', { title: 'Fresh' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ objectId: expect.stringMatching(OBJECT_ID), createdAt: expect.stringMatching(ISO_DATE) });
    expect(res.headers.get('location')).toBe(`${server.serverURL}/classes/Deal/${res.body.objectId}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const stored = await api.get(`/classes/Deal/${res.body.objectId}`);
    expect(stored.body.createdAt).toBe(res.body.createdAt);
    expect(stored.body.updatedAt).toBe(res.body.createdAt);
  });

  it('objectIds are 10 alphanumerics and distinct', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => create('Deal', { title: 'Id probe' })));
    for (const id of ids) expect(id).toMatch(OBJECT_ID);
    expect(new Set(ids).size).toBe(20);
  });

  it('update: {updatedAt} plus the results of operations', async () => {
    const id = await create('Deal', { title: 'Upd', amount: 10 });
    const plain = await api.put(`/classes/Deal/${id}`, { stage: 'won', notes: 'x' });
    expect(plain.status).toBe(200);
    // Ours also echoes the server-set Deal.stageChangedAt (docs/FORECASTING.md), as Parse echoes fields a
    // beforeSave trigger changed.
    const serverSet = isReference ? {} : { stageChangedAt: { __type: 'Date', iso: expect.stringMatching(ISO_DATE) } };
    expect(plain.body).toEqual({ updatedAt: expect.stringMatching(ISO_DATE), ...serverSet });
    const inc = await api.put(`/classes/Deal/${id}`, { amount: { __op: 'Increment', amount: 5 } });
    expect(inc.body).toEqual({ amount: 15, updatedAt: expect.stringMatching(ISO_DATE) });
    const empty = await api.put(`/classes/Deal/${id}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ updatedAt: expect.stringMatching(ISO_DATE) });
    const unset = await api.put(`/classes/Deal/${id}`, { notes: { __op: 'Delete' } });
    expect(unset.body).toEqual({ updatedAt: expect.stringMatching(ISO_DATE) });
    const stored = await api.get(`/classes/Deal/${id}`);
    expect(stored.body).toEqual({
      objectId: id,
      createdAt: expect.stringMatching(ISO_DATE),
      updatedAt: unset.body.updatedAt,
      title: 'Upd',
      amount: 15,
      stage: 'won',
      ...serverSet,
    });
  });

  it('delete: 200 {}; the object is gone afterwards (404/101 on get, update and delete)', async () => {
    const id = await create('Deal', { title: 'Del' });
    const res = await api.delete(`/classes/Deal/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(outcome(await api.get(`/classes/Deal/${id}`))).toEqual(parseError(404, 101));
    expect(outcome(await api.put(`/classes/Deal/${id}`, { title: 'x' }))).toEqual(parseError(404, 101));
    expect(outcome(await api.delete(`/classes/Deal/${id}`))).toEqual(parseError(404, 101));
  });

  it('find: {results:[…]}; count=1&limit=0: {results:[], count}', async () => {
    await create('Activity', { type: 'call', subject: 'One' });
    await create('Activity', { type: 'call', subject: 'Two' });
    const find = await api.get('/classes/Activity');
    expect(Object.keys(find.body)).toEqual(['results']);
    expect(find.body.results).toHaveLength(2);
    const count = await api.get('/classes/Activity', { query: { count: 1, limit: 0 } });
    expect(count.body).toEqual({ results: [], count: 2 });
    const both = await api.get('/classes/Activity', { query: { count: 1, limit: 1, order: 'subject' } });
    expect(both.body.count).toBe(2);
    expect(both.body.results.map((r: { subject: string }) => r.subject)).toEqual(['One']);
    const none = await api.get('/classes/Activity', { query: { where: { type: 'email' } } });
    expect(none.body).toEqual({ results: [] });
  });

  it('keys=title: only title plus objectId/createdAt/updatedAt', async () => {
    await create('Deal', { title: 'Keyed', amount: 5, stage: 'lead', notes: 'n' });
    const res = await api.get('/classes/Deal', { query: { where: { title: 'Keyed' }, keys: 'title' } });
    expect(res.body.results).toHaveLength(1);
    expect(Object.keys(res.body.results[0]).sort()).toEqual(['createdAt', 'objectId', 'title', 'updatedAt']);
  });

  it('unset fields are absent, never null', async () => {
    const id = await create('Deal', { title: 'Sparse' });
    const res = await api.get(`/classes/Deal/${id}`);
    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'objectId', 'title', 'updatedAt']);
    const found = await api.get('/classes/Deal', { query: { where: { objectId: id } } });
    expect(Object.keys(found.body.results[0]).sort()).toEqual(['createdAt', 'objectId', 'title', 'updatedAt']);
  });

  it('Date and Pointer encodings, in objects and in where operands', async () => {
    const id = await create('Deal', {
      title: 'Encoded',
      expectedCloseDate: isoDate('2026-03-01T00:00:00.000Z'),
      contact: pointer('Contact', contactId),
    });
    const res = await api.get(`/classes/Deal/${id}`);
    expect(res.body.expectedCloseDate).toEqual({ __type: 'Date', iso: '2026-03-01T00:00:00.000Z' });
    expect(res.body.contact).toEqual({ __type: 'Pointer', className: 'Contact', objectId: contactId });
    expect(typeof res.body.createdAt).toBe('string');
    const byDate = await api.get('/classes/Deal', {
      query: { where: { expectedCloseDate: { $gte: isoDate('2026-03-01T00:00:00.000Z') } }, keys: 'title' },
    });
    expect(byDate.body.results.map((r: { title: string }) => r.title)).toEqual(['Encoded']);
    const byPointer = await api.get('/classes/Deal', { query: { where: { contact: pointer('Contact', contactId) } } });
    expect(byPointer.body.results.map((r: { objectId: string }) => r.objectId)).toEqual([id]);
    const byCreatedAt = await api.get('/classes/Deal', {
      query: { where: { objectId: id, createdAt: { $lte: isoDate(res.body.createdAt) } } },
    });
    expect(byCreatedAt.body.results).toHaveLength(1);
  });

  it('include: pointers become {"__type":"Object","className",…fields}, nested too', async () => {
    const id = await create('Deal', { title: 'Included', contact: pointer('Contact', contactId) });
    const res = await api.get(`/classes/Deal/${id}`, { query: { include: 'contact.company' } });
    expect(res.body.contact).toEqual({
      __type: 'Object',
      className: 'Contact',
      objectId: contactId,
      createdAt: expect.stringMatching(ISO_DATE),
      updatedAt: expect.stringMatching(ISO_DATE),
      name: 'Ann',
      company: {
        __type: 'Object',
        className: 'Company',
        objectId: companyId,
        createdAt: expect.stringMatching(ISO_DATE),
        updatedAt: expect.stringMatching(ISO_DATE),
        name: 'Acme',
        industry: 'Tools',
      },
    });
    const shallow = await api.get('/classes/Deal', { query: { where: { objectId: id }, include: 'contact' } });
    expect(shallow.body.results[0].contact.company).toEqual(pointer('Company', companyId));
  });

  it('get of a missing id is 404 {"code":101,"error":"Object not found."}', async () => {
    const res = await api.get('/classes/Deal/abcdefghij');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 101, error: 'Object not found.' });
  });
});

describe('batch', () => {
  it('answers an array aligned with requests: {success} or {error}; paths include the mount path', async () => {
    const victim = await create('Deal', { title: 'Batch victim', stage: 'lead' });
    const gone = await create('Deal', { title: 'Batch gone' });
    // Sub-requests are not guaranteed to run in order, so the GET reads an object no other item touches.
    const readable = await create('Deal', { title: 'Batch read', stage: 'lead' });
    const mount = new URL(server.serverURL).pathname;
    const res = await api.post('/batch', {
      requests: [
        { method: 'POST', path: `${mount}/classes/Deal`, body: { title: 'Batch new', amount: 1 } },
        { method: 'POST', path: `${mount}/classes/Deal`, body: { title: 7 } },
        { method: 'PUT', path: `${mount}/classes/Deal/${victim}`, body: { amount: { __op: 'Increment', amount: 4 } } },
        { method: 'DELETE', path: `${mount}/classes/Deal/${gone}` },
        { method: 'DELETE', path: `${mount}/classes/Deal/abcdefghij` },
        { method: 'GET', path: `${mount}/classes/Deal/${readable}` },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { success: { objectId: expect.stringMatching(OBJECT_ID), createdAt: expect.stringMatching(ISO_DATE) } },
      { error: { code: 111, error: expect.stringMatching(/./) } },
      { success: { amount: 4, updatedAt: expect.stringMatching(ISO_DATE) } },
      { success: {} },
      { error: { code: 101, error: expect.stringMatching(/./) } },
      { success: expect.objectContaining({ objectId: readable, title: 'Batch read', stage: 'lead' }) },
    ]);
    expect((await api.get(`/classes/Deal/${res.body[0].success.objectId}`)).body.title).toBe('Batch new');
    expect(outcome(await api.get(`/classes/Deal/${gone}`))).toEqual(parseError(404, 101));
  });

  it('a sub-request path without the mount path cannot be routed: 400/107', async () => {
    const res = await api.post('/batch', { requests: [{ method: 'POST', path: '/classes/Deal', body: { title: 'x' } }] });
    expect(outcome(res)).toEqual(parseError(400, 107));
  });

  it('requests missing or not an array: 400/107', async () => {
    expect(outcome(await api.post('/batch', {}))).toEqual(parseError(400, 107));
    expect(outcome(await api.post('/batch', { requests: 'x' }))).toEqual(parseError(400, 107));
  });

  it('an unknown method in a sub-request: 400/107', async () => {
    const mount = new URL(server.serverURL).pathname;
    const res = await api.post('/batch', { requests: [{ method: 'PATCH', path: `${mount}/classes/Deal`, body: {} }] });
    expect(outcome(res)).toEqual(parseError(400, 107));
  });
});

describe('schema API', () => {
  it('is master-only: 403 {"error":"Permission denied"} for every verb without it', async () => {
    for (const res of [
      await api.get('/schemas'),
      await api.get('/schemas/Deal'),
      await api.post('/schemas/Nope', { className: 'Nope' }),
      await api.put('/schemas/Deal', { fields: { x: { type: 'String' } } }),
      await api.delete('/schemas/Deal'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'Permission denied' });
    }
  });

  it('GET /schemas lists the CRM classes; GET /schemas/Deal has fields with built-ins and CLPs', async () => {
    const all = await api.get('/schemas', { master: true });
    expect(all.status).toBe(200);
    const names = all.body.results.map((c: { className: string }) => c.className);
    expect(names).toEqual(expect.arrayContaining(['Company', 'Contact', 'Deal', 'Activity', '_User']));
    const deal = await api.get('/schemas/Deal', { master: true });
    expect(deal.status).toBe(200);
    expect(deal.body.className).toBe('Deal');
    expect(deal.body.fields).toMatchObject({
      objectId: { type: 'String' },
      createdAt: { type: 'Date' },
      updatedAt: { type: 'Date' },
      ACL: { type: 'ACL' },
      title: { type: 'String', required: true },
      amount: { type: 'Number' },
      stage: { type: 'String' },
      contact: { type: 'Pointer', targetClass: 'Contact' },
      company: { type: 'Pointer', targetClass: 'Company' },
      expectedCloseDate: { type: 'Date' },
      notes: { type: 'String' },
      assignedTo: { type: 'Pointer', targetClass: '_User' },
    });
    expect(deal.body.classLevelPermissions).toMatchObject({
      find: { '*': true },
      get: { '*': true },
      count: { '*': true },
      create: { '*': true },
      update: { '*': true },
      delete: { '*': true },
    });
  });

  it('GET of a class that does not exist: 400/103', async () => {
    expect(outcome(await api.get('/schemas/Nope', { master: true }))).toEqual(parseError(400, 103));
  });

  it('create a class, add and delete fields, drop it', async () => {
    const created = await api.post(
      '/schemas/Lead',
      { className: 'Lead', fields: { source: { type: 'String' }, score: { type: 'Number', required: true } } },
      { master: true },
    );
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      className: 'Lead',
      fields: {
        objectId: { type: 'String' },
        createdAt: { type: 'Date' },
        updatedAt: { type: 'Date' },
        ACL: { type: 'ACL' },
        source: { type: 'String' },
        score: { type: 'Number', required: true },
      },
    });
    expect(created.body.classLevelPermissions).toBeTypeOf('object');

    const added = await api.put('/schemas/Lead', { fields: { region: { type: 'String' } } }, { master: true });
    expect(added.status).toBe(200);
    expect(added.body.fields.region).toEqual({ type: 'String' });

    const leadId = await create('Lead', { source: 'web', score: 3, region: 'EU' });
    expect((await api.get(`/classes/Lead/${leadId}`)).body).toMatchObject({ source: 'web', score: 3, region: 'EU' });

    const removed = await api.put('/schemas/Lead', { fields: { region: { __op: 'Delete' } } }, { master: true });
    expect(removed.status).toBe(200);
    expect(removed.body.fields.region).toBeUndefined();
    expect(Object.keys((await api.get(`/classes/Lead/${leadId}`)).body)).not.toContain('region');

    expect(outcome(await api.delete('/schemas/Lead', { master: true }))).toEqual(parseError(400, 255));
    await api.delete(`/classes/Lead/${leadId}`);
    const dropped = await api.delete('/schemas/Lead', { master: true });
    expect(dropped.status).toBe(200);
    expect(dropped.body).toEqual({});
    expect(outcome(await api.get('/schemas/Lead', { master: true }))).toEqual(parseError(400, 103));
  });

  it('create an existing class: 400/103', async () => {
    expect(outcome(await api.post('/schemas/Deal', { className: 'Deal' }, { master: true }))).toEqual(parseError(400, 103));
  });

  it('class name in the body differing from the path: 400/103', async () => {
    expect(outcome(await api.post('/schemas/Foo', { className: 'Bar' }, { master: true }))).toEqual(parseError(400, 103));
  });

  it('POST /schemas without a class name: 400/135', async () => {
    expect(outcome(await api.post('/schemas', { fields: {} }, { master: true }))).toEqual(parseError(400, 135));
  });

  it('invalid class names: 400/103', async () => {
    for (const name of ['1Deal', 'Deal-2', 'Deal"; DROP TABLE "Deal"; --', '_Nope']) {
      const res = await api.post(`/schemas/${encodeURIComponent(name)}`, { className: name }, { master: true });
      expect(outcome(res), name).toEqual(parseError(400, 103));
    }
  });

  it('deleting a field that does not exist: 400/255; changing a field type: 400/255', async () => {
    expect(outcome(await api.put('/schemas/Deal', { fields: { nope: { __op: 'Delete' } } }, { master: true }))).toEqual(
      parseError(400, 255),
    );
    expect(outcome(await api.put('/schemas/Deal', { fields: { amount: { type: 'String' } } }, { master: true }))).toEqual(
      parseError(400, 255),
    );
  });

  it('PUT on a class that does not exist: 400/103; DELETE of one: 200 {}', async () => {
    expect(outcome(await api.put('/schemas/Nope', { fields: { a: { type: 'String' } } }, { master: true }))).toEqual(
      parseError(400, 103),
    );
    const res = await api.delete('/schemas/Nope', { master: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });
});

describe('aggregate and distinct', () => {
  beforeAll(async () => {
    for (const [subject, type] of [
      ['Agg 1', 'lead'],
      ['Agg 2', 'qualified'],
      ['Agg 3', 'qualified'],
      ['Agg 4', 'won'],
    ]) {
      await create('Activity', { subject, type });
    }
  });

  it('is master-only: 403 {"error":"Permission denied"}', async () => {
    for (const query of [{ distinct: 'type' }, { pipeline: [{ $limit: 1 }] }]) {
      const res = await api.get('/aggregate/Activity', { query });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'Permission denied' });
    }
  });

  it('distinct honours where', async () => {
    const all = await api.get('/aggregate/Activity', {
      master: true,
      query: { distinct: 'type', where: { subject: { $regex: '^Agg ' } } },
    });
    expect(all.status).toBe(200);
    expect([...all.body.results].sort()).toEqual(['lead', 'qualified', 'won']);
    const filtered = await api.get('/aggregate/Activity', {
      master: true,
      query: { distinct: 'type', where: { subject: { $in: ['Agg 1', 'Agg 2'] } } },
    });
    expect([...filtered.body.results].sort()).toEqual(['lead', 'qualified']);
  });

  // A class of its own, so objects the other tests create cannot leak into group totals.
  describe('pipelines', () => {
    beforeAll(async () => {
      const res = await api.post(
        '/schemas/Pipe',
        { className: 'Pipe', fields: { stage: { type: 'String' }, amount: { type: 'Number' }, title: { type: 'String' } } },
        { master: true },
      );
      expect(res.status, res.text).toBe(200);
      for (const [title, amount, stage] of [
        ['P1', 10, 'lead'],
        ['P2', 20, 'qualified'],
        ['P3', 30, 'qualified'],
        ['P4', 40, 'won'],
      ] as const) {
        await create('Pipe', { title, amount, stage });
      }
    });

    const pipe = (pipeline: unknown[]) => api.get('/aggregate/Pipe', { master: true, query: { pipeline } });

    it('$match + $group with $sum/$avg/$min/$max and a count, $sort on an accumulator', async () => {
      const res = await pipe([
        { $match: { amount: { $gt: 15 } } },
        {
          $group: {
            _id: '$stage',
            total: { $sum: '$amount' },
            avg: { $avg: '$amount' },
            min: { $min: '$amount' },
            max: { $max: '$amount' },
            n: { $sum: 1 },
          },
        },
        { $sort: { total: -1 } },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        results: [
          { objectId: 'qualified', total: 50, avg: 25, min: 20, max: 30, n: 2 },
          { objectId: 'won', total: 40, avg: 40, min: 40, max: 40, n: 1 },
        ],
      });
    });

    it('$group with _id null totals the whole class', async () => {
      const res = await pipe([{ $group: { _id: null, total: { $sum: '$amount' } } }]);
      expect(res.body).toEqual({ results: [{ objectId: null, total: 100 }] });
    });

    it('$match on equality, $project', async () => {
      const res = await pipe([{ $match: { stage: 'qualified' } }, { $project: { title: 1 } }]);
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { title: string }) => r.title).sort()).toEqual(['P2', 'P3']);
      for (const row of res.body.results) expect(row).not.toHaveProperty('amount');
    });

    it('$sort + $limit', async () => {
      const res = await pipe([{ $project: { title: 1, amount: 1 } }, { $sort: { amount: -1 } }, { $limit: 2 }]);
      expect(res.body.results.map((r: { title: string }) => r.title)).toEqual(['P4', 'P3']);
    });

    it('$skip + $limit', async () => {
      const res = await pipe([{ $skip: 1 }, { $limit: 2 }]);
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(2);
    });

    it('$sort + $skip (reference: invalid SQL, a deliberate difference)', async () => {
      const res = await pipe([{ $sort: { amount: 1 } }, { $skip: 1 }, { $limit: 2 }]);
      if (isReference) {
        expect(outcome(res)).toEqual(parseError(400, 102));
      } else {
        expect(res.status).toBe(200);
        expect(res.body.results.map((r: { title: string }) => r.title)).toEqual(['P2', 'P3']);
      }
    });
  });
});

describe('idempotency (X-Parse-Request-Id)', () => {
  it('a repeated create is refused with 159 and creates nothing', async () => {
    const headers = { 'X-Parse-Request-Id': 'create-0001' };
    const first = await api.post('/classes/Deal', { title: 'Idem create' }, { headers });
    expect(first.status).toBe(201);
    const second = await api.post('/classes/Deal', { title: 'Idem create' }, { headers });
    expect(outcome(second)).toEqual(parseError(400, 159));
    const count = await api.get('/classes/Deal', { query: { where: { title: 'Idem create' }, count: 1, limit: 0 } });
    expect(count.body.count).toBe(1);
  });

  it('a repeated update is refused with 159 and applies once', async () => {
    const id = await create('Deal', { title: 'Idem update', amount: 0 });
    const headers = { 'X-Parse-Request-Id': 'update-0001' };
    const body = { amount: { __op: 'Increment', amount: 1 } };
    expect((await api.put(`/classes/Deal/${id}`, body, { headers })).status).toBe(200);
    expect(outcome(await api.put(`/classes/Deal/${id}`, body, { headers }))).toEqual(parseError(400, 159));
    expect((await api.get(`/classes/Deal/${id}`)).body.amount).toBe(1);
  });

  it('the SDK form (text/plain POST) is covered too', async () => {
    const headers = { 'X-Parse-Request-Id': 'sdk-0001' };
    const send = () =>
      api.post(
        '/classes/Deal',
        { title: 'Idem sdk', _ApplicationId: server.appId },
        { appId: null, contentType: 'text/plain', headers },
      );
    expect((await send()).status).toBe(201);
    expect(outcome(await send())).toEqual(parseError(400, 159));
  });

  it('different request ids are independent; reads are never refused', async () => {
    expect((await api.post('/classes/Deal', { title: 'Idem a' }, { headers: { 'X-Parse-Request-Id': 'a-1' } })).status).toBe(201);
    expect((await api.post('/classes/Deal', { title: 'Idem a' }, { headers: { 'X-Parse-Request-Id': 'a-2' } })).status).toBe(201);
    const headers = { 'X-Parse-Request-Id': 'read-0001' };
    expect((await api.get('/classes/Deal', { headers, query: { limit: 0 } })).status).toBe(200);
    expect((await api.get('/classes/Deal', { headers, query: { limit: 0 } })).status).toBe(200);
  });
});
