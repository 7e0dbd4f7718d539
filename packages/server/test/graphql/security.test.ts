/**
 * The REST attacker cases, through GraphQL, under the CRM policy: GraphQL calls the same services, so another
 * rep's rows stay invisible (single query, connection, count, nested pointer, sub-query), protected fields can be
 * neither read nor queried nor sorted on, writes to foreign rows answer 101, introspection needs the master key,
 * and a dead session token is refused before GraphQL runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, seedRep, startCrmServer, type Cast, type RepData } from '../security/helpers/cast.js';
import { codes, GraphQLClient, globalId } from './helpers.js';

let server: TestServer;
let cast: Cast;
let r1: RepData;
let r2: RepData;
const as: Record<'rep1' | 'rep2' | 'mgr' | 'admin' | 'anon' | 'master', GraphQLClient> = {} as never;

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  r1 = await seedRep(cast.rep1);
  r2 = await seedRep(cast.rep2);
  const gql = new GraphQLClient(server);
  as.rep1 = gql.as({ token: cast.rep1.token });
  as.rep2 = gql.as({ token: cast.rep2.token });
  as.mgr = gql.as({ token: cast.mgr.token });
  as.admin = gql.as({ token: cast.admin.token });
  as.anon = gql;
  as.master = gql.as({ master: true });
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

const dealTitle = `query($id: ID!) { deal(id: $id) { title } }`;

describe("another rep's rows are invisible", () => {
  it("deal(id:) of rep1's deal by rep2 → 101, data.deal null (objectId and global id)", async () => {
    for (const id of [r1.deal, globalId('Deal', r1.deal)]) {
      const res = await as.rep2.post(dealTitle, { id });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ deal: null });
      expect(codes(res.body)).toEqual([101]);
    }
    expect((await as.rep1.data(dealTitle, { id: r1.deal })).deal.title).toBe('rep1 Deal');
  });

  it('deals and its count hold only the caller’s rows; the manager and admin see both', async () => {
    const list = async (client: GraphQLClient) => {
      const data = await client.data('{ deals(order: [title_ASC]) { count edges { node { objectId } } } }');
      return { count: data.deals.count, ids: data.deals.edges.map((e: any) => e.node.objectId) };
    };
    expect(await list(as.rep1)).toEqual({ count: 1, ids: [r1.deal] });
    expect(await list(as.rep2)).toEqual({ count: 1, ids: [r2.deal] });
    expect(await list(as.mgr)).toEqual({ count: 2, ids: [r1.deal, r2.deal] });
    expect(await list(as.admin)).toEqual({ count: 2, ids: [r1.deal, r2.deal] });
  });

  it("a where aimed at rep1's ids never returns them to rep2", async () => {
    for (const where of [
      `{objectId: {equalTo: "${r1.deal}"}}`,
      `{id: {in: ["${globalId('Deal', r1.deal)}", "${r2.deal}"]}}`,
      `{OR: [{objectId: {equalTo: "${r1.deal}"}}, {title: {equalTo: "rep1 Deal"}}]}`,
    ]) {
      const data = await as.rep2.data(`{ deals(where: ${where}) { count edges { node { objectId } } } }`);
      expect(data.deals.edges.map((e: any) => e.node.objectId)).not.toContain(r1.deal);
    }
  });

  it("activities related to rep1's deal are invisible to rep2", async () => {
    const data = await as.rep2.data(`query($id: ID) { activities(where: {relatedTo: {equalTo: $id}}) { count } }`, {
      id: globalId('Deal', r1.deal),
    });
    expect(data.activities.count).toBe(0);
    expect(
      (
        await as.rep1.data(`query($id: ID) { activities(where: {relatedTo: {equalTo: $id}}) { count } }`, {
          id: globalId('Deal', r1.deal),
        })
      ).activities.count,
    ).toBe(1);
  });

  it("a pointer from an own deal to rep1's contact resolves to null, not to rep1's data", async () => {
    const created = await as.rep2.data(
      `mutation($c: ID, $co: ID) { createDeal(input: {fields: {title: "poach", contact: {link: $c}, company: {link: $co}}}) { deal { objectId contact { name } company { name } } } }`,
      { c: r1.contact, co: r1.company },
    );
    expect(created.createDeal.deal).toMatchObject({ contact: null, company: null });
    // And the sub-query of `have` cannot probe rep1's company by name through it.
    const probe = await as.rep2.data(`{ deals(where: {company: {have: {name: {equalTo: "rep1 Co"}}}}) { count } }`);
    expect(probe.deals.count).toBe(0);
    const manager = await as.mgr.data(`{ deals(where: {company: {have: {name: {equalTo: "rep1 Co"}}}}) { count } }`);
    expect(manager.deals.count).toBe(2);
  });

  it('anonymous callers get 101 on CRM classes', async () => {
    expect(codes((await as.anon.post('{ deals { count } }')).body)).toEqual([101]);
    expect(codes((await as.anon.post(dealTitle, { id: r1.deal })).body)).toEqual([101]);
  });

  it('sessions lists only the caller’s own sessions', async () => {
    const data = await as.rep1.data('{ sessions { count edges { node { user { objectId } } } } }');
    expect(data.sessions.count).toBeGreaterThan(0);
    for (const edge of data.sessions.edges) expect(edge.node.user.objectId).toBe(cast.rep1.id);
  });
});

describe('foreign writes answer 101 and change nothing', () => {
  it("updateDeal and deleteDeal of rep1's deal by rep2", async () => {
    const update = await as.rep2.post(
      `mutation($id: ID!) { updateDeal(input: {id: $id, fields: {title: "mine now"}}) { deal { title } } }`,
      { id: r1.deal },
    );
    expect(update.body.data).toEqual({ updateDeal: null });
    expect(codes(update.body)).toEqual([101]);
    const remove = await as.rep2.post(`mutation($id: ID!) { deleteDeal(input: {id: $id}) { deal { objectId } } }`, {
      id: r1.deal,
    });
    expect(codes(remove.body)).toEqual([101]);
    const removeWithRead = await as.rep2.post(`mutation($id: ID!) { deleteDeal(input: {id: $id}) { deal { title } } }`, {
      id: r1.deal,
    });
    expect(codes(removeWithRead.body)).toEqual([101]);
    expect((await as.rep1.data(dealTitle, { id: r1.deal })).deal.title).toBe('rep1 Deal');
  });

  it('the manager reads but cannot write a rep’s deal', async () => {
    expect((await as.mgr.data(dealTitle, { id: r1.deal })).deal.title).toBe('rep1 Deal');
    const res = await as.mgr.post(
      `mutation($id: ID!) { updateDeal(input: {id: $id, fields: {stage: "lost"}}) { deal { stage } } }`,
      { id: r1.deal },
    );
    expect(codes(res.body)).toEqual([101]);
  });

  it('createdBy naming another user is refused (119)', async () => {
    const res = await as.rep2.post(
      `mutation($u: ID) { createCompany(input: {fields: {name: "forged", createdBy: {link: $u}}}) { company { objectId } } }`,
      {
        u: cast.rep1.id,
      },
    );
    expect(codes(res.body)).toEqual([119]);
  });

  it('a rep cannot create roles (admins only)', async () => {
    const res = await as.rep1.post(
      `mutation { createRole(input: {fields: {name: "admins2", ACL: {public: {read: true, write: false}}}}) { role { objectId } } }`,
    );
    expect(codes(res.body)).toEqual([119]);
  });
});

describe('protected fields (_User.email)', () => {
  it('nested assignedTo { email } is null for the manager; username shows', async () => {
    const data = await as.mgr.data(
      '{ deals(where: {title: {in: ["rep1 Deal", "rep2 Deal"]}}, order: [title_ASC]) { edges { node { title assignedTo { username email } } } } }',
    );
    expect(data.deals.edges.map((e: any) => e.node.assignedTo)).toEqual([
      { username: 'rep1', email: null },
      { username: 'rep2', email: null },
    ]);
  });

  it('a rep sees their own email, nobody else’s; the admin sees all', async () => {
    const emails = async (client: GraphQLClient) =>
      Object.fromEntries(
        (await client.data('{ users { edges { node { username email } } } }')).users.edges.map((e: any) => [
          e.node.username,
          e.node.email,
        ]),
      );
    expect(await emails(as.rep1)).toEqual({ admin: null, rep1: 'rep1@crm.test', rep2: null, mgr: null });
    expect(await emails(as.admin)).toEqual({
      admin: 'admin@crm.test',
      rep1: 'rep1@crm.test',
      rep2: 'rep2@crm.test',
      mgr: 'mgr@crm.test',
    });
  });

  it('a where on email is refused (119), directly, bit by bit, or through a pointer sub-query', async () => {
    for (const query of [
      '{ users(where: {email: {equalTo: "rep2@crm.test"}}) { count } }',
      '{ users(where: {email: {matchesRegex: "^rep2"}}) { count } }',
      '{ users(where: {OR: [{username: {equalTo: "x"}}, {email: {exists: true}}]}) { count } }',
      '{ deals(where: {assignedTo: {have: {email: {matchesRegex: "^rep"}}}}) { count } }',
    ]) {
      const res = await as.mgr.post(query);
      expect(codes(res.body), query).toEqual([119]);
    }
  });

  it('ordering by email is refused (119)', async () => {
    expect(codes((await as.rep1.post('{ users(order: [email_ASC]) { count edges { node { username } } } }')).body)).toEqual([
      119,
    ]);
  });
});

describe('introspection needs the master key', () => {
  for (const query of [
    '{ __schema { types { name } } }',
    '{ __type(name: "Deal") { fields { name } } }',
    'query { ...F } fragment F on Query { __schema { queryType { name } } }',
  ]) {
    it(`refused without it: ${query}`, async () => {
      for (const client of [as.anon, as.rep1, as.admin]) {
        const res = await client.post(query);
        expect(res.status).toBe(403);
        expect(res.body.errors[0].message).toBe('Introspection is not allowed');
        expect(res.body.data).toBeUndefined();
      }
    });
  }

  it('__typename is not introspection', async () => {
    expect((await as.rep1.data('{ __typename }')).__typename).toBe('Query');
  });

  it('allowed with the master key', async () => {
    const data = await as.master.data('{ __schema { types { name } } }');
    expect(data.__schema.types.map((t: any) => t.name)).toEqual(
      expect.arrayContaining(['Deal', 'DealConnection', 'DealWhereInput', 'DealOrder']),
    );
  });
});

describe('sessions', () => {
  it('a dead session token is a REST-style 400 {code:209} before GraphQL runs', async () => {
    for (const token of ['r:00000000000000000000000000000000', 'garbage']) {
      const res = await as.anon.as({ token }).post('{ health }');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 209, error: 'Invalid session token' });
    }
  });

  it('the master key from an allowed address acts as master', async () => {
    const data = await as.master.data('{ deals { count } users { count } }');
    expect(data.deals.count).toBeGreaterThanOrEqual(2);
    expect(data.users.count).toBe(4);
  });
});
