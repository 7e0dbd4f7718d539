/**
 * Reaching private rows indirectly: `include` from a readable object to an unreadable one, sub-queries
 * ($inQuery, $notInQuery, $select, $dontSelect) whose answer would depend on rows the caller cannot read, and
 * projections (`keys`, `excludeKeys`) that try to pull out ACLs, emails or internal columns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, parseError } from '../helpers/http.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, idsOf, pointer, seedRep, startCrmServer, type Cast, type RepData } from './helpers/cast.js';

let server: TestServer;
let cast: Cast;
let r1: RepData;
let r2: RepData;

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  r1 = await seedRep(cast.rep1);
  r2 = await seedRep(cast.rep2);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

const SECRET_USER_FIELDS = ['email', 'emailVerified', 'authData', 'password', '_hashed_password', '_email_lower', 'sessionToken'];

describe('include never crosses into unreadable rows', () => {
  let sharedActivity: string;
  let probeDeal: string;

  beforeAll(async () => {
    // rep1's activity on rep1's deal, explicitly shared read-only with rep2 — rep2 may read it but not the deal
    sharedActivity = await cast.rep1.create('Activity', {
      subject: 'shared call',
      relatedTo: pointer('Deal', r1.deal),
      ACL: { [cast.rep1.id!]: { read: true, write: true }, [cast.rep2.id!]: { read: true } },
    });
    // rep2's own deal pointing at rep1's company and contact (no referential integrity, so the save works)
    probeDeal = await cast.rep2.create('Deal', {
      title: 'probe deal',
      company: pointer('Company', r1.company),
      contact: pointer('Contact', r1.contact),
    });
  });

  it('include=relatedTo on a readable activity leaves the private deal a bare pointer (get)', async () => {
    const res = await cast.rep2.get(`/classes/Activity/${sharedActivity}`, { include: 'relatedTo' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.relatedTo).toEqual(pointer('Deal', r1.deal));
  });

  it('include=relatedTo with keys=relatedTo.title leaves it bare too (find)', async () => {
    const res = await cast.rep2.find('Activity', {
      where: { objectId: sharedActivity },
      include: 'relatedTo',
      keys: 'relatedTo.title,relatedTo.amount',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0].relatedTo).toEqual(pointer('Deal', r1.deal));
  });

  it('include of company, contact and contact.company from an own deal to rep1 rows stays bare', async () => {
    const res = await cast.rep2.get(`/classes/Deal/${probeDeal}`, { include: 'company,contact,contact.company' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.company).toEqual(pointer('Company', r1.company));
    expect(res.body.contact).toEqual(pointer('Contact', r1.contact));
    expect(res.text).not.toContain('rep1 Co');
    expect(res.text).not.toContain('rep1.contact@client.test');
  });

  it('include=relatedTo works when the caller can read the deal (manager)', async () => {
    const res = await cast.mgr.get(`/classes/Activity/${r1.activity}`, { include: 'relatedTo' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.relatedTo).toMatchObject({ __type: 'Object', className: 'Deal', objectId: r1.deal, title: 'rep1 Deal' });
  });

  it('include=assignedTo shows the owner username to the manager, never the email', async () => {
    const res = await cast.mgr.get(`/classes/Deal/${r1.deal}`, { include: 'assignedTo' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.assignedTo).toMatchObject({ __type: 'Object', className: '_User', objectId: cast.rep1.id, username: 'rep1' });
    for (const field of SECRET_USER_FIELDS) expect(res.body.assignedTo, field).not.toHaveProperty(field);
    expect(res.text).not.toContain('rep1@crm.test');
  });

  it('include=assignedTo with keys=assignedTo.email still hides the email', async () => {
    const res = await cast.mgr.find('Deal', {
      where: { objectId: r1.deal },
      include: 'assignedTo',
      keys: 'assignedTo.email,assignedTo.username',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results[0].assignedTo).not.toHaveProperty('email');
    expect(res.text).not.toContain('rep1@crm.test');
  });

  it("include=assignedTo by rep2 on an own deal assigned to rep1 hides rep1's email", async () => {
    const given = await cast.rep2.create('Deal', {
      title: 'given to rep1',
      ACL: { [cast.rep2.id!]: { read: true, write: true } },
    });
    expect(
      (
        await cast.rep2.put(`/classes/Deal/${given}`, {
          assignedTo: cast.rep1.pointer,
          ACL: { [cast.rep2.id!]: { read: true, write: true } },
        })
      ).status,
    ).toBe(200);
    const res = await cast.rep2.get(`/classes/Deal/${given}`, { include: 'assignedTo' });
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toContain('rep1@crm.test');
  });
});

describe('sub-queries answer only from readable rows', () => {
  // Private rows owned by rep1, which rep2's queries must not be able to detect.
  let secretCompany: string;
  let secretContact: string;
  let secretDeal: string;
  // rep2's own rows that reference them or collide with them by value
  let probeDeal: string;
  let shadowCompany: string;
  let probeActivity: string;

  const queries = () => ({
    inQuery: () =>
      cast.rep2.find('Deal', { where: { company: { $inQuery: { className: 'Company', where: { name: 'Secret Co' } } } } }),
    notInQuery: () =>
      cast.rep2.find('Deal', { where: { company: { $notInQuery: { className: 'Company', where: { name: 'Secret Co' } } } } }),
    select: () =>
      cast.rep2.find('Company', { where: { name: { $select: { query: { className: 'Contact', where: {} }, key: 'name' } } } }),
    dontSelect: () =>
      cast.rep2.find('Company', {
        where: { name: { $dontSelect: { query: { className: 'Contact', where: {} }, key: 'name' } } },
      }),
    inQueryCount: () =>
      cast.rep2.count('Deal', { company: { $inQuery: { className: 'Company', where: { name: { $regex: '^Secret' } } } } }),
    nested: () =>
      cast.rep2.find('Activity', {
        where: {
          relatedTo: {
            $inQuery: {
              className: 'Deal',
              where: { company: { $inQuery: { className: 'Company', where: { name: 'Secret Co' } } } },
            },
          },
        },
      }),
    polymorphic: () =>
      cast.rep2.find('Activity', { where: { relatedTo: { $inQuery: { className: 'Deal', where: { title: 'Secret Deal' } } } } }),
    inOr: () =>
      cast.rep2.find('Deal', {
        where: {
          $or: [
            { title: 'no such title' },
            { company: { $inQuery: { className: 'Company', where: { industry: 'Classified' } } } },
          ],
        },
      }),
  });

  type Snapshot = Record<string, unknown>;
  async function snapshot(): Promise<Snapshot> {
    const out: Snapshot = {};
    for (const [name, run] of Object.entries(queries())) {
      const res = await run();
      out[name] = res.status === 200 ? (res.body.count ?? idsOf(res)) : `${res.status} ${res.text}`;
    }
    return out;
  }

  let withPrivateRows: Snapshot;

  beforeAll(async () => {
    secretCompany = await cast.rep1.create('Company', { name: 'Secret Co', industry: 'Classified' });
    secretContact = await cast.rep1.create('Contact', { name: 'Shadow' });
    secretDeal = await cast.rep1.create('Deal', { title: 'Secret Deal', company: pointer('Company', secretCompany) });
    probeDeal = await cast.rep2.create('Deal', { title: 'probe', company: pointer('Company', secretCompany) });
    shadowCompany = await cast.rep2.create('Company', { name: 'Shadow' });
    probeActivity = await cast.rep2.create('Activity', { subject: 'probe activity', relatedTo: pointer('Deal', secretDeal) });
    withPrivateRows = await snapshot();
  });

  it('$inQuery into a private company finds nothing', () => {
    expect(withPrivateRows.inQuery).toEqual([]);
    expect(withPrivateRows.inQueryCount).toBe(0);
  });

  it('$notInQuery treats the private company as absent', () => {
    expect(withPrivateRows.notInQuery).toEqual(expect.arrayContaining([probeDeal]));
  });

  it('$select does not match a value held only by a private row', () => {
    expect(withPrivateRows.select).not.toContain(shadowCompany);
  });

  it('$dontSelect does not exclude on a value held only by a private row', () => {
    expect(withPrivateRows.dontSelect).toContain(shadowCompany);
  });

  it('nested $inQuery and $inQuery on the polymorphic relatedTo find nothing', () => {
    expect(withPrivateRows.nested).toEqual([]);
    expect(withPrivateRows.polymorphic).toEqual([]);
    expect(withPrivateRows.inOr).toEqual([]);
  });

  it('every answer is identical once the private rows are gone', async () => {
    for (const [className, id] of [
      ['Deal', secretDeal],
      ['Contact', secretContact],
      ['Company', secretCompany],
    ]) {
      expect((await cast.http.delete(`/classes/${className}/${id}`, { master: true })).status).toBe(200);
    }
    expect(await snapshot()).toEqual(withPrivateRows);
    expect(probeActivity).toBeTruthy();
  });

  it('sanity: the same sub-queries do match for the manager, who can read the rows', async () => {
    const company = await cast.rep1.create('Company', { name: 'Visible Co' });
    const deal = await cast.rep1.create('Deal', { title: 'visible', company: pointer('Company', company) });
    const res = await cast.mgr.find('Deal', {
      where: { company: { $inQuery: { className: 'Company', where: { name: 'Visible Co' } } } },
    });
    expect(idsOf(res)).toEqual([deal]);
  });
});

describe('keys / excludeKeys cannot pull out what is hidden', () => {
  it('keys=ACL on Deal: only own rows, each with its ACL', async () => {
    const res = await cast.rep2.find('Deal', { keys: 'ACL' });
    expect(res.status, res.text).toBe(200);
    for (const row of res.body.results) {
      expect(row.ACL?.[cast.rep2.id!]).toEqual({ read: true, write: true });
    }
    expect(idsOf(res)).not.toContain(r1.deal);
  });

  it('keys=ACL on a foreign get → 404/101', async () => {
    expect(outcome(await cast.rep2.get(`/classes/Deal/${r1.deal}`, { keys: 'ACL' }))).toEqual(parseError(404, 101));
  });

  it('keys=email (and other secret fields) on _User: others have none, self has own email', async () => {
    const res = await cast.rep2.find('_User', { keys: 'email,emailVerified,authData,password,sessionToken,username' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results.length).toBeGreaterThanOrEqual(4);
    for (const user of res.body.results) {
      for (const field of ['password', '_hashed_password', '_email_lower', 'sessionToken', 'authData'])
        expect(user, field).not.toHaveProperty(field);
      if (user.objectId === cast.rep2.id) expect(user.email).toBe('rep2@crm.test');
      else {
        expect(user, user.objectId).not.toHaveProperty('email');
        expect(user, user.objectId).not.toHaveProperty('emailVerified');
      }
    }
    for (const other of ['admin', 'rep1', 'mgr']) expect(res.text).not.toContain(`${other}@crm.test`);
  });

  it('excludeKeys games on _User (exclude username, exclude ACL, keys+excludeKeys) never surface emails', async () => {
    for (const query of [
      { excludeKeys: 'username' },
      { excludeKeys: 'ACL,username,createdAt' },
      { keys: 'email', excludeKeys: 'username' },
      { keys: 'email,username', excludeKeys: 'email' },
      { excludeKeys: 'email' },
    ]) {
      const res = await cast.rep2.find('_User', { where: { objectId: { $ne: cast.rep2.id } }, ...query });
      expect(res.status, JSON.stringify(query) + res.text).toBe(200);
      expect(res.body.results.length).toBeGreaterThan(0);
      expect(res.text, JSON.stringify(query)).not.toMatch(/@crm\.test/);
      expect(res.text).not.toMatch(/"(_hashed_password|password|_email_lower)"/);
    }
  });

  it('get of another user by id (/users/:id and /classes/_User/:id) shows username, never email', async () => {
    for (const path of [`/users/${cast.rep1.id}`, `/classes/_User/${cast.rep1.id}`]) {
      const res = await cast.rep2.get(path, { keys: 'email,username' });
      expect(res.status, res.text).toBe(200);
      expect(res.body.username).toBe('rep1');
      expect(res.body).not.toHaveProperty('email');
    }
  });

  it('the manager does not see emails either; the admin does', async () => {
    const mgr = await cast.mgr.find('_User', { where: { objectId: cast.rep1.id } });
    expect(mgr.body.results[0]).not.toHaveProperty('email');
    const admin = await cast.admin.find('_User', { where: { objectId: cast.rep1.id } });
    expect(admin.body.results[0].email).toBe('rep1@crm.test');
    expect(admin.body.results[0]).not.toHaveProperty('_hashed_password');
    expect(admin.body.results[0]).not.toHaveProperty('password');
  });

  // Parse has no single answer for internal names in `keys`; refusing (400) or leaving them out are both safe.
  const refusedOrAbsent = (res: { status: number; text: string }, fields: string[]) => {
    if (res.status === 400) return;
    expect(res.status, res.text).toBe(200);
    for (const field of fields) expect(res.text, field).not.toContain(`"${field}"`);
  };

  it('keys naming internal columns (_User, Deal, _Session) return no such data', async () => {
    refusedOrAbsent(await cast.rep2.find('_User', { keys: '_hashed_password,_email_lower,_username_lower' }), [
      '_hashed_password',
      '_email_lower',
      '_username_lower',
    ]);
    refusedOrAbsent(await cast.rep2.get(`/classes/Deal/${r2.deal}`, { keys: '_rperm,_wperm,_acl' }), [
      '_rperm',
      '_wperm',
      '_acl',
    ]);
    refusedOrAbsent(await cast.rep2.find('_Session', { keys: '_session_token_hash' }), ['_session_token_hash']);
    const sessions = await cast.rep2.find('_Session', { keys: 'sessionToken,user' });
    expect(sessions.status, sessions.text).toBe(200);
    for (const row of sessions.body.results) expect(row).not.toHaveProperty('sessionToken');
  });

  it('include=assignedTo with keys naming internal user columns returns none of them', async () => {
    const res = await cast.mgr.find('Deal', {
      where: { objectId: r1.deal },
      include: 'assignedTo',
      keys: 'assignedTo._hashed_password,assignedTo._email_lower',
    });
    refusedOrAbsent(res, ['_hashed_password', '_email_lower']);
    expect(res.text).not.toContain('rep1@crm.test');
  });
});
