/**
 * The OpenAPI document against a running server: valid 3.1, every class of the live schema in it with typed
 * fields, follows a Schema API change without a restart, and every path it lists is one the server routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileErrors, validate } from '@readme/openapi-parser';
import { rawClient, type RawClient } from '../helpers/http.js';
import { START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let api: RawClient;

/** The document exactly as an anonymous client gets it: no app id, no keys. */
async function fetchDocument(): Promise<any> {
  const response = await fetch(`${server.serverURL}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.json();
}

const property = (doc: any, schema: string, field: string) => doc.components.schemas[schema].properties[field];

beforeAll(async () => {
  server = await startTestServer();
  api = rawClient(server);
}, START_TIMEOUT_MS);

afterAll(() => server?.close());

describe('GET /parse/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('documents every class of the live schema, with its paths', async () => {
    const doc = await fetchDocument();
    const live = await api.get('/schemas', { master: true });
    const classNames: string[] = live.body.results.map((c: { className: string }) => c.className);
    expect(classNames).toEqual(expect.arrayContaining(['_User', '_Role', '_Session', 'Company', 'Contact', 'Deal', 'Activity']));
    for (const className of classNames) {
      expect(doc.components.schemas[className], className).toBeDefined();
      expect(Object.keys(doc.paths[`/classes/${className}`])).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths[`/classes/${className}/{objectId}`])).toEqual(
        expect.arrayContaining(['get', 'put', 'delete']),
      );
    }
    for (const path of [
      '/users',
      '/login',
      '/logout',
      '/users/me',
      '/sessions',
      '/batch',
      '/schemas',
      '/aggregate/{className}',
      '/requestPasswordReset',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const findParams = doc.paths['/classes/Deal'].get.parameters.map((p: { $ref: string }) => p.$ref.split('/').pop());
    expect(findParams).toEqual(expect.arrayContaining(['where', 'order', 'limit', 'skip', 'keys', 'include', 'count']));
  });

  it('types each field and marks the required ones', async () => {
    const doc = await fetchDocument();
    expect(property(doc, 'Deal', 'title')).toMatchObject({ type: 'string', description: expect.stringMatching(/./) });
    expect(property(doc, 'Deal', 'amount').type).toBe('number');
    expect(property(doc, '_User', 'emailVerified').type).toBe('boolean');
    expect(property(doc, 'Deal', 'expectedCloseDate').$ref).toBe('#/components/schemas/ParseDate');
    expect(property(doc, 'Deal', 'contact').allOf).toEqual([
      { $ref: '#/components/schemas/Pointer' },
      { properties: { className: { const: 'Contact' } } },
    ]);
    expect(property(doc, 'Activity', 'relatedTo').allOf[1]).toEqual({ properties: { className: { enum: ['Contact', 'Deal'] } } });
    expect(property(doc, '_Role', 'users').allOf).toEqual([
      { $ref: '#/components/schemas/Relation' },
      { properties: { className: { const: '_User' } } },
    ]);
    expect(property(doc, '_User', 'authData').type).toBe('object');
    expect(property(doc, 'Deal', 'objectId')).toMatchObject({ type: 'string', readOnly: true });
    expect(property(doc, '_User', 'password')).toMatchObject({ type: 'string', writeOnly: true });
    expect(doc.components.schemas.Deal.required).toEqual(['title']);
    expect(doc.components.schemas.Company.required).toEqual(['name']);
    expect(doc.components.schemas.DealUpdate.required).toBeUndefined();
    expect(doc.components.schemas.ParseDate.properties.__type).toEqual({ const: 'Date' });
  });

  it('describes the CRM fields from the data dictionary', async () => {
    const doc = await fetchDocument();
    for (const className of ['Company', 'Contact', 'Deal', 'Activity']) {
      for (const [field, schema] of Object.entries<any>(doc.components.schemas[className].properties)) {
        expect(schema.description, `${className}.${field}`).toMatch(/\w{3}/);
      }
    }
    expect(property(doc, 'Activity', 'relatedTo').description).toMatch(/contact or deal/i);
  });

  it('declares the Parse headers as security schemes and the Parse error as the error body', async () => {
    const doc = await fetchDocument();
    const schemes = doc.components.securitySchemes;
    expect(schemes.ApplicationId).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Parse-Application-Id' }),
    );
    expect(schemes.SessionToken).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Parse-Session-Token' }),
    );
    expect(schemes.MasterKey).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Parse-Master-Key' }));
    expect(doc.paths['/schemas'].get.security).toEqual([{ ApplicationId: [], MasterKey: [] }]);
    expect(doc.components.schemas.ParseError).toMatchObject({
      required: ['code', 'error'],
      properties: { code: { type: 'integer' }, error: { type: 'string' } },
    });
    expect(doc.paths['/classes/Deal/{objectId}'].get.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    // What a real refusal looks like, so the documented shape is checked against the server's.
    const missing = await api.get('/classes/Deal/abcdefghij', { master: true });
    expect(missing.status).toBe(404);
    expect(Object.keys(missing.body).sort()).toEqual(['code', 'error']);
  });

  it('follows a field added through PUT /schemas/Deal, without a restart', async () => {
    const before = await fetch(`${server.serverURL}/openapi.json`);
    const etag = before.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await fetch(`${server.serverURL}/openapi.json`, { headers: { 'If-None-Match': etag! } })).status).toBe(304);

    const added = await api.put(
      '/schemas/Deal',
      { fields: { confidence: { type: 'Number', description: 'Chance of winning, 0 to 1' } } },
      { master: true },
    );
    expect(added.status, added.text).toBe(200);

    const after = await fetch(`${server.serverURL}/openapi.json`, { headers: { 'If-None-Match': etag! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const doc = await after.json();
    expect(property(doc, 'Deal', 'confidence')).toEqual({ type: 'number', description: 'Chance of winning, 0 to 1' });
    expect(doc.components.schemas.DealUpdate.properties.confidence).toBeDefined();
  });

  it('lists only paths the server routes', async () => {
    const doc = await fetchDocument();
    // {className}: a class that does not exist, so nothing (DELETE /schemas/…) can change the schema.
    const concrete = (path: string) => path.replace('{objectId}', 'abcdefghij').replace('{className}', 'NoSuchClass');
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'delete'].filter((m) => item[m])) {
        const response = await api.request(method.toUpperCase(), concrete(path), {
          master: true,
          body: method === 'get' || method === 'delete' ? undefined : {},
        });
        const unrouted = response.status === 404 && /^Cannot /.test(String(response.body?.error));
        expect(unrouted, `${method.toUpperCase()} ${path}: ${response.text}`).toBe(false);
        expect(response.status, `${method.toUpperCase()} ${path}`).toBeLessThan(500);
      }
    }
  });
});
