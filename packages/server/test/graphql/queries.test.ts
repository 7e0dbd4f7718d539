/**
 * The GraphQL API's data shape against a running server (plain Parse semantics): per-class queries and
 * connections, typed where inputs and their operators, order enums, cursor paging, count, pointers
 * (have/haveNot/exists/equalTo, createAndLink, polymorphic relatedTo as a union), mutations, GET, CORS, and
 * errors with Parse codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_API_ONLY, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';
import { codes, GraphQLClient, globalId, graphqlUrl } from './helpers.js';

let server: TestServer;
let gql: GraphQLClient;
const ids: Record<string, string> = {};

async function create(className: string, fields: Record<string, unknown>): Promise<string> {
  const data = await gql.data(
    `mutation($fields: Create${className}FieldsInput!) { create${className}(input: {fields: $fields}) { ${lower(className)} { objectId } } }`,
    {
      fields,
    },
  );
  return data[`create${className}`][lower(className)].objectId;
}
const lower = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** Titles of a deals query's nodes, in order. */
async function titles(args: string, variables?: Record<string, unknown>, params = ''): Promise<string[]> {
  const data = await gql.data(`query${params} { deals(${args}) { edges { node { title } } } }`, variables);
  return data.deals.edges.map((e: any) => e.node.title);
}

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  gql = new GraphQLClient(server);
  ids.acme = await create('Company', { name: 'Acme', industry: 'Software' });
  ids.globex = await create('Company', { name: 'Globex', industry: 'Retail' });
  ids.alice = await create('Contact', { name: 'Alice', email: 'alice@acme.test', company: { link: ids.acme } });
  ids.bob = await create('Contact', { name: 'Bob', company: { link: globalId('Company', ids.globex) } });
  const deal = (title: string, amount: number, stage: string, close: string, extra: Record<string, unknown> = {}) =>
    create('Deal', { title, amount, stage, expectedCloseDate: `${close}T00:00:00.000Z`, ...extra });
  ids.alpha = await deal('Alpha', 100, 'lead', '2026-03-01', { company: { link: ids.acme }, contact: { link: ids.alice } });
  ids.beta = await deal('Beta', 250, 'qualified', '2026-02-01', { company: { link: ids.acme }, contact: { link: ids.bob } });
  ids.gamma = await deal('Gamma', 500, 'qualified', '2026-01-15', { company: { link: ids.globex }, contact: { link: ids.bob } });
  ids.delta = await deal('Delta', 75, 'qualified', '2026-04-01', { notes: 'no company yet' });
  ids.epsilon = await deal('Epsilon', 1000, 'won', '2026-05-01', { company: { link: ids.globex } });
  ids.call = await create('Activity', {
    type: 'call',
    subject: 'Intro call',
    relatedTo: { link: globalId('Contact', ids.alice) },
  });
  ids.email = await create('Activity', {
    type: 'email',
    subject: 'Proposal sent',
    relatedTo: { link: globalId('Deal', ids.beta) },
  });
  ids.meeting = await create('Activity', {
    type: 'meeting',
    subject: 'Negotiation',
    relatedTo: { link: globalId('Deal', ids.beta) },
  });
  ids.note = await create('Activity', {
    type: 'note',
    subject: 'Met at fair',
    relatedTo: { link: globalId('Contact', ids.bob) },
  });
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

describe('single-object queries', () => {
  it('deal(id:) takes a global id or an objectId and answers both ids', async () => {
    for (const id of [globalId('Deal', ids.beta), ids.beta]) {
      const data = await gql.data(
        `query($id: ID!) { deal(id: $id) { id objectId title amount stage expectedCloseDate createdAt updatedAt } }`,
        { id },
      );
      expect(data.deal).toMatchObject({
        id: globalId('Deal', ids.beta),
        objectId: ids.beta,
        title: 'Beta',
        amount: 250,
        stage: 'qualified',
      });
      expect(data.deal.expectedCloseDate).toBe('2026-02-01T00:00:00.000Z');
      expect(data.deal.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it('a missing object is error 101 with HTTP 200 and data.deal null', async () => {
    const res = await gql.post(`{ deal(id: "nope123456") { title } }`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ deal: null });
    expect(res.body.errors[0]).toMatchObject({ path: ['deal'], extensions: { code: 101 } });
  });

  it("another class's global id names no deal (101)", async () => {
    const res = await gql.post(`query($id: ID!) { deal(id: $id) { title } }`, { id: globalId('Contact', ids.alice) });
    expect(codes(res.body)).toEqual([101]);
  });

  it('node(id:) resolves any class from its global id', async () => {
    const data = await gql.data(
      `query($a: ID!, $b: ID!) { a: node(id: $a) { id ... on Deal { title } } b: node(id: $b) { ... on Company { name } } }`,
      {
        a: globalId('Deal', ids.gamma),
        b: globalId('Company', ids.acme),
      },
    );
    expect(data).toEqual({ a: { id: globalId('Deal', ids.gamma), title: 'Gamma' }, b: { name: 'Acme' } });
  });

  it('company, contact and activity have their single queries', async () => {
    const data = await gql.data(
      `query($c: ID!, $p: ID!, $a: ID!) { company(id: $c) { name industry } contact(id: $p) { name email } activity(id: $a) { type subject } }`,
      {
        c: ids.acme,
        p: ids.alice,
        a: ids.call,
      },
    );
    expect(data).toEqual({
      company: { name: 'Acme', industry: 'Software' },
      contact: { name: 'Alice', email: 'alice@acme.test' },
      activity: { type: 'call', subject: 'Intro call' },
    });
  });

  it('health answers true', async () => {
    expect(await gql.data('{ health }')).toEqual({ health: true });
  });
});

describe('the seed: filter deals by stage, order by close date', () => {
  it('the pipeline query', async () => {
    const data = await gql.data(
      `{ deals(where: {stage: {equalTo: "qualified"}}, order: [expectedCloseDate_ASC], first: 50) { edges { node { objectId title amount stage expectedCloseDate } } } }`,
    );
    expect(data.deals.edges.map((e: any) => e.node)).toEqual([
      { objectId: ids.gamma, title: 'Gamma', amount: 500, stage: 'qualified', expectedCloseDate: '2026-01-15T00:00:00.000Z' },
      { objectId: ids.beta, title: 'Beta', amount: 250, stage: 'qualified', expectedCloseDate: '2026-02-01T00:00:00.000Z' },
      { objectId: ids.delta, title: 'Delta', amount: 75, stage: 'qualified', expectedCloseDate: '2026-04-01T00:00:00.000Z' },
    ]);
  });

  it('order by updatedAt descending puts the latest write first', async () => {
    await gql.data(`mutation($id: ID!) { updateDeal(input: {id: $id, fields: {notes: "touched"}}) { deal { objectId } } }`, {
      id: ids.alpha,
    });
    const first = await titles('order: [updatedAt_DESC], first: 1');
    expect(first).toEqual(['Alpha']);
  });

  it('several order keys apply in turn', async () => {
    expect(await titles('order: [stage_ASC, amount_DESC]')).toEqual(['Alpha', 'Gamma', 'Beta', 'Delta', 'Epsilon']);
  });
});

describe('where operators', () => {
  const cases: Array<[string, string, string[]]> = [
    ['equalTo', '{title: {equalTo: "Beta"}}', ['Beta']],
    ['notEqualTo', '{stage: {notEqualTo: "qualified"}}', ['Alpha', 'Epsilon']],
    ['greaterThan', '{amount: {greaterThan: 250}}', ['Gamma', 'Epsilon']],
    ['greaterThanOrEqualTo', '{amount: {greaterThanOrEqualTo: 250}}', ['Beta', 'Gamma', 'Epsilon']],
    ['lessThan', '{amount: {lessThan: 100}}', ['Delta']],
    ['lessThanOrEqualTo', '{amount: {lessThanOrEqualTo: 100}}', ['Delta', 'Alpha']],
    ['in', '{stage: {in: ["lead", "won"]}}', ['Alpha', 'Epsilon']],
    ['notIn', '{stage: {notIn: ["lead", "won"]}}', ['Delta', 'Beta', 'Gamma']],
    ['exists false', '{company: {exists: false}}', ['Delta']],
    ['exists true', '{notes: {exists: true}, title: {equalTo: "Delta"}}', ['Delta']],
    ['matchesRegex + options', '{title: {matchesRegex: "^g", options: "i"}}', ['Gamma']],
    ['Date lessThan', '{expectedCloseDate: {lessThan: "2026-02-15T00:00:00.000Z"}}', ['Beta', 'Gamma']],
    [
      'Date range',
      '{expectedCloseDate: {greaterThan: "2026-02-15T00:00:00.000Z", lessThanOrEqualTo: "2026-04-01T00:00:00.000Z"}}',
      ['Delta', 'Alpha'],
    ],
    ['OR', '{OR: [{stage: {equalTo: "lead"}}, {amount: {greaterThan: 900}}]}', ['Alpha', 'Epsilon']],
    ['AND', '{AND: [{stage: {equalTo: "qualified"}}, {amount: {greaterThan: 100}}]}', ['Beta', 'Gamma']],
    ['NOR', '{NOR: [{stage: {equalTo: "qualified"}}, {amount: {greaterThan: 900}}]}', ['Alpha']],
    [
      'a field and OR together',
      '{stage: {equalTo: "qualified"}, OR: [{amount: {lessThan: 100}}, {amount: {greaterThan: 400}}]}',
      ['Delta', 'Gamma'],
    ],
  ];
  for (const [name, where, expected] of cases) {
    it(name, async () => {
      expect((await titles(`where: ${where}, order: [amount_ASC]`)).sort()).toEqual([...expected].sort());
    });
  }

  it('objectId and id conditions accept objectIds and global ids', async () => {
    expect(
      await titles(
        'where: {objectId: {in: $ids}}, order: [amount_ASC]',
        { ids: [ids.beta, globalId('Deal', ids.gamma)] },
        '($ids: [ID])',
      ),
    ).toEqual(['Beta', 'Gamma']);
    expect(await titles('where: {id: {equalTo: $id}}', { id: globalId('Deal', ids.delta) }, '($id: ID)')).toEqual(['Delta']);
  });

  it('inQueryKey matches values selected by a sub-query', async () => {
    const got = await titles(
      'where: {stage: {inQueryKey: {query: {className: "Deal", where: $where}, key: "stage"}}}, order: [amount_ASC]',
      { where: { amount: { $gte: 1000 } } },
      '($where: Object!)',
    );
    expect(got).toEqual(['Epsilon']);
  });

  it('a Parse error from the query engine comes back with its code', async () => {
    const res = await gql.post('{ deals(where: {title: {matchesRegex: "(unclosed"}}) { count } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(codes(res.body)).toEqual([102]);
  });
});

describe('pointers', () => {
  it('resolve to nested objects, two levels deep', async () => {
    const data = await gql.data(
      `query($id: ID!) { deal(id: $id) { company { name industry } contact { name company { name } } } }`,
      { id: ids.beta },
    );
    expect(data.deal).toEqual({
      company: { name: 'Acme', industry: 'Software' },
      contact: { name: 'Bob', company: { name: 'Globex' } },
    });
  });

  it('an unset pointer is null', async () => {
    const data = await gql.data(`query($id: ID!) { deal(id: $id) { company { name } } }`, { id: ids.delta });
    expect(data.deal.company).toBeNull();
  });

  it('have: the object pointed at matches', async () => {
    expect((await titles('where: {company: {have: {name: {equalTo: "Acme"}}}}')).sort()).toEqual(['Alpha', 'Beta']);
  });

  it('have, nested: deals whose contact works at Globex', async () => {
    expect((await titles('where: {contact: {have: {company: {have: {name: {equalTo: "Globex"}}}}}}')).sort()).toEqual([
      'Beta',
      'Gamma',
    ]);
  });

  it('haveNot: the object pointed at does not match (or there is none)', async () => {
    expect((await titles('where: {company: {haveNot: {name: {equalTo: "Acme"}}, exists: true}}')).sort()).toEqual([
      'Epsilon',
      'Gamma',
    ]);
    // A deal without a company points at no Acme either.
    expect((await titles('where: {company: {haveNot: {name: {equalTo: "Acme"}}}}')).sort()).toEqual([
      'Delta',
      'Epsilon',
      'Gamma',
    ]);
  });

  it('exists, and equalTo with a global id or an objectId', async () => {
    expect((await titles('where: {contact: {exists: true}}')).sort()).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect((await titles('where: {company: {equalTo: $c}}', { c: globalId('Company', ids.acme) }, '($c: ID)')).sort()).toEqual([
      'Alpha',
      'Beta',
    ]);
    expect((await titles('where: {company: {equalTo: $c}}', { c: ids.globex }, '($c: ID)')).sort()).toEqual(['Epsilon', 'Gamma']);
  });
});

describe('the seed: list activities by relatedTo', () => {
  const subjects = async (where: string, variables: Record<string, unknown>, params: string) => {
    const data = await gql.data(
      `query${params} { activities(where: ${where}, order: [subject_ASC]) { count edges { node { subject } } } }`,
      variables,
    );
    return { count: data.activities.count, subjects: data.activities.edges.map((e: any) => e.node.subject) };
  };

  it('of a Deal, by global id', async () => {
    expect(await subjects('{relatedTo: {equalTo: $id}}', { id: globalId('Deal', ids.beta) }, '($id: ID)')).toEqual({
      count: 2,
      subjects: ['Negotiation', 'Proposal sent'],
    });
  });

  it('of a Contact, by global id', async () => {
    expect(await subjects('{relatedTo: {equalTo: $id}}', { id: globalId('Contact', ids.alice) }, '($id: ID)')).toEqual({
      count: 1,
      subjects: ['Intro call'],
    });
  });

  it('with have, per target class', async () => {
    expect(await subjects('{relatedTo: {have: {Deal: {objectId: {equalTo: $id}}}}}', { id: ids.beta }, '($id: ID)')).toEqual({
      count: 2,
      subjects: ['Negotiation', 'Proposal sent'],
    });
    expect(await subjects('{relatedTo: {have: {Contact: {name: {in: ["Alice", "Bob"]}}}}}', {}, '')).toEqual({
      count: 2,
      subjects: ['Intro call', 'Met at fair'],
    });
    expect(
      await subjects('{relatedTo: {have: {Contact: {name: {equalTo: "Bob"}}, Deal: {title: {equalTo: "Beta"}}}}}', {}, ''),
    ).toEqual({
      count: 3,
      subjects: ['Met at fair', 'Negotiation', 'Proposal sent'],
    });
  });

  it('a bare objectId cannot say which class a polymorphic pointer means', async () => {
    const res = await gql.post('query($id: ID) { activities(where: {relatedTo: {equalTo: $id}}) { count } }', { id: ids.beta });
    expect(codes(res.body)).toEqual([106]);
  });

  it('relatedTo resolves as a union of Contact and Deal', async () => {
    const data = await gql.data(
      `{ activities(order: [subject_ASC]) { edges { node { subject relatedTo { __typename ... on Deal { title } ... on Contact { name } } } } } }`,
    );
    expect(data.activities.edges.map((e: any) => e.node)).toEqual([
      { subject: 'Intro call', relatedTo: { __typename: 'Contact', name: 'Alice' } },
      { subject: 'Met at fair', relatedTo: { __typename: 'Contact', name: 'Bob' } },
      { subject: 'Negotiation', relatedTo: { __typename: 'Deal', title: 'Beta' } },
      { subject: 'Proposal sent', relatedTo: { __typename: 'Deal', title: 'Beta' } },
    ]);
  });
});

describe('connections: paging and count', () => {
  const page = async (args: string) => {
    const data = await gql.data(
      `{ deals(order: [amount_ASC], ${args}) { count edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
    );
    return data.deals;
  };

  it('first/after walks forward with cursors', async () => {
    const one = await page('first: 2');
    expect(one.edges.map((e: any) => e.node.title)).toEqual(['Delta', 'Alpha']);
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(one.count).toBe(5);
    expect(Buffer.from(one.pageInfo.endCursor, 'base64').toString()).toBe('arrayconnection:1');
    const two = await page(`first: 2, after: "${one.pageInfo.endCursor}"`);
    expect(two.edges.map((e: any) => e.node.title)).toEqual(['Beta', 'Gamma']);
    expect(two.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const three = await page(`first: 2, after: "${two.pageInfo.endCursor}"`);
    expect(three.edges.map((e: any) => e.node.title)).toEqual(['Epsilon']);
    expect(three.pageInfo.hasNextPage).toBe(false);
  });

  it('last/before walks backward', async () => {
    const tail = await page('last: 2');
    expect(tail.edges.map((e: any) => e.node.title)).toEqual(['Gamma', 'Epsilon']);
    expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = await page(`last: 1, before: "${tail.pageInfo.startCursor}"`);
    expect(before.edges.map((e: any) => e.node.title)).toEqual(['Beta']);
    expect(before.pageInfo.hasNextPage).toBe(true);
  });

  it('skip offsets the page', async () => {
    expect((await page('skip: 3, first: 5')).edges.map((e: any) => e.node.title)).toEqual(['Gamma', 'Epsilon']);
  });

  it('count alone, and with first: 0, reads no rows', async () => {
    expect((await gql.data('{ deals(where: {stage: {equalTo: "qualified"}}) { count } }')).deals).toEqual({ count: 3 });
    const zero = await page('first: 0');
    expect(zero.count).toBe(5);
    expect(zero.edges).toEqual([]);
  });

  it('a malformed cursor is error 102', async () => {
    const res = await gql.post('{ deals(after: "garbage") { count } }');
    expect(codes(res.body)).toEqual([102]);
  });

  it('a negative first is error 102', async () => {
    const res = await gql.post('{ deals(first: -1) { count } }');
    expect(codes(res.body)).toEqual([102]);
  });
});

describe('mutations', () => {
  it('createDeal with createAndLink creates the company first and links it', async () => {
    const data = await gql.data(
      `mutation { createDeal(input: {clientMutationId: "m1", fields: {title: "Zeta", amount: 42, company: {createAndLink: {name: "Initech"}}}}) {
         clientMutationId deal { id objectId title company { objectId name } ACL { public { read write } } } } }`,
    );
    expect(data.createDeal.clientMutationId).toBe('m1');
    expect(data.createDeal.deal).toMatchObject({
      title: 'Zeta',
      company: { name: 'Initech' },
      ACL: { public: { read: true, write: true } },
    });
    expect(data.createDeal.deal.id).toBe(globalId('Deal', data.createDeal.deal.objectId));
    const company = await gql.data(`query($id: ID!) { company(id: $id) { name } }`, {
      id: data.createDeal.deal.company.objectId,
    });
    expect(company.company.name).toBe('Initech');
  });

  it('ACL input becomes the object ACL', async () => {
    const data = await gql.data(
      `mutation { createCompany(input: {fields: {name: "Read-only", ACL: {public: {read: true, write: false}}}}) { company { ACL { public { read write } users { userId } } } } }`,
    );
    expect(data.createCompany.company.ACL).toEqual({ public: { read: true, write: false }, users: [] });
  });

  it('updateDeal changes fields, unsets with null and answers the object', async () => {
    const id = await create('Deal', { title: 'Eta', amount: 1, stage: 'lead', notes: 'temp' });
    const data = await gql.data(
      `mutation($id: ID!) { updateDeal(input: {id: $id, fields: {stage: "won", amount: 2, notes: null, contact: {link: "${ids.alice}"}}}) { deal { title stage amount notes contact { name } updatedAt } } }`,
      { id: globalId('Deal', id) },
    );
    expect(data.updateDeal.deal).toMatchObject({
      title: 'Eta',
      stage: 'won',
      amount: 2,
      notes: null,
      contact: { name: 'Alice' },
    });
  });

  it('an update the service refuses answers its Parse code with data null', async () => {
    const res = await gql.post(`mutation($id: ID!) { updateDeal(input: {id: $id, fields: {title: null}}) { deal { title } } }`, {
      id: ids.alpha,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ updateDeal: null });
    expect(res.body.errors[0]).toMatchObject({ path: ['updateDeal'], extensions: { code: 142 } });
  });

  it('a type GraphQL cannot coerce is BAD_USER_INPUT with HTTP 400', async () => {
    const res = await gql.post(`mutation($f: CreateDealFieldsInput!) { createDeal(input: {fields: $f}) { deal { title } } }`, {
      f: { title: 'X', amount: 'lots' },
    });
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('a missing required field is a validation error (HTTP 400)', async () => {
    const res = await gql.post(`mutation { createDeal(input: {fields: {amount: 1}}) { deal { title } } }`);
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('deleteDeal answers the deleted object; it is gone afterwards', async () => {
    const id = await create('Deal', { title: 'Theta' });
    const data = await gql.data(`mutation($id: ID!) { deleteDeal(input: {id: $id}) { deal { objectId title } } }`, { id });
    expect(data.deleteDeal.deal).toEqual({ objectId: id, title: 'Theta' });
    const res = await gql.post(`query($id: ID!) { deal(id: $id) { title } }`, { id });
    expect(codes(res.body)).toEqual([101]);
  });

  it('create, update and delete exist for every class', async () => {
    const id = await create('Activity', {
      type: 'task',
      subject: 'Follow up',
      dueDate: '2026-06-01T09:00:00.000Z',
      relatedTo: { link: globalId('Deal', ids.gamma) },
    });
    const updated = await gql.data(
      `mutation($id: ID!) { updateActivity(input: {id: $id, fields: {completedAt: "2026-06-02T10:00:00.000Z"}}) { activity { completedAt relatedTo { ... on Deal { title } } } } }`,
      { id },
    );
    expect(updated.updateActivity.activity).toEqual({ completedAt: '2026-06-02T10:00:00.000Z', relatedTo: { title: 'Gamma' } });
    const contact = await create('Contact', { name: 'Carol' });
    await gql.data(`mutation($id: ID!) { updateContact(input: {id: $id, fields: {phone: "555"}}) { contact { phone } } }`, {
      id: contact,
    });
    for (const [cls, objectId] of [
      ['Activity', id],
      ['Contact', contact],
    ] as const) {
      const data = await gql.data(`mutation($id: ID!) { delete${cls}(input: {id: $id}) { ${lower(cls)} { objectId } } }`, {
        id: objectId,
      });
      expect(data[`delete${cls}`][lower(cls)].objectId).toBe(objectId);
    }
  });
});

describe('transport', () => {
  it('GET runs queries', async () => {
    const res = await gql.get('query($id: ID!) { deal(id: $id) { title } }', { id: ids.gamma });
    expect(res.status).toBe(200);
    expect(res.body.data.deal.title).toBe('Gamma');
  });

  it('GET refuses mutations (405)', async () => {
    const res = await gql.get('mutation { logOut(input: {}) { ok } }');
    expect(res.status).toBe(405);
  });

  it('operationName picks the operation', async () => {
    const res = await gql.post(`query A { health } query B { deal(id: "${ids.delta}") { title } }`, undefined, 'B');
    expect(res.body.data).toEqual({ deal: { title: 'Delta' } });
  });

  it('a syntax error is GRAPHQL_PARSE_FAILED with HTTP 400', async () => {
    const res = await gql.post('{ deals(');
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('a missing query is 400', async () => {
    const res = await fetch(graphqlUrl(server), { method: 'POST', headers: gql.headers(), body: JSON.stringify({}) });
    expect(res.status).toBe(400);
  });

  it('a wrong application id is REST 403 unauthorized', async () => {
    const res = await gql.as({ headers: { 'X-Parse-Application-Id': 'wrong' } }).post('{ health }');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'unauthorized' });
  });

  it('CORS headers are on every response, as for REST', async () => {
    const ok = await gql.post('{ health }');
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    const bad = await gql.post('{ nope }');
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(graphqlUrl(server), {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Parse-Session-Token');
  });
});
