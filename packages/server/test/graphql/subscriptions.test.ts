/**
 * GraphQL subscriptions over graphql-ws at /graphql, backed by the LiveQuery engine: a subscriber hears create,
 * update, enter, leave and delete for objects it may read and that match its where — never another rep's deals —
 * with protected fields hidden; credentials come from connection_init; a dead or ended session closes the socket.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { addToRole, createCast, logIn, sleep, startCrmServer, type Cast } from '../security/helpers/cast.js';
import { GraphQLClient, graphqlUrl } from './helpers.js';

let server: TestServer;
let cast: Cast;
let gql: GraphQLClient;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  gql = new GraphQLClient(server);
}, START_TIMEOUT_MS);

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await server?.close();
});

interface Closed {
  code: number;
  reason: string;
}

/** One graphql-ws connection; `closed` settles when the server closes it. */
function connect(params: Record<string, string | undefined>): { client: Client; closed: Promise<Closed> } {
  let onClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: graphqlUrl(server).replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { 'X-Parse-Application-Id': server.appId, ...params },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: {
      closed: (event) =>
        onClosed({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }),
    },
  });
  clients.push(client);
  return { client, closed };
}

/** The results of one subscription, in order, with a way to wait for the next. */
class Feed {
  readonly results: any[] = [];
  error: unknown;
  completed = false;
  private waiters: Array<() => void> = [];

  constructor(client: Client, query: string, variables?: Record<string, unknown>) {
    client.subscribe(
      { query, variables },
      {
        next: (value) => this.push(value),
        error: (error) => {
          this.error = error;
          this.wake();
        },
        complete: () => {
          this.completed = true;
          this.wake();
        },
      },
    );
  }

  private push(value: unknown): void {
    this.results.push(value);
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits until `count` results arrived (or the stream ended). */
  async waitFor(count: number, timeoutMs = 3000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.results.length < count && !this.completed && !this.error && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.results;
  }

  events(): Array<{ event: string; title: string }> {
    return this.results.map((r) => ({ event: r.data?.deals?.event, title: r.data?.deals?.node?.title }));
  }
}

const DEALS = `subscription($where: DealWhereInput) { deals(where: $where) { event node { title stage amount assignedTo { username email } } original { stage amount } } }`;
const QUALIFIED = { where: { stage: { equalTo: 'qualified' } } };

/** The server registers a subscription asynchronously after the subscribe message; give it a moment. */
const settle = () => sleep(200);

const mutate = (token: string | undefined, query: string, variables?: Record<string, unknown>) =>
  gql.as({ token }).data(query, variables);
const createDeal = async (token: string | undefined, fields: Record<string, unknown>) =>
  (
    await mutate(token, 'mutation($f: CreateDealFieldsInput!) { createDeal(input: {fields: $f}) { deal { objectId } } }', {
      f: fields,
    })
  ).createDeal.deal.objectId as string;
const updateDeal = (token: string | undefined, id: string, fields: Record<string, unknown>) =>
  mutate(
    token,
    'mutation($id: ID!, $f: UpdateDealFieldsInput) { updateDeal(input: {id: $id, fields: $f}) { deal { objectId } } }',
    { id, f: fields },
  );

describe('a rep subscribed to their qualified deals', () => {
  it('hears create, update, leave, enter and delete for their own deals only', async () => {
    const rep1 = cast.rep1.token!;
    const rep2 = cast.rep2.token!;
    const { client } = connect({ 'X-Parse-Session-Token': rep1 });
    const feed = new Feed(client, DEALS, QUALIFIED);
    await settle();

    const mine = await createDeal(rep1, { title: 'mine', stage: 'qualified', amount: 10 });
    await createDeal(rep2, { title: 'theirs', stage: 'qualified', amount: 99 });
    await updateDeal(rep2, await createDeal(rep2, { title: 'theirs-2', stage: 'lead' }), { stage: 'qualified' });
    await updateDeal(rep1, mine, { amount: 20 });
    await updateDeal(rep1, mine, { stage: 'won' });
    const later = await createDeal(rep1, { title: 'later', stage: 'lead' });
    await updateDeal(rep1, later, { stage: 'qualified' });
    await createDeal(rep1, { title: 'ignored', stage: 'lead' });
    await mutate(rep1, 'mutation($id: ID!) { deleteDeal(input: {id: $id}) { deal { objectId } } }', { id: later });

    const results = await feed.waitFor(5);
    await sleep(300);
    expect(feed.events()).toEqual([
      { event: 'create', title: 'mine' },
      { event: 'update', title: 'mine' },
      { event: 'leave', title: 'mine' },
      { event: 'enter', title: 'later' },
      { event: 'delete', title: 'later' },
    ]);
    expect(results[0].data.deals.node).toEqual({
      title: 'mine',
      stage: 'qualified',
      amount: 10,
      assignedTo: { username: 'rep1', email: 'rep1@crm.test' },
    });
    expect(results[1].data.deals.original).toEqual({ stage: 'qualified', amount: 10 });
    expect(results[2].data.deals).toMatchObject({ node: { stage: 'won' }, original: { stage: 'qualified', amount: 20 } });
  });

  it('the manager hears every rep, with emails hidden', async () => {
    const { client } = connect({ 'X-Parse-Session-Token': cast.mgr.token });
    const feed = new Feed(client, DEALS, { where: { title: { matchesRegex: '^mgr-view' } } });
    await settle();
    await createDeal(cast.rep1.token, { title: 'mgr-view-1' });
    await createDeal(cast.rep2.token, { title: 'mgr-view-2' });
    const results = await feed.waitFor(2);
    expect(results.map((r) => r.data.deals.node.assignedTo)).toEqual([
      { username: 'rep1', email: null },
      { username: 'rep2', email: null },
    ]);
  });
});

describe('where on subscriptions', () => {
  it('activities of one deal, by relatedTo (a polymorphic pointer)', async () => {
    const deal = await createDeal(cast.rep1.token, { title: 'with activities' });
    const { client } = connect({ 'X-Parse-Session-Token': cast.rep1.token });
    const feed = new Feed(
      client,
      'subscription($id: ID) { activities(where: {relatedTo: {equalTo: $id}}) { event node { subject relatedTo { ... on Deal { title } } } } }',
      {
        id: Buffer.from(`Deal:${deal}`).toString('base64'),
      },
    );
    await settle();
    const activity = (fields: Record<string, unknown>) =>
      mutate(
        cast.rep1.token,
        'mutation($f: CreateActivityFieldsInput!) { createActivity(input: {fields: $f}) { activity { objectId } } }',
        { f: fields },
      );
    await activity({ subject: 'other', type: 'note' });
    await activity({ subject: 'on the deal', type: 'call', relatedTo: { link: Buffer.from(`Deal:${deal}`).toString('base64') } });
    const [result] = await feed.waitFor(1);
    expect(result.data.activities).toEqual({
      event: 'create',
      node: { subject: 'on the deal', relatedTo: { title: 'with activities' } },
    });
  });

  it('conditions LiveQuery cannot evaluate in memory (sub-queries) are refused with 102', async () => {
    const { client } = connect({ 'X-Parse-Session-Token': cast.rep1.token });
    const [result] = await new Feed(client, DEALS, { where: { company: { have: { name: { equalTo: 'x' } } } } }).waitFor(1);
    expect(result.errors[0].extensions.code).toBe(102);
  });
});

describe('authorization', () => {
  it('an anonymous subscriber is refused with 101, as LiveQuery does', async () => {
    const { client } = connect({});
    const feed = new Feed(client, DEALS);
    const [result] = await feed.waitFor(1);
    expect(result.errors[0].extensions.code).toBe(101);
    expect(result.data).toBeUndefined();
  });

  it('a dead session token closes the connection with 4401', async () => {
    const { closed } = connect({ 'X-Parse-Session-Token': 'r:00000000000000000000000000000000' });
    expect(await closed).toMatchObject({ code: 4401, reason: 'Invalid session token' });
  });

  it('a wrong application id closes it with 4403', async () => {
    const { closed } = connect({ 'X-Parse-Application-Id': 'wrong', 'X-Parse-Session-Token': cast.rep1.token });
    expect((await closed).code).toBe(4403);
  });

  it('logging out ends the session’s subscriptions', async () => {
    const token = await logIn(cast.http, 'rep1');
    const { client, closed } = connect({ 'X-Parse-Session-Token': token });
    const feed = new Feed(client, DEALS);
    await settle();
    await mutate(token, 'mutation { logOut(input: {}) { ok } }');
    expect((await closed).code).toBe(4401);
    await createDeal(cast.rep1.token, { title: 'after logout', stage: 'qualified' });
    await sleep(200);
    expect(feed.events().map((e) => e.title)).not.toContain('after logout');
  });

  it('queries and mutations over the socket run with the connection’s session and the same rules', async () => {
    const { client } = connect({ 'X-Parse-Session-Token': cast.rep2.token });
    const count = await new Feed(client, '{ deals(where: {title: {equalTo: "mine"}}) { count } }').waitFor(1);
    expect(count[0]).toEqual({ data: { deals: { count: 0 } } });
    const login = new Feed(client, 'mutation { logIn(input: {username: "rep1", password: "x"}) { viewer { sessionToken } } }');
    expect(await login.waitFor(1)).toEqual([]);
    expect(login.error).toEqual([
      { message: 'logIn, signUp and createUser are only available over HTTP.', extensions: { code: 'BAD_REQUEST' } },
    ]);
    const introspection = new Feed(client, '{ __schema { types { name } } }');
    await introspection.waitFor(1);
    expect(introspection.error).toEqual([
      { message: 'Introspection is not allowed', extensions: { code: 'INTROSPECTION_NOT_ALLOWED' } },
    ]);
  });
});

describe('role changes', () => {
  it('a rep made a manager starts hearing other reps’ deals without reconnecting', async () => {
    const { client } = connect({ 'X-Parse-Session-Token': cast.rep2.token });
    const feed = new Feed(client, DEALS, { where: { title: { matchesRegex: '^promotion' } } });
    await settle();
    await createDeal(cast.rep1.token, { title: 'promotion-before' });
    await sleep(200);
    expect(feed.events()).toEqual([]);
    await addToRole(cast.http, cast.managersRoleId, cast.rep2.id!);
    await settle();
    await createDeal(cast.rep1.token, { title: 'promotion-after' });
    expect((await feed.waitFor(1)).map((r) => r.data.deals.node.title)).toEqual(['promotion-after']);
  });
});
