/**
 * Accounts over GraphQL, Parse's shape: signUp, logIn, logOut and viewer, each backed by the same user service as
 * /users, /login, /logout and /users/me — including the REST-style 400/209 for a dead session token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_API_ONLY, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';
import { codes, GraphQLClient, globalId } from './helpers.js';

let server: TestServer;
let gql: GraphQLClient;

const SIGN_UP = `mutation($fields: CreateUserFieldsInput!) { signUp(input: {fields: $fields, clientMutationId: "s"}) { clientMutationId viewer { sessionToken user { id objectId username email } } } }`;
const LOG_IN = `mutation($u: String!, $p: String!) { logIn(input: {username: $u, password: $p}) { viewer { sessionToken user { objectId username } } } }`;
const VIEWER = `{ viewer { sessionToken user { objectId username email } } }`;

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  gql = new GraphQLClient(server);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

describe('signUp / logIn / viewer / logOut', () => {
  let token: string;
  let userId: string;

  it('signUp creates the user and answers a viewer with a session token', async () => {
    const data = await gql.data(SIGN_UP, { fields: { username: 'dana', password: 'pw-dana-1', email: 'dana@crm.test' } });
    const { viewer, clientMutationId } = data.signUp;
    expect(clientMutationId).toBe('s');
    expect(viewer.sessionToken).toMatch(/^r:[0-9a-f]{32}$/);
    expect(viewer.user).toMatchObject({ username: 'dana', email: 'dana@crm.test' });
    expect(viewer.user.id).toBe(globalId('_User', viewer.user.objectId));
    token = viewer.sessionToken;
    userId = viewer.user.objectId;
  });

  it('viewer answers the session owner', async () => {
    const data = await gql.as({ token }).data(VIEWER);
    expect(data.viewer).toEqual({ sessionToken: token, user: { objectId: userId, username: 'dana', email: 'dana@crm.test' } });
  });

  it('viewer without a session is error 209', async () => {
    const res = await gql.post(VIEWER);
    expect(res.status).toBe(200);
    expect(codes(res.body)).toEqual([209]);
  });

  it('a duplicate username is error 202', async () => {
    const res = await gql.post(SIGN_UP, { fields: { username: 'DANA', password: 'x', email: 'other@crm.test' } });
    expect(res.body.data).toEqual({ signUp: null });
    expect(codes(res.body)).toEqual([202]);
  });

  it('logIn with a wrong password: HTTP 200, data.logIn null, code 101', async () => {
    const res = await gql.post(LOG_IN, { u: 'dana', p: 'wrong' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      errors: [expect.objectContaining({ path: ['logIn'], extensions: { code: 101 } })],
      data: { logIn: null },
    });
  });

  it('logIn answers a new session; logOut ends it; the dead token is a REST-style 400/209', async () => {
    const data = await gql.data(LOG_IN, { u: 'dana', p: 'pw-dana-1' });
    const second = data.logIn.viewer.sessionToken as string;
    expect(second).not.toBe(token);
    expect(data.logIn.viewer.user).toEqual({ objectId: userId, username: 'dana' });
    const out = await gql
      .as({ token: second })
      .data('mutation { logOut(input: {clientMutationId: "bye"}) { ok clientMutationId } }');
    expect(out.logOut).toEqual({ ok: true, clientMutationId: 'bye' });
    const dead = await gql.as({ token: second }).post('{ health }');
    expect(dead.status).toBe(400);
    expect(dead.body).toEqual({ code: 209, error: 'Invalid session token' });
    // The other session lives on.
    expect((await gql.as({ token }).data(VIEWER)).viewer.user.username).toBe('dana');
  });

  it('one request may not try several passwords (aliases)', async () => {
    const res = await gql.post(
      `mutation { a: logIn(input: {username: "dana", password: "1"}) { viewer { sessionToken } } b: logIn(input: {username: "dana", password: "2"}) { viewer { sessionToken } } }`,
    );
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(['BAD_REQUEST']);
  });

  it('updateUser changes the password through the same hooks as REST', async () => {
    await gql
      .as({ token })
      .data(`mutation($id: ID!) { updateUser(input: {id: $id, fields: {password: "pw-dana-2"}}) { user { objectId } } }`, {
        id: userId,
      });
    expect(codes((await gql.post(LOG_IN, { u: 'dana', p: 'pw-dana-1' })).body)).toEqual([101]);
    expect((await gql.data(LOG_IN, { u: 'dana', p: 'pw-dana-2' })).logIn.viewer.user.username).toBe('dana');
  });
});

describe('users, roles and relations', () => {
  it('createUser is a sign-up; a role lists its users through a relation connection', async () => {
    const created = await gql.data(
      `mutation { createUser(input: {fields: {username: "erin", password: "pw-erin", email: "erin@crm.test"}}) { user { objectId username } } }`,
    );
    const erin = created.createUser.user.objectId as string;
    expect(created.createUser.user.username).toBe('erin');
    const master = gql.as({ master: true });
    const role = await master.data(
      `mutation($erin: ID!) { createRole(input: {fields: {name: "sales", ACL: {public: {read: true, write: false}}, users: {add: [$erin]}}}) {
         role { name users { count edges { node { username } } } } } }`,
      { erin: globalId('_User', erin) },
    );
    expect(role.createRole.role).toEqual({ name: 'sales', users: { count: 1, edges: [{ node: { username: 'erin' } }] } });
    const roles = await master.data(
      `{ roles(where: {name: {equalTo: "sales"}}) { edges { node { users(where: {username: {equalTo: "nobody"}}) { count } } } } }`,
    );
    expect(roles.roles.edges[0].node.users.count).toBe(0);
  });
});

describe('abuse limits shared with REST', () => {
  let limited: TestServer;

  beforeAll(async () => {
    limited = await startTestServer({ ...DATA_API_ONLY, authRateLimitPerMinute: 2 });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await limited?.close();
  });

  it('log-in mutations are rate-limited per address like /login (429, code 155)', async () => {
    const client = new GraphQLClient(limited);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await client.post(LOG_IN, { u: 'nobody', p: 'guess' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const res = await client.post(LOG_IN, { u: 'nobody', p: 'guess' });
    expect(res.body).toMatchObject({ code: 155 });
    // Other operations are not counted.
    expect((await client.post('{ health }')).status).toBe(200);
  });

  it('a repeated X-Parse-Request-Id runs none of its mutations again (400, code 159)', async () => {
    const client = new GraphQLClient(limited).as({ headers: { 'X-Parse-Request-Id': 'req-123' } });
    const create =
      'mutation { a: createCompany(input: {fields: {name: "Once"}}) { company { objectId } } b: createCompany(input: {fields: {name: "Twice"}}) { company { objectId } } }';
    expect((await client.post(create)).status).toBe(200);
    const again = await client.post(create);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 159, error: 'Duplicate request' });
    const count = await new GraphQLClient(limited).data('{ companies { count } }');
    expect(count.companies.count).toBe(2);
  });
});
