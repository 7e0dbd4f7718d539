/**
 * The same attacks through the official `parse` SDK (text/plain POST tunnelling, `sessionToken` options,
 * `Parse.User.logIn` / `become`), so the SDK's request form cannot take a different path around the policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, PASSWORD, seedRep, startCrmServer, type Cast, type RepData } from './helpers/cast.js';

let server: TestServer;
let cast: Cast;
let r1: RepData;
let r2: RepData;
let rep1Token: string;
let rep2Token: string;
let mgrToken: string;

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  r1 = await seedRep(cast.rep1);
  r2 = await seedRep(cast.rep2);
  initParse(server);
  rep1Token = (await Parse.User.logIn('rep1', PASSWORD)).getSessionToken()!;
  rep2Token = (await Parse.User.logIn('rep2', PASSWORD)).getSessionToken()!;
  mgrToken = (await Parse.User.logIn('mgr', PASSWORD)).getSessionToken()!;
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

/** The ParseError code a promise rejects with (fails the test if it resolves). */
async function codeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    return (error as Parse.Error).code;
  }
  throw new Error('expected the call to be rejected');
}

/**
 * `Parse.User.become` is refused in Node unless the unsafe current user is enabled, and while a current user is
 * stored the SDK sends its token with every call. So enable it only around the call and forget the user after.
 */
async function become(token: string): Promise<Parse.User> {
  Parse.User.enableUnsafeCurrentUser();
  try {
    return await Parse.User.become(token);
  } finally {
    await (
      Parse as unknown as { CoreManager: { getUserController(): { removeUserFromDisk(): Promise<unknown> } } }
    ).CoreManager.getUserController().removeUserFromDisk();
    Parse.User.disableUnsafeCurrentUser();
  }
}

const ids = (objects: Parse.Object[]) => objects.map((o) => o.id).sort();
const user = (id: string) => Parse.User.createWithoutData(id) as Parse.User;
/** A pointer-only object of any class. */
function ref(className: string, id: string): Parse.Object {
  const object = new Parse.Object(className);
  object.id = id;
  return object;
}

describe('reads through Parse.Query', () => {
  it('logIn returns the own email; become() resolves the token to the same user', async () => {
    const me = await become(rep1Token);
    expect(me.getUsername()).toBe('rep1');
    expect(me.getEmail()).toBe('rep1@crm.test');
    // and afterwards the SDK is anonymous again
    expect(await codeOf(new Parse.Query('Deal').find())).toBe(101);
  });

  it("find and count with rep2's token: only rep2's deals", async () => {
    const options = { sessionToken: rep2Token };
    expect(ids(await new Parse.Query('Deal').find(options))).toEqual([r2.deal]);
    expect(await new Parse.Query('Deal').count(options)).toBe(1);
  });

  it("get of rep1's deal with rep2's token → 101", async () => {
    expect(await codeOf(new Parse.Query('Deal').get(r1.deal, { sessionToken: rep2Token }))).toBe(101);
  });

  it('the manager sees every deal; find and count agree', async () => {
    const options = { sessionToken: mgrToken };
    const found = ids(await new Parse.Query('Deal').find(options));
    expect(found).toEqual(expect.arrayContaining([r1.deal, r2.deal]));
    expect(await new Parse.Query('Deal').count(options)).toBe(found.length);
  });

  it('without a token (anonymous) → 101', async () => {
    expect(await codeOf(new Parse.Query('Deal').find())).toBe(101);
    expect(await codeOf(new Parse.Query('Company').count())).toBe(101);
  });

  it("_User query: others' emails are undefined", async () => {
    const users = await new Parse.Query(Parse.User).find({ sessionToken: rep2Token });
    expect(users.length).toBeGreaterThanOrEqual(4);
    for (const u of users) {
      if (u.id === cast.rep2.id) expect(u.get('email')).toBe('rep2@crm.test');
      else expect(u.get('email'), u.get('username')).toBeUndefined();
    }
  });

  it('_User equalTo/startsWith/exists on email → 119', async () => {
    const options = { sessionToken: rep2Token };
    expect(await codeOf(new Parse.Query(Parse.User).equalTo('email', 'rep1@crm.test').find(options))).toBe(119);
    expect(await codeOf(new Parse.Query(Parse.User).startsWith('email', 'rep1').find(options))).toBe(119);
    expect(await codeOf(new Parse.Query(Parse.User).exists('email').count(options))).toBe(119);
    expect(await codeOf(new Parse.Query(Parse.User).ascending('email').find(options))).toBe(119);
  });

  it('matchesQuery into _User on email → 119; into a private company → nothing', async () => {
    const options = { sessionToken: rep2Token };
    const byEmail = new Parse.Query(Parse.User).startsWith('email', 'rep1');
    expect(await codeOf(new Parse.Query('Deal').matchesQuery('assignedTo', byEmail).find(options))).toBe(119);
    const byKey = new Parse.Query('Contact').matchesKeyInQuery('email', 'email', new Parse.Query(Parse.User));
    expect(await codeOf(byKey.find(options))).toBe(119);
    const probe = new Parse.Object('Deal', { title: 'sdk probe', company: ref('Company', r1.company) });
    await probe.save(null, options);
    const inPrivate = new Parse.Query('Deal').matchesQuery('company', new Parse.Query('Company').equalTo('name', 'rep1 Co'));
    expect(await inPrivate.find(options)).toEqual([]);
  });

  it('include of a private pointer stays a pointer with no data', async () => {
    const deal = await new Parse.Query('Deal')
      .equalTo('title', 'sdk probe')
      .include('company')
      .first({ sessionToken: rep2Token });
    expect(deal).toBeDefined();
    const company = deal!.get('company') as Parse.Object;
    expect(company.id).toBe(r1.company);
    expect(company.isDataAvailable()).toBe(false);
    expect(company.get('name')).toBeUndefined();
  });

  it('include assignedTo (manager): username, no email', async () => {
    const deal = await new Parse.Query('Deal').include('assignedTo').get(r1.deal, { sessionToken: mgrToken });
    const owner = deal.get('assignedTo') as Parse.User;
    expect(owner.get('username')).toBe('rep1');
    expect(owner.get('email')).toBeUndefined();
  });
});

describe('writes through Parse.Object', () => {
  it("save/destroy of rep1's deal with rep2's token → 101", async () => {
    const foreign = ref('Deal', r1.deal);
    expect(await codeOf(foreign.save({ stage: 'won' }, { sessionToken: rep2Token }))).toBe(101);
    expect(await codeOf(ref('Activity', r1.activity).destroy({ sessionToken: rep2Token }))).toBe(101);
    const check = await new Parse.Query('Deal').get(r1.deal, { useMasterKey: true });
    expect(check.get('stage')).toBe('lead');
  });

  it('forged createdBy → 119', async () => {
    const company = new Parse.Object('Company', { name: 'sdk forged', createdBy: user(cast.rep1.id!) });
    expect(await codeOf(company.save(null, { sessionToken: rep2Token }))).toBe(119);
  });

  it('emailVerified on an own user → 119', async () => {
    const me = await Parse.User.me(rep2Token);
    me.set('emailVerified', true);
    expect(await codeOf(me.save(null, { sessionToken: rep2Token }))).toBe(119);
  });

  it('joining admins through Parse.Role → 119', async () => {
    const admins = await new Parse.Query(Parse.Role).equalTo('name', 'admins').first({ sessionToken: rep2Token });
    expect(admins).toBeDefined();
    admins!.getUsers().add(user(cast.rep2.id!));
    expect(await codeOf(admins!.save(null, { sessionToken: rep2Token }))).toBe(119);
  });

  it('creating a role through Parse.Role → 119', async () => {
    const acl = new Parse.ACL();
    acl.setPublicReadAccess(true);
    expect(await codeOf(new Parse.Role('sdk-role', acl).save(null, { sessionToken: rep2Token }))).toBe(119);
  });

  it('an own deal saves fine (positive)', async () => {
    const deal = await new Parse.Object('Deal', { title: 'sdk own' }).save(null, { sessionToken: rep2Token });
    const back = await new Parse.Query('Deal').get(deal.id!, { sessionToken: rep2Token });
    expect((back.get('assignedTo') as Parse.User).id).toBe(cast.rep2.id);
    expect(await codeOf(new Parse.Query('Deal').get(deal.id!, { sessionToken: rep1Token }))).toBe(101);
  });
});

describe('dead sessions through the SDK', () => {
  it('after log-out, become() and queries with the token → 209', async () => {
    const session = await Parse.User.logIn('rep1', PASSWORD);
    const token = session.getSessionToken()!;
    expect(await new Parse.Query('Deal').count({ sessionToken: token })).toBe(1);
    const res = await cast.http.post('/logout', {}, { headers: { 'X-Parse-Session-Token': token } });
    expect(res.status).toBe(200);
    expect(await codeOf(become(token))).toBe(209);
    expect(await codeOf(Parse.User.me(token))).toBe(209);
    expect(await codeOf(new Parse.Query('Deal').find({ sessionToken: token }))).toBe(209);
  });

  it('wrong password → 101', async () => {
    expect(await codeOf(Parse.User.logIn('rep1', 'nope'))).toBe(101);
  });
});
