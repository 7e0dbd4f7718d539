/**
 * `_User.email` (and `emailVerified`, `authData`) are protected from everyone but the user and admins. A query
 * that conditions or sorts on them would leak them one bit per request, so it must be refused (400/119) — never
 * silently filtered — whether direct, through $regex/$exists/dot paths/$or, or inside a sub-query on `_User`.
 * Internal columns (password hash, lower-cased copies, token digests) cannot be named at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, parseError, type RawResponse } from '../helpers/http.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, idsOf, seedRep, startCrmServer, type Actor, type Cast } from './helpers/cast.js';

let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  await seedRep(cast.rep1);
  await seedRep(cast.rep2);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

const refused = parseError(400, 119);

/** Direct conditions on _User's protected fields. Each pair: a guess that is true for rep1, one that is false. */
const directProbes: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['equality', { email: 'rep1@crm.test' }, { email: 'nobody@crm.test' }],
  ['$regex prefix (bit-by-bit guessing)', { email: { $regex: '^rep1@' } }, { email: { $regex: '^zzz' } }],
  ['$regex with $options', { email: { $regex: 'REP1', $options: 'i' } }, { email: { $regex: 'QQQ', $options: 'i' } }],
  ['$exists', { email: { $exists: true } }, { email: { $exists: false } }],
  ['$in', { email: { $in: ['rep1@crm.test'] } }, { email: { $in: ['x@y.zz'] } }],
  ['$ne', { email: { $ne: 'rep1@crm.test' } }, { email: { $ne: 'x@y.zz' } }],
  ['$gt (range bisection)', { email: { $gt: 'rep0' } }, { email: { $gt: 'zzzz' } }],
  ['dot notation', { 'email.length': { $exists: true } }, { 'email.x': 'y' }],
  ['$or', { $or: [{ username: 'nobody' }, { email: 'rep1@crm.test' }] }, { $or: [{ username: 'nobody' }, { email: 'x@y.zz' }] }],
  [
    '$and',
    { $and: [{ username: 'rep1' }, { email: { $regex: '^r' } }] },
    { $and: [{ username: 'rep1' }, { email: { $regex: '^q' } }] },
  ],
  ['$nor', { $nor: [{ email: 'rep1@crm.test' }] }, { $nor: [{ email: 'x@y.zz' }] }],
  ['emailVerified', { emailVerified: true }, { emailVerified: false }],
  ['authData', { 'authData.anonymous.id': { $exists: true } }, { authData: { $exists: true } }],
];

function expectRefusedAlike(a: RawResponse, b: RawResponse, label: string) {
  expect(outcome(a), `${label} (true guess)`).toEqual(refused);
  expect(outcome(b), `${label} (false guess)`).toEqual(refused);
}

describe('where on protected _User fields → 119, never a filter', () => {
  for (const who of ['rep2', 'mgr'] as const) {
    for (const [label, truthy, falsy] of directProbes) {
      it(`${who}: ${label} (find)`, async () => {
        const actor: Actor = cast[who];
        expectRefusedAlike(await actor.find('_User', { where: truthy }), await actor.find('_User', { where: falsy }), label);
      });
    }
  }

  it('count with a where on email → 119', async () => {
    expectRefusedAlike(
      await cast.rep2.count('_User', { email: { $regex: '^rep1' } }),
      await cast.rep2.count('_User', { email: { $regex: '^zzz' } }),
      'count',
    );
  });

  it('the /users alias refuses the same way', async () => {
    expectRefusedAlike(
      await cast.rep2.get('/users', { where: { email: { $regex: '^rep1' } } }),
      await cast.rep2.get('/users', { where: { email: { $regex: '^zzz' } } }),
      '/users',
    );
  });

  it('a where on email inside a batch GET item → item error 119', async () => {
    const res = await cast.rep2.batch([
      { method: 'GET', path: '/parse/classes/_User', body: { where: { email: { $regex: '^rep1' } } } },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body[0].error?.code).toBe(119);
  });

  it('the admin may filter on email (positive)', async () => {
    const res = await cast.admin.find('_User', { where: { email: 'rep1@crm.test' } });
    expect(idsOf(res)).toEqual([cast.rep1.id]);
  });
});

describe('order on protected fields → 119', () => {
  for (const order of ['email', '-email', 'username,email', '-emailVerified', 'authData']) {
    it(`order=${order}`, async () => {
      expect(outcome(await cast.rep2.find('_User', { order }))).toEqual(refused);
    });
  }
});

describe('sub-queries on _User that touch protected fields → 119', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      '$inQuery with email equality',
      'Deal',
      { assignedTo: { $inQuery: { className: '_User', where: { email: 'rep1@crm.test' } } } },
    ],
    [
      '$inQuery with email $regex',
      'Deal',
      { assignedTo: { $inQuery: { className: '_User', where: { email: { $regex: '^rep1' } } } } },
    ],
    [
      '$notInQuery with email $exists',
      'Deal',
      { assignedTo: { $notInQuery: { className: '_User', where: { email: { $exists: true } } } } },
    ],
    ['$select key=email', 'Contact', { email: { $select: { query: { className: '_User', where: {} }, key: 'email' } } }],
    ['$dontSelect key=email', 'Contact', { email: { $dontSelect: { query: { className: '_User', where: {} }, key: 'email' } } }],
    [
      '$select where on email',
      'Deal',
      { title: { $select: { query: { className: '_User', where: { email: { $regex: '^r' } } }, key: 'username' } } },
    ],
    [
      'nested: Activity → Deal → _User.email',
      'Activity',
      {
        relatedTo: {
          $inQuery: {
            className: 'Deal',
            where: { assignedTo: { $inQuery: { className: '_User', where: { email: { $regex: '^rep' } } } } },
          },
        },
      },
    ],
    [
      'inside $or',
      'Deal',
      { $or: [{ title: 'x' }, { assignedTo: { $inQuery: { className: '_User', where: { email: { $regex: '^rep' } } } } }] },
    ],
  ];
  for (const [label, className, where] of cases) {
    it(label, async () => {
      expect(outcome(await cast.rep2.find(className, { where }))).toEqual(refused);
    });
  }

  it('$select with key=email against a value the caller knows does not become an oracle either', async () => {
    await cast.rep2.create('Contact', { name: 'decoy', email: 'rep1@crm.test' });
    const res = await cast.rep2.find('Contact', {
      where: { email: { $select: { query: { className: '_User', where: { username: 'rep1' } }, key: 'email' } } },
    });
    expect(outcome(res)).toEqual(refused);
  });
});

describe('internal columns cannot be queried, sorted or selected', () => {
  // Parse rejects non-master conditions on _hashed_password and names starting with "_" as invalid keys (105).
  const internal: [string, string, Record<string, unknown>][] = [
    ['_User._hashed_password $regex', '_User', { _hashed_password: { $regex: '^\\$2' } }],
    ['_User._hashed_password $exists', '_User', { _hashed_password: { $exists: true } }],
    ['_User._email_lower', '_User', { _email_lower: { $regex: '^rep1' } }],
    ['_User._username_lower', '_User', { _username_lower: 'rep1' }],
    ['_Session._session_token_hash', '_Session', { _session_token_hash: { $regex: '^a' } }],
    ['Deal._rperm', 'Deal', { _rperm: { $in: ['*'] } }],
    ['Deal._wperm', 'Deal', { _wperm: { $exists: true } }],
    ['Deal._acl', 'Deal', { _acl: { $regex: 'role' } }],
  ];
  for (const [label, className, where] of internal) {
    it(`${label} → 400/105`, async () => {
      expect(outcome(await cast.rep2.find(className, { where }))).toEqual(parseError(400, 105));
    });
  }

  for (const order of ['_hashed_password', '-_email_lower']) {
    it(`order=${order} on _User → refused (400)`, async () => {
      const res = await cast.rep2.find('_User', { order });
      expect(res.status, res.text).toBe(400);
    });
  }

  it('password is never a queryable field', async () => {
    const res = await cast.rep2.find('_User', { where: { password: 'Correct-Horse-9' } });
    // Parse: a condition on a field no row has simply matches nothing; it must not match rep1's password
    if (res.status === 200) expect(res.body.results).toEqual([]);
    else expect(res.status).toBe(400);
  });
});

describe('aggregate / distinct are master-only (else they would sidestep field protection)', () => {
  it('distinct email as rep2 → 403', async () => {
    const res = await cast.rep2.get('/aggregate/_User', { distinct: 'email' });
    expect(res.status, res.text).toBe(403);
    expect(res.text).not.toContain('@crm.test');
  });

  it('aggregate on Deal as rep2 → 403', async () => {
    const res = await cast.rep2.get('/aggregate/Deal', {
      pipeline: [{ $group: { _id: '$assignedTo', total: { $sum: '$amount' } } }],
    });
    expect(res.status, res.text).toBe(403);
  });
});
