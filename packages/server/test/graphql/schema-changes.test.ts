/**
 * The GraphQL schema follows the live class registry: a field or class added (or a field removed) through the
 * Schema API is in (or out of) GraphQL on the next request, with no restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, type RawClient } from '../helpers/http.js';
import { DATA_API_ONLY, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';
import { codes, GraphQLClient } from './helpers.js';

let server: TestServer;
let http: RawClient;
let gql: GraphQLClient;

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  http = rawClient(server);
  gql = new GraphQLClient(server);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

const withConfidence =
  '{ deals(where: {confidence: {greaterThan: 0.4}}, order: [confidence_DESC]) { edges { node { title confidence } } } }';

describe('Schema API changes reach GraphQL without a restart', () => {
  it('a field added with PUT /parse/schemas/Deal is queryable, writable, filterable and sortable', async () => {
    const before = await gql.post(withConfidence);
    expect(before.status).toBe(400);
    expect(codes(before.body)).toContain('GRAPHQL_VALIDATION_FAILED');

    const put = await http.put(
      '/schemas/Deal',
      { className: 'Deal', fields: { confidence: { type: 'Number' } } },
      { master: true },
    );
    expect(put.status, put.text).toBe(200);

    await gql.data(
      'mutation { a: createDeal(input: {fields: {title: "likely", confidence: 0.9}}) { deal { objectId } } b: createDeal(input: {fields: {title: "maybe", confidence: 0.5}}) { deal { objectId } } c: createDeal(input: {fields: {title: "unlikely", confidence: 0.1}}) { deal { objectId } } }',
    );
    const data = await gql.data(withConfidence);
    expect(data.deals.edges.map((e: any) => e.node)).toEqual([
      { title: 'likely', confidence: 0.9 },
      { title: 'maybe', confidence: 0.5 },
    ]);
  });

  it('a class created with POST /parse/schemas appears with its queries and mutations', async () => {
    const post = await http.post(
      '/schemas/Lead',
      {
        className: 'Lead',
        fields: {
          name: { type: 'String', required: true },
          source: { type: 'String' },
          company: { type: 'Pointer', targetClass: 'Company' },
        },
      },
      { master: true },
    );
    expect(post.status, post.text).toBe(200);
    const created = await gql.data(
      'mutation { createLead(input: {fields: {name: "Wayne", source: "fair", company: {createAndLink: {name: "Wayne Enterprises"}}}}) { lead { id objectId name company { name } } } }',
    );
    expect(created.createLead.lead).toMatchObject({ name: 'Wayne', company: { name: 'Wayne Enterprises' } });
    const listed = await gql.data('{ leads(where: {source: {equalTo: "fair"}}) { count edges { node { name } } } }');
    expect(listed.leads).toEqual({ count: 1, edges: [{ node: { name: 'Wayne' } }] });
  });

  it('a field removed with PUT {__op: "Delete"} disappears', async () => {
    const put = await http.put(
      '/schemas/Deal',
      { className: 'Deal', fields: { confidence: { __op: 'Delete' } } },
      { master: true },
    );
    expect(put.status, put.text).toBe(200);
    const after = await gql.post(withConfidence);
    expect(after.status).toBe(400);
    expect(codes(after.body)).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('a deleted class disappears', async () => {
    await http.post('/schemas/Tmp', { className: 'Tmp', fields: { x: { type: 'String' } } }, { master: true });
    expect((await gql.data('{ tmps { count } }')).tmps.count).toBe(0);
    const del = await http.delete('/schemas/Tmp', { master: true });
    expect(del.status, del.text).toBe(200);
    expect((await gql.post('{ tmps { count } }')).status).toBe(400);
  });
});
