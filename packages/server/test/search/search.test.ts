/**
 * The `search` cloud function through the real SDK (`Parse.Cloud.run`) under the CRM policy: ranking, prefix
 * and accent-insensitive matching, the same row isolation as REST (a rep never finds another rep's deal; the
 * manager finds both), deletes and updates reflected at once, protected fields neither matched nor shown,
 * and hostile query text answered with 102 or an empty list — never a 500. Runs on SQLite and, with
 * CRM_TEST_STORAGE=postgres, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, PASSWORD, pointer, startCrmServer, type Cast } from '../security/helpers/cast.js';

interface Hit {
  className: string;
  objectId: string;
  title: string;
  subtitle?: string;
  score: number;
  object: Parse.Object;
}

let server: TestServer;
let cast: Cast;
let rep1Token: string;
let rep2Token: string;
let mgrToken: string;

const ids: Record<string, string> = {};

function search(token: string, params: Record<string, unknown>): Promise<Hit[]> {
  return Parse.Cloud.run('search', params, { sessionToken: token }) as Promise<Hit[]>;
}

const titles = (hits: Hit[]) => hits.map((h) => h.title);
const idsOf = (hits: Hit[]) => hits.map((h) => h.objectId);

async function codeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    return (error as Parse.Error).code;
  }
  throw new Error('expected the call to be rejected');
}

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  initParse(server);
  rep1Token = (await Parse.User.logIn('rep1', PASSWORD)).getSessionToken()!;
  rep2Token = (await Parse.User.logIn('rep2', PASSWORD)).getSessionToken()!;
  mgrToken = (await Parse.User.logIn('mgr', PASSWORD)).getSessionToken()!;

  ids.acme = await cast.rep1.create('Company', { name: 'Acme Corporation', website: 'https://acme.example', industry: 'Anvils' });
  ids.jose = await cast.rep1.create('Contact', {
    name: 'José Núñez',
    email: 'jose.nunez@acme.example',
    phone: '+1 555-0100',
    company: pointer('Company', ids.acme),
  });
  ids.orionDeal = await cast.rep1.create('Deal', { title: 'Orion', amount: 5000, stage: 'lead', notes: 'first order' });
  ids.mentionDeal = await cast.rep1.create('Deal', {
    title: 'Anvil restock',
    amount: 100,
    stage: 'qualified',
    notes: 'customer compared us with Orion last year',
  });
  ids.secretDeal = await cast.rep2.create('Deal', { title: 'Zephyr secret expansion', amount: 90000, stage: 'proposal' });
  ids.rep2Orion = await cast.rep2.create('Deal', { title: 'Orion for rep2', amount: 1, stage: 'lead' });
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

describe('search: matching and ranking', () => {
  it('answers hits with title, subtitle, score and a decoded Parse.Object', async () => {
    const [hit] = await search(rep1Token, { q: 'acme corporation', classes: ['Company'] });
    expect(hit).toMatchObject({ className: 'Company', objectId: ids.acme, title: 'Acme Corporation', subtitle: 'Anvils' });
    expect(hit.score).toBeGreaterThan(0);
    expect(hit.object).toBeInstanceOf(Parse.Object);
    expect(hit.object.className).toBe('Company');
    expect(hit.object.id).toBe(ids.acme);
    expect(hit.object.get('website')).toBe('https://acme.example');
  });

  it('ranks an exact name match above a mention in notes', async () => {
    const hits = await search(rep1Token, { q: 'orion' });
    expect(idsOf(hits)).toEqual([ids.orionDeal, ids.mentionDeal]);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
  });

  it('matches word prefixes: "acm" finds Acme, in names and in e-mail addresses', async () => {
    const hits = await search(rep1Token, { q: 'acm' });
    expect(idsOf(hits)).toContain(ids.acme);
    expect(idsOf(hits)).toContain(ids.jose); // jose.nunez@acme.example
    expect(hits[0].objectId).toBe(ids.acme);
  });

  it('needs every word: "acme anvils" finds the company, "acme zzz" nothing', async () => {
    expect(idsOf(await search(rep1Token, { q: 'acme anvils' }))).toEqual([ids.acme]);
    expect(await search(rep1Token, { q: 'acme zzz' })).toEqual([]);
  });

  it('ignores case and Latin diacritics both ways', async () => {
    for (const q of ['jose nunez', 'JOSÉ NÚÑEZ', 'José', 'nun']) {
      expect(idsOf(await search(rep1Token, { q })), q).toEqual([ids.jose]);
    }
  });

  it('finds contacts by phone number digits', async () => {
    expect(idsOf(await search(rep1Token, { q: '555-0100' }))).toEqual([ids.jose]);
    expect(idsOf(await search(rep1Token, { q: '0100' }))).toEqual([ids.jose]);
  });

  it('classes narrows the search; limit caps it', async () => {
    expect(await search(rep1Token, { q: 'orion', classes: ['Contact', 'Company'] })).toEqual([]);
    expect(idsOf(await search(rep1Token, { q: 'orion', limit: 1 }))).toEqual([ids.orionDeal]);
    expect(await search(rep1Token, { q: 'orion', limit: 1000 })).toHaveLength(2);
  });
});

describe('search: read permissions are those of REST', () => {
  it("a rep never finds another rep's deal, not even by its exact title", async () => {
    expect(await search(rep1Token, { q: 'zephyr secret expansion' })).toEqual([]);
    expect(await search(rep1Token, { q: 'zeph', classes: ['Deal'] })).toEqual([]);
    expect(idsOf(await search(rep1Token, { q: 'orion' }))).not.toContain(ids.rep2Orion);
  });

  it("hidden rows take no place in the limit: rep1's only hit still comes first", async () => {
    expect(idsOf(await search(rep1Token, { q: 'orion', limit: 1, classes: ['Deal'] }))).toEqual([ids.orionDeal]);
  });

  it('the owner finds it; the manager finds every rep’s deals', async () => {
    expect(idsOf(await search(rep2Token, { q: 'zephyr' }))).toEqual([ids.secretDeal]);
    expect(idsOf(await search(mgrToken, { q: 'zephyr' }))).toEqual([ids.secretDeal]);
    expect(idsOf(await search(mgrToken, { q: 'orion' })).sort()).toEqual([ids.orionDeal, ids.mentionDeal, ids.rep2Orion].sort());
  });

  it('an anonymous caller finds nothing (the CRM classes need a signed-in user)', async () => {
    expect(await Parse.Cloud.run('search', { q: 'orion' })).toEqual([]);
  });

  it('the master key finds everything', async () => {
    const hits = (await Parse.Cloud.run('search', { q: 'orion' }, { useMasterKey: true })) as Hit[];
    expect(hits).toHaveLength(3);
  });

  it('a field the caller may not see is neither matched nor returned', async () => {
    const res = await cast.http.put(
      '/schemas/Contact',
      { classLevelPermissions: { ...(await contactClp()), protectedFields: { '*': ['phone'] } } },
      { master: true },
    );
    expect(res.status, res.text).toBe(200);
    try {
      expect(await search(rep1Token, { q: '0100' })).toEqual([]);
      const [hit] = await search(rep1Token, { q: 'jose' });
      expect(hit.object.get('phone')).toBeUndefined();
      expect(hit.object.get('email')).toBe('jose.nunez@acme.example');
      // the master key sees (and matches) every field
      const master = (await Parse.Cloud.run('search', { q: '0100' }, { useMasterKey: true })) as Hit[];
      expect(idsOf(master)).toEqual([ids.jose]);
    } finally {
      await cast.http.put(
        '/schemas/Contact',
        { classLevelPermissions: { ...(await contactClp()), protectedFields: {} } },
        { master: true },
      );
    }
  });
});

async function contactClp(): Promise<Record<string, unknown>> {
  const res = await cast.http.get('/schemas/Contact', { master: true });
  return res.body.classLevelPermissions as Record<string, unknown>;
}

describe('search: the index follows writes', () => {
  it('an update re-indexes at once: the old title is gone, the new one found', async () => {
    const id = await cast.rep1.create('Deal', { title: 'Quasar pilot', amount: 10, stage: 'lead' });
    expect(idsOf(await search(rep1Token, { q: 'quasar' }))).toEqual([id]);
    const deal = new Parse.Object('Deal', { objectId: id } as Parse.Attributes);
    deal.set('title', 'Pulsar pilot');
    await deal.save(null, { sessionToken: rep1Token });
    expect(await search(rep1Token, { q: 'quasar' })).toEqual([]);
    expect(titles(await search(rep1Token, { q: 'pulsar' }))).toEqual(['Pulsar pilot']);
    // a write that leaves the indexed fields alone keeps the row findable
    deal.set('amount', 20);
    await deal.save(null, { sessionToken: rep1Token });
    expect(idsOf(await search(rep1Token, { q: 'pulsar' }))).toEqual([id]);
  });

  it('a deleted object disappears', async () => {
    const id = await cast.rep1.create('Contact', { name: 'Ephemeral Person' });
    expect(idsOf(await search(rep1Token, { q: 'ephemeral' }))).toEqual([id]);
    await new Parse.Object('Contact', { objectId: id } as Parse.Attributes).destroy({ sessionToken: rep1Token });
    expect(await search(rep1Token, { q: 'ephemeral' })).toEqual([]);
  });

  it('reassigning a deal moves it between reps’ results', async () => {
    const id = await cast.rep1.create('Deal', { title: 'Handover Nebula', amount: 1, stage: 'lead' });
    const res = await cast.http.put(`/classes/Deal/${id}`, { assignedTo: cast.rep2.pointer }, { master: true });
    expect(res.status, res.text).toBe(200);
    expect(await search(rep1Token, { q: 'nebula' })).toEqual([]);
    expect(idsOf(await search(rep2Token, { q: 'nebula' }))).toEqual([id]);
  });

  it('objects created in a transactional batch are found; a failed batch leaves nothing', async () => {
    const ok = await cast.rep1.post('/batch', {
      transaction: true,
      requests: [{ method: 'POST', path: '/parse/classes/Contact', body: { name: 'Batchy McBatch' } }],
    });
    expect(ok.status, ok.text).toBe(200);
    expect(titles(await search(rep1Token, { q: 'batchy' }))).toEqual(['Batchy McBatch']);
    const failed = await cast.rep1.post('/batch', {
      transaction: true,
      requests: [
        { method: 'POST', path: '/parse/classes/Contact', body: { name: 'Rollback Rolly' } },
        { method: 'POST', path: '/parse/classes/Contact', body: { name: 42 } },
      ],
    });
    expect(failed.status).toBe(400);
    expect(await search(rep1Token, { q: 'rolly' })).toEqual([]);
  });
});

describe('search: bad and hostile input', () => {
  it('a missing, empty, blank, non-string or over-long q is 102', async () => {
    for (const params of [{}, { q: '' }, { q: '   \t ' }, { q: 42 }, { q: ['a'] }, { q: 'x'.repeat(10_000) }]) {
      expect(await codeOf(search(rep1Token, params)), JSON.stringify(params).slice(0, 40)).toBe(102);
    }
  });

  it('bad classes or limit, or an unknown parameter, is 102', async () => {
    for (const params of [
      { q: 'a', classes: ['_User'] },
      { q: 'a', classes: [] },
      { q: 'a', classes: 'Deal; DROP TABLE "Deal"' },
      { q: 'a', limit: 0 },
      { q: 'a', limit: -5 },
      { q: 'a', limit: 2.5 },
      { q: 'a', limit: 'many' },
      { q: 'a', where: { title: 'x' } },
    ]) {
      expect(await codeOf(search(rep1Token, params)), JSON.stringify(params)).toBe(102);
    }
  });

  it('FTS and tsquery syntax is plain text: no error, only literal matches', async () => {
    for (const q of [
      '"',
      '*',
      'NEAR(',
      'OR',
      'AND',
      'NOT',
      '-',
      '^',
      ':',
      '{name}:x',
      "'",
      "o'brien",
      '&',
      '|',
      '!',
      '(',
      ')',
      ':*',
      '""*',
      'title:orion',
      'orion OR zephyr',
      'orion NOT lead',
      'NEAR(orion zephyr, 2)',
      '\\',
      '%',
      '_',
      ';--',
    ]) {
      const hits = await search(rep1Token, { q });
      expect(Array.isArray(hits), q).toBe(true);
      expect(idsOf(hits), q).not.toContain(ids.secretDeal);
    }
    // "orion OR zephyr" means all three words, so it finds nothing
    expect(await search(rep1Token, { q: 'orion OR zephyr' })).toEqual([]);
  });

  it('unicode of every kind is accepted', async () => {
    for (const q of [
      '名前',
      '🙂',
      'Ωμέγα',
      'e\u0301',
      '\u0000',
      'a\uFEFFb',
      'ﬀ',
      'İstanbul',
      'a'.repeat(200),
      '😀'.repeat(50),
      'x y z w v u t s r q p o n',
    ]) {
      expect(Array.isArray(await search(rep1Token, { q })), JSON.stringify(q)).toBe(true);
    }
  });

  it('raw HTTP: a hostile body answers 400/102, not 500', async () => {
    const res = await cast.rep1.post('/functions/search', { q: 'x'.repeat(10_000) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(102);
  });
});
