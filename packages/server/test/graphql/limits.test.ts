/**
 * Query depth and cost limits (defaults: depth 10, cost 50,000 — see src/graphql/options.ts) refuse an
 * operation before it runs, with HTTP 400 and GRAPHQL_VALIDATION_FAILED; the cost follows `first`/`last`,
 * including through variables, and multiplies through nested connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_API_ONLY, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';
import { codes, GraphQLClient } from './helpers.js';

let server: TestServer;
let gql: GraphQLClient;

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  gql = new GraphQLClient(server).as({ master: true });
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

async function refused(query: string, variables?: Record<string, unknown>): Promise<string> {
  const res = await gql.post(query, variables);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(codes(res.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(res.body.data).toBeUndefined();
  return res.body.errors[0].message;
}

describe('depth', () => {
  it('depth 10 runs', async () => {
    const data = await gql.data(
      '{ roles(first: 5) { edges { node { roles(first: 5) { edges { node { users(first: 5) { edges { node { username } } } } } } } } } }',
    );
    expect(data.roles.edges).toEqual([]);
  });

  it('depth 13 is refused', async () => {
    const message = await refused(
      '{ roles { edges { node { roles { edges { node { roles { edges { node { users { edges { node { username } } } } } } } } } } } } }',
    );
    expect(message).toBe('Query depth 13 exceeds the maximum of 10.');
  });

  it('fragments do not hide depth', async () => {
    const message = await refused(
      'query { roles { ...R } } fragment R on RoleConnection { edges { node { roles { edges { node { roles { edges { node { users { edges { node { username } } } } } } } } } } } }',
    );
    expect(message).toContain('Query depth 13');
  });
});

describe('cost', () => {
  it('a large page of a few fields runs; a huge page is refused', async () => {
    await gql.data('{ deals(first: 1000) { edges { node { title company { name } } } } }');
    const message = await refused('{ deals(first: 10000) { edges { node { title contact { name } company { name } } } } }');
    expect(message).toBe('Query cost 70001 exceeds the maximum of 50000.');
  });

  it('first given through a variable counts the same', async () => {
    const query = 'query($n: Int) { deals(first: $n) { edges { node { title contact { name } company { name } } } } }';
    await gql.data(query, { n: 50 });
    await refused(query, { n: 10000 });
  });

  it('nested connections multiply', async () => {
    const message = await refused(
      '{ roles(first: 100) { edges { node { users(first: 1000) { edges { node { username } } } } } } }',
    );
    expect(message).toBe('Query cost 300301 exceeds the maximum of 50000.');
  });

  it('without first, the default page size (100) counts', async () => {
    await gql.data('{ deals { count edges { node { title } } } }');
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: deals { edges { node { title } } }`).join(' ');
    expect(await refused(`{ ${aliases} }`)).toBe('Query cost 60200 exceeds the maximum of 50000.');
  });
});

describe('size', () => {
  it('a document with too many tokens is refused while parsing', async () => {
    const res = await gql.post(`{ ${Array.from({ length: 4000 }, (_, i) => `a${i}: health`).join(' ')} }`);
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });
});
