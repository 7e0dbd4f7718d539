/**
 * The data API as the official `parse` SDK drives it: every where operator the SDK can emit, sorting, paging,
 * projections, include, count/first/get/distinct/aggregate, batch saves and deletes, field operations, relations.
 * Expectations were measured against parse-server 9.10 on PostgreSQL (CRM_TEST_TARGET=reference).
 *
 * The query fixtures are created first and the query tests run before anything else writes to the same classes,
 * so result sets can be compared exactly; later blocks use their own objects and leave the fixtures alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { rawClient } from '../helpers/http.js';
import { DATA_API_ONLY, isReference, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  initParse(server);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

const date = (iso: string): Date => new Date(iso);
const titlesOf = (objects: Parse.Object[]): string[] => objects.map((o) => o.get('title') as string);
const sortedTitles = async (query: Parse.Query): Promise<string[]> => titlesOf(await query.find()).sort();
const dealQuery = (): Parse.Query => new Parse.Query('Deal');

async function saveNew(className: string, attrs: Record<string, unknown>): Promise<Parse.Object> {
  const object = new Parse.Object(className);
  object.set(attrs);
  return object.save();
}

/** Declares extra fields through the schema API (master key), for the array and relation cases. */
async function addFields(className: string, fields: Record<string, unknown>): Promise<void> {
  const response = await rawClient(server).put(`/schemas/${className}`, { fields }, { master: true });
  expect(response.status, response.text).toBe(200);
}

describe('queries', () => {
  const companies: Record<string, Parse.Object> = {};
  const contacts: Record<string, Parse.Object> = {};
  const ALL = ['Alpha deal', 'Beta deal', 'Delta (special)', 'Gamma deal', 'Zeta', 'epsilon deal'];

  beforeAll(async () => {
    for (const [name, industry] of [
      ['Acme', 'Manufacturing'],
      ['Globex', 'Energy'],
      ['Initech', 'Software'],
    ]) {
      companies[name] = await saveNew('Company', { name, industry });
    }
    contacts.Ann = await saveNew('Contact', { name: 'Ann', email: 'ann@acme.test', company: companies.Acme });
    contacts.Bob = await saveNew('Contact', { name: 'Bob', email: 'bob@globex.test', company: companies.Globex });
    contacts.Cid = await saveNew('Contact', { name: 'Cid' });
    contacts.Dee = await saveNew('Contact', { name: 'Dee', company: companies.Initech });
    const deal = (title: string, attrs: Record<string, unknown>) => saveNew('Deal', { title, ...attrs });
    await deal('Alpha deal', {
      amount: 1000,
      stage: 'lead',
      contact: contacts.Ann,
      company: companies.Acme,
      expectedCloseDate: date('2026-03-01T00:00:00.000Z'),
      notes: 'first contact at the fair',
    });
    await deal('Beta deal', {
      amount: 2500,
      stage: 'qualified',
      contact: contacts.Bob,
      company: companies.Globex,
      expectedCloseDate: date('2026-02-01T00:00:00.000Z'),
    });
    await deal('Gamma deal', {
      amount: 500,
      stage: 'qualified',
      contact: contacts.Ann,
      company: companies.Acme,
      expectedCloseDate: date('2026-04-15T00:00:00.000Z'),
    });
    await deal('Delta (special)', {
      amount: 7500,
      stage: 'proposal',
      contact: contacts.Dee,
      company: companies.Initech,
      expectedCloseDate: date('2026-01-10T12:30:00.000Z'),
    });
    await deal('epsilon deal', { amount: 2500, stage: 'won' });
    await deal('Zeta', { stage: 'lost' });
    await saveNew('Activity', { type: 'call', subject: 'Beta deal' });
    await saveNew('Activity', { type: 'email', subject: 'Gamma deal' });
    await saveNew('Activity', { type: 'call', subject: 'Zeta' });
  }, START_TIMEOUT_MS);

  it('finds everything without constraints', async () => {
    expect(await sortedTitles(dealQuery())).toEqual(ALL);
  });

  it('equalTo / notEqualTo (notEqualTo also matches objects missing the field)', async () => {
    expect(await sortedTitles(dealQuery().equalTo('stage', 'qualified'))).toEqual(['Beta deal', 'Gamma deal']);
    expect(await sortedTitles(dealQuery().equalTo('amount', 2500))).toEqual(['Beta deal', 'epsilon deal']);
    expect(await sortedTitles(dealQuery().notEqualTo('stage', 'qualified'))).toEqual([
      'Alpha deal',
      'Delta (special)',
      'Zeta',
      'epsilon deal',
    ]);
    expect(await sortedTitles(dealQuery().notEqualTo('amount', 2500))).toEqual([
      'Alpha deal',
      'Delta (special)',
      'Gamma deal',
      'Zeta',
    ]);
  });

  it('lessThan / lessThanOrEqualTo / greaterThan / greaterThanOrEqualTo', async () => {
    expect(await sortedTitles(dealQuery().lessThan('amount', 2500))).toEqual(['Alpha deal', 'Gamma deal']);
    expect(await sortedTitles(dealQuery().lessThanOrEqualTo('amount', 2500))).toEqual([
      'Alpha deal',
      'Beta deal',
      'Gamma deal',
      'epsilon deal',
    ]);
    expect(await sortedTitles(dealQuery().greaterThan('amount', 2500))).toEqual(['Delta (special)']);
    expect(await sortedTitles(dealQuery().greaterThanOrEqualTo('amount', 2500))).toEqual([
      'Beta deal',
      'Delta (special)',
      'epsilon deal',
    ]);
    expect(await sortedTitles(dealQuery().greaterThan('amount', 600).lessThan('amount', 7500))).toEqual([
      'Alpha deal',
      'Beta deal',
      'epsilon deal',
    ]);
  });

  it('comparisons on Dates, and Date equality', async () => {
    expect(await sortedTitles(dealQuery().lessThan('expectedCloseDate', date('2026-03-01T00:00:00.000Z')))).toEqual([
      'Beta deal',
      'Delta (special)',
    ]);
    expect(await sortedTitles(dealQuery().greaterThanOrEqualTo('expectedCloseDate', date('2026-03-01T00:00:00.000Z')))).toEqual([
      'Alpha deal',
      'Gamma deal',
    ]);
    expect(await sortedTitles(dealQuery().equalTo('expectedCloseDate', date('2026-01-10T12:30:00.000Z')))).toEqual([
      'Delta (special)',
    ]);
    const found = await dealQuery().equalTo('title', 'Delta (special)').first();
    expect(found?.get('expectedCloseDate')).toEqual(date('2026-01-10T12:30:00.000Z'));
  });

  it('comparisons on createdAt', async () => {
    const alpha = await dealQuery().equalTo('title', 'Alpha deal').first();
    expect(alpha?.createdAt).toBeInstanceOf(Date);
    expect(await sortedTitles(dealQuery().lessThanOrEqualTo('createdAt', alpha!.createdAt!))).toEqual(['Alpha deal']);
    expect(await sortedTitles(dealQuery().greaterThan('createdAt', alpha!.createdAt!))).toEqual(
      ALL.filter((t) => t !== 'Alpha deal'),
    );
  });

  it('pointer equality with an object and with a pointer', async () => {
    expect(await sortedTitles(dealQuery().equalTo('contact', contacts.Ann))).toEqual(['Alpha deal', 'Gamma deal']);
    expect(await sortedTitles(dealQuery().equalTo('company', companies.Globex.toPointer()))).toEqual(['Beta deal']);
    expect(await sortedTitles(dealQuery().notEqualTo('contact', contacts.Ann))).toEqual([
      'Beta deal',
      'Delta (special)',
      'Zeta',
      'epsilon deal',
    ]);
    expect(await sortedTitles(dealQuery().containedIn('company', [companies.Globex, companies.Initech]))).toEqual([
      'Beta deal',
      'Delta (special)',
    ]);
  });

  it('containedIn / notContainedIn', async () => {
    expect(await sortedTitles(dealQuery().containedIn('stage', ['lead', 'won', 'nope']))).toEqual(['Alpha deal', 'epsilon deal']);
    expect(await sortedTitles(dealQuery().containedIn('stage', []))).toEqual([]);
    expect(await sortedTitles(dealQuery().notContainedIn('stage', ['lead', 'qualified']))).toEqual([
      'Delta (special)',
      'Zeta',
      'epsilon deal',
    ]);
    expect(await sortedTitles(dealQuery().containedIn('objectId', []))).toEqual([]);
  });

  it('exists / doesNotExist', async () => {
    expect(await sortedTitles(dealQuery().exists('contact'))).toEqual([
      'Alpha deal',
      'Beta deal',
      'Delta (special)',
      'Gamma deal',
    ]);
    expect(await sortedTitles(dealQuery().doesNotExist('amount'))).toEqual(['Zeta']);
    expect(await sortedTitles(dealQuery().exists('notes'))).toEqual(['Alpha deal']);
    expect(await sortedTitles(dealQuery().doesNotExist('expectedCloseDate'))).toEqual(['Zeta', 'epsilon deal']);
  });

  it('startsWith / endsWith / contains treat the text literally', async () => {
    expect(await sortedTitles(dealQuery().startsWith('title', 'Alpha'))).toEqual(['Alpha deal']);
    expect(await sortedTitles(dealQuery().startsWith('title', 'alpha'))).toEqual([]);
    expect(await sortedTitles(dealQuery().endsWith('title', 'deal'))).toEqual([
      'Alpha deal',
      'Beta deal',
      'Gamma deal',
      'epsilon deal',
    ]);
    expect(await sortedTitles(dealQuery().contains('title', '(special)'))).toEqual(['Delta (special)']);
    expect(await sortedTitles(dealQuery().contains('title', 'a d'))).toEqual(['Alpha deal', 'Beta deal', 'Gamma deal']);
    expect(await sortedTitles(dealQuery().contains('title', '.*'))).toEqual([]);
  });

  // The m and s modifiers are left out: Postgres ignores m and always lets . match a newline, unlike Mongo.
  it('matches: regular expressions and the i and x modifiers', async () => {
    expect(await sortedTitles(dealQuery().matches('title', '^[A-G].* deal$'))).toEqual(['Alpha deal', 'Beta deal', 'Gamma deal']);
    expect(await sortedTitles(dealQuery().matches('title', /^E/))).toEqual([]);
    expect(await sortedTitles(dealQuery().matches('title', /^E/i))).toEqual(['epsilon deal']);
    expect(await sortedTitles(dealQuery().matches('title', '^e', 'i'))).toEqual(['epsilon deal']);
    expect(await sortedTitles(dealQuery().matches('title', 'ZETA|delta', 'i'))).toEqual(['Delta (special)', 'Zeta']);
    expect(await sortedTitles(dealQuery().matches('notes', 'FAIR$', 'i'))).toEqual(['Alpha deal']);
    expect(await sortedTitles(dealQuery().matches('title', '^Al pha', 'x'))).toEqual(['Alpha deal']);
    expect(await sortedTitles(dealQuery().matches('title', '^Al pha'))).toEqual([]);
    expect(await sortedTitles(dealQuery().matches('title', '^al pha', 'ix'))).toEqual(['Alpha deal']);
  });

  it('matchesQuery / doesNotMatchQuery on pointers', async () => {
    const acmeContacts = new Parse.Query('Contact').equalTo('company', companies.Acme);
    expect(await sortedTitles(dealQuery().matchesQuery('contact', acmeContacts))).toEqual(['Alpha deal', 'Gamma deal']);
    const bigCompanies = new Parse.Query('Company').containedIn('industry', ['Energy', 'Software']);
    expect(await sortedTitles(dealQuery().matchesQuery('company', bigCompanies))).toEqual(['Beta deal', 'Delta (special)']);
    expect(await sortedTitles(dealQuery().exists('contact').doesNotMatchQuery('contact', acmeContacts))).toEqual([
      'Beta deal',
      'Delta (special)',
    ]);
  });

  it('matchesKeyInQuery / doesNotMatchKeyInQuery', async () => {
    const calls = new Parse.Query('Activity').equalTo('type', 'call');
    expect(await sortedTitles(dealQuery().matchesKeyInQuery('title', 'subject', calls))).toEqual(['Beta deal', 'Zeta']);
    expect(await sortedTitles(dealQuery().doesNotMatchKeyInQuery('title', 'subject', calls))).toEqual([
      'Alpha deal',
      'Delta (special)',
      'Gamma deal',
      'epsilon deal',
    ]);
  });

  it('Parse.Query.or / and / nor', async () => {
    const cheap = dealQuery().lessThan('amount', 1000);
    const won = dealQuery().equalTo('stage', 'won');
    const qualified = dealQuery().equalTo('stage', 'qualified');
    expect(await sortedTitles(Parse.Query.or(cheap, won))).toEqual(['Gamma deal', 'epsilon deal']);
    expect(await sortedTitles(Parse.Query.and(qualified, dealQuery().greaterThan('amount', 1000)))).toEqual(['Beta deal']);
    expect(await sortedTitles(Parse.Query.nor(qualified, won))).toEqual(['Alpha deal', 'Delta (special)', 'Zeta']);
    const combined = Parse.Query.or(cheap, won).greaterThan('amount', 1000);
    expect(await sortedTitles(combined)).toEqual(['epsilon deal']);
  });

  it('ascending / descending on several keys', async () => {
    const withAmount = () => dealQuery().exists('amount');
    expect(titlesOf(await withAmount().ascending('amount').addAscending('title').find())).toEqual([
      'Gamma deal',
      'Alpha deal',
      'Beta deal',
      'epsilon deal',
      'Delta (special)',
    ]);
    expect(titlesOf(await withAmount().descending('amount').addAscending('title').find())).toEqual([
      'Delta (special)',
      'Beta deal',
      'epsilon deal',
      'Alpha deal',
      'Gamma deal',
    ]);
    expect(titlesOf(await withAmount().ascending('amount').addDescending('title').find())).toEqual([
      'Gamma deal',
      'Alpha deal',
      'epsilon deal',
      'Beta deal',
      'Delta (special)',
    ]);
    expect(titlesOf(await dealQuery().exists('expectedCloseDate').ascending('expectedCloseDate').find())).toEqual([
      'Delta (special)',
      'Beta deal',
      'Alpha deal',
      'Gamma deal',
    ]);
    expect(titlesOf(await dealQuery().descending('createdAt').find())).toEqual([
      'Zeta',
      'epsilon deal',
      'Delta (special)',
      'Gamma deal',
      'Beta deal',
      'Alpha deal',
    ]);
  });

  it('limit / skip', async () => {
    const ordered = () => dealQuery().ascending('title');
    expect(titlesOf(await ordered().limit(2).find())).toEqual(['Alpha deal', 'Beta deal']);
    expect(titlesOf(await ordered().skip(2).limit(2).find())).toEqual(['Delta (special)', 'Gamma deal']);
    expect(titlesOf(await ordered().skip(5).find())).toEqual(['epsilon deal']);
    expect(titlesOf(await ordered().skip(10).find())).toEqual([]);
    expect(titlesOf(await ordered().limit(0).find())).toEqual([]);
  });

  it('select returns only the named keys plus the built-in ones', async () => {
    const alpha = await dealQuery().equalTo('title', 'Alpha deal').select('title', 'stage').first();
    expect(alpha).toBeDefined();
    expect(alpha!.get('title')).toBe('Alpha deal');
    expect(alpha!.get('stage')).toBe('lead');
    expect(alpha!.has('amount')).toBe(false);
    expect(alpha!.has('contact')).toBe(false);
    expect(alpha!.id).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(alpha!.createdAt).toBeInstanceOf(Date);
    expect(alpha!.updatedAt).toBeInstanceOf(Date);
  });

  it('exclude drops the named keys', async () => {
    const alpha = await dealQuery().equalTo('title', 'Alpha deal').exclude('amount', 'notes').first();
    expect(alpha!.get('title')).toBe('Alpha deal');
    expect(alpha!.get('stage')).toBe('lead');
    expect(alpha!.has('amount')).toBe(false);
    expect(alpha!.has('notes')).toBe(false);
    expect(alpha!.get('contact')).toBeInstanceOf(Parse.Object);
  });

  it('include resolves nested pointers (contact.company)', async () => {
    const alpha = await dealQuery().equalTo('title', 'Alpha deal').include('contact.company').first();
    const contact = alpha!.get('contact') as Parse.Object;
    expect(contact.id).toBe(contacts.Ann.id);
    expect(contact.get('name')).toBe('Ann');
    expect(contact.get('email')).toBe('ann@acme.test');
    const company = contact.get('company') as Parse.Object;
    expect(company.id).toBe(companies.Acme.id);
    expect(company.get('name')).toBe('Acme');
    expect(company.get('industry')).toBe('Manufacturing');
  });

  it('without include a pointer stays an unfetched pointer', async () => {
    const alpha = await dealQuery().equalTo('title', 'Alpha deal').first();
    const contact = alpha!.get('contact') as Parse.Object;
    expect(contact.className).toBe('Contact');
    expect(contact.id).toBe(contacts.Ann.id);
    expect(contact.isDataAvailable()).toBe(false);
  });

  it('include of a missing pointer leaves the key absent', async () => {
    const epsilon = await dealQuery().equalTo('title', 'epsilon deal').include('contact').first();
    expect(epsilon!.has('contact')).toBe(false);
  });

  it('count', async () => {
    expect(await dealQuery().count()).toBe(6);
    expect(await dealQuery().equalTo('stage', 'qualified').count()).toBe(2);
    expect(await dealQuery().equalTo('stage', 'nope').count()).toBe(0);
  });

  it('first', async () => {
    const cheapest = await dealQuery().exists('amount').ascending('amount').first();
    expect(cheapest?.get('title')).toBe('Gamma deal');
    expect(await dealQuery().equalTo('stage', 'nope').first()).toBeUndefined();
  });

  it('get by id, and get of a missing id rejects with 101', async () => {
    const beta = await dealQuery().equalTo('title', 'Beta deal').first();
    const fetched = await dealQuery().get(beta!.id!);
    expect(fetched.get('title')).toBe('Beta deal');
    expect(fetched.get('amount')).toBe(2500);
    await expect(dealQuery().get('aaaaaaaaaa')).rejects.toMatchObject({ code: Parse.Error.OBJECT_NOT_FOUND });
  });

  it('distinct (master key)', async () => {
    const stages = await dealQuery().distinct('stage');
    expect([...stages].sort()).toEqual(['lead', 'lost', 'proposal', 'qualified', 'won']);
    const filtered = await dealQuery().greaterThanOrEqualTo('amount', 2500).distinct('stage');
    expect([...filtered].sort()).toEqual(['proposal', 'qualified', 'won']);
  });

  it('aggregate (master key): $group with $sum, and the query becomes a $match', async () => {
    const byStage = await dealQuery().aggregate([{ $group: { _id: '$stage', total: { $sum: '$amount' }, deals: { $sum: 1 } } }]);
    const sortedRows = [...byStage].sort((a, b) => String(a.objectId).localeCompare(String(b.objectId)));
    expect(sortedRows).toEqual([
      { objectId: 'lead', total: 1000, deals: 1 },
      // A group whose values are all missing has no `total` key at all (absent, never null).
      { objectId: 'lost', deals: 1 },
      { objectId: 'proposal', total: 7500, deals: 1 },
      { objectId: 'qualified', total: 3000, deals: 2 },
      { objectId: 'won', total: 2500, deals: 1 },
    ]);
    const qualified = await dealQuery()
      .lessThan('amount', 7000)
      .aggregate([{ $group: { _id: '$stage', total: { $sum: '$amount' } } }, { $sort: { total: -1 } }]);
    expect(qualified).toEqual([
      { objectId: 'qualified', total: 3000 },
      { objectId: 'won', total: 2500 },
      { objectId: 'lead', total: 1000 },
    ]);
  });
});

describe('create / get / update / destroy of each CRM class', () => {
  it('Company', async () => {
    const company = await saveNew('Company', { name: 'Hooli', website: 'https://hooli.test', industry: 'Tech' });
    expect(company.id).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(company.createdAt).toBeInstanceOf(Date);
    expect(company.updatedAt).toEqual(company.createdAt);
    const fetched = await new Parse.Query('Company').get(company.id!);
    expect(fetched.get('name')).toBe('Hooli');
    expect(fetched.get('website')).toBe('https://hooli.test');
    fetched.set({ address: '1 Infinite Loop', industry: 'Software' });
    await fetched.save();
    expect(fetched.updatedAt!.getTime()).toBeGreaterThanOrEqual(company.createdAt!.getTime());
    const again = await new Parse.Query('Company').get(company.id!);
    expect(again.get('address')).toBe('1 Infinite Loop');
    expect(again.get('industry')).toBe('Software');
    await again.destroy();
    await expect(new Parse.Query('Company').get(company.id!)).rejects.toMatchObject({ code: 101 });
  });

  it('Contact with a company pointer', async () => {
    const company = await saveNew('Company', { name: 'Vandelay' });
    const contact = await saveNew('Contact', { name: 'Art', email: 'art@vandelay.test', phone: '555-0100', company });
    const fetched = await new Parse.Query('Contact').include('company').get(contact.id!);
    expect(fetched.get('name')).toBe('Art');
    expect(fetched.get('phone')).toBe('555-0100');
    expect((fetched.get('company') as Parse.Object).get('name')).toBe('Vandelay');
    fetched.set('phone', '555-0199');
    await fetched.save();
    expect((await new Parse.Query('Contact').get(contact.id!)).get('phone')).toBe('555-0199');
    await fetched.destroy();
    await company.destroy();
    await expect(new Parse.Query('Contact').get(contact.id!)).rejects.toMatchObject({ code: 101 });
  });

  it('Deal with every field type', async () => {
    const company = await saveNew('Company', { name: 'Soylent' });
    const contact = await saveNew('Contact', { name: 'Sol', company });
    const deal = await saveNew('Deal', {
      title: 'Green deal',
      amount: 1234.5,
      stage: 'lead',
      company,
      contact,
      expectedCloseDate: date('2026-06-30T00:00:00.000Z'),
      notes: 'multi\nline "quoted" ünïcode ✓',
    });
    const fetched = await new Parse.Query('Deal').get(deal.id!);
    expect(fetched.get('amount')).toBe(1234.5);
    expect(fetched.get('expectedCloseDate')).toEqual(date('2026-06-30T00:00:00.000Z'));
    expect(fetched.get('notes')).toBe('multi\nline "quoted" ünïcode ✓');
    expect((fetched.get('company') as Parse.Object).id).toBe(company.id);
    expect((fetched.get('contact') as Parse.Object).id).toBe(contact.id);
    fetched.set({ stage: 'won', amount: 0 });
    await fetched.save();
    const again = await new Parse.Query('Deal').get(deal.id!);
    expect(again.get('stage')).toBe('won');
    expect(again.get('amount')).toBe(0);
    await again.destroy();
    await contact.destroy();
    await company.destroy();
    await expect(new Parse.Query('Deal').get(deal.id!)).rejects.toMatchObject({ code: 101 });
  });

  it('Activity related to a Deal', async () => {
    const deal = await saveNew('Deal', { title: 'Activity host' });
    const activity = await saveNew('Activity', {
      type: 'meeting',
      subject: 'Kick-off',
      description: 'Agenda TBD',
      dueDate: date('2026-05-01T09:00:00.000Z'),
      relatedTo: deal,
    });
    const fetched = await new Parse.Query('Activity').include('relatedTo').get(activity.id!);
    expect(fetched.get('subject')).toBe('Kick-off');
    expect(fetched.get('dueDate')).toEqual(date('2026-05-01T09:00:00.000Z'));
    expect((fetched.get('relatedTo') as Parse.Object).get('title')).toBe('Activity host');
    expect(await new Parse.Query('Activity').equalTo('relatedTo', deal).count()).toBe(1);
    fetched.set('completedAt', date('2026-05-01T10:00:00.000Z'));
    await fetched.save();
    const again = await new Parse.Query('Activity').get(activity.id!);
    expect(again.get('completedAt')).toEqual(date('2026-05-01T10:00:00.000Z'));
    await again.destroy();
    await deal.destroy();
    await expect(new Parse.Query('Activity').get(activity.id!)).rejects.toMatchObject({ code: 101 });
  });

  // Our extension: Activity.relatedTo is a polymorphic pointer (Contact or Deal); parse-server cannot express it.
  it.skipIf(isReference)('Activity related to a Contact (polymorphic pointer)', async () => {
    const contact = await saveNew('Contact', { name: 'Polly' });
    const deal = await saveNew('Deal', { title: 'Polly deal' });
    const onContact = await saveNew('Activity', { type: 'call', subject: 'Call Polly', relatedTo: contact });
    const onDeal = await saveNew('Activity', { type: 'note', subject: 'Polly deal note', relatedTo: deal });
    const fetched = await new Parse.Query('Activity').include('relatedTo').get(onContact.id!);
    const related = fetched.get('relatedTo') as Parse.Object;
    expect(related.className).toBe('Contact');
    expect(related.get('name')).toBe('Polly');
    const forContact = await new Parse.Query('Activity').equalTo('relatedTo', contact).find();
    expect(forContact.map((a) => a.id)).toEqual([onContact.id]);
    const forDeal = await new Parse.Query('Activity').equalTo('relatedTo', deal).find();
    expect(forDeal.map((a) => a.id)).toEqual([onDeal.id]);
    await Parse.Object.destroyAll([onContact, onDeal, contact, deal]);
  });

  it('unset fields are absent after a round trip', async () => {
    const deal = await saveNew('Deal', { title: 'Sparse' });
    const fetched = await new Parse.Query('Deal').get(deal.id!);
    expect(fetched.has('amount')).toBe(false);
    expect(fetched.get('amount')).toBeUndefined();
    expect(Object.keys(fetched.attributes).sort()).toEqual(['createdAt', 'title', 'updatedAt']);
    await fetched.destroy();
  });

  it('saving twice without changes and destroying twice', async () => {
    const deal = await saveNew('Deal', { title: 'Twice' });
    await deal.save();
    await deal.destroy();
    await expect(deal.destroy()).rejects.toMatchObject({ code: 101 });
  });
});

describe('batch: saveAll / destroyAll', () => {
  it('saves and destroys more than one batch (the SDK chunks by 20)', async () => {
    const deals = Array.from({ length: 45 }, (_, i) => {
      const deal = new Parse.Object('Deal');
      deal.set({ title: `Bulk ${String(i).padStart(2, '0')}`, amount: i, stage: 'bulk' });
      return deal;
    });
    await Parse.Object.saveAll(deals);
    expect(deals.every((d) => /^[A-Za-z0-9]{10}$/.test(d.id!))).toBe(true);
    expect(new Set(deals.map((d) => d.id)).size).toBe(45);
    expect(await dealQuery().equalTo('stage', 'bulk').count()).toBe(45);

    for (const deal of deals.slice(0, 25)) deal.set('stage', 'bulk-updated');
    await Parse.Object.saveAll(deals.slice(0, 25));
    expect(await dealQuery().equalTo('stage', 'bulk-updated').count()).toBe(25);

    await Parse.Object.destroyAll(deals);
    expect(await dealQuery().containedIn('stage', ['bulk', 'bulk-updated']).count()).toBe(0);
  });

  it('saveAll reports the failing object and keeps the others', async () => {
    const good = new Parse.Object('Deal');
    good.set({ title: 'Batch good', stage: 'batch-partial' });
    const bad = new Parse.Object('Deal');
    bad.set({ stage: 'batch-partial' });
    const error = await Parse.Object.saveAll([good, bad]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: Parse.Error.VALIDATION_ERROR });
    const stored = await dealQuery().equalTo('stage', 'batch-partial').find();
    expect(titlesOf(stored)).toEqual(['Batch good']);
    await Parse.Object.destroyAll(stored);
  });

  it('saveAll saves unsaved pointed-to objects first', async () => {
    const company = new Parse.Object('Company');
    company.set('name', 'Nested Co');
    const deal = new Parse.Object('Deal');
    deal.set({ title: 'Nested deal', company });
    await deal.save();
    expect(company.id).toMatch(/^[A-Za-z0-9]{10}$/);
    const fetched = await dealQuery().include('company').get(deal.id!);
    expect((fetched.get('company') as Parse.Object).get('name')).toBe('Nested Co');
    await Parse.Object.destroyAll([deal, company]);
  });
});

describe('field operations', () => {
  beforeAll(async () => {
    await addFields('Deal', { tags: { type: 'Array' } });
  }, START_TIMEOUT_MS);

  it('increment / decrement, and the server value comes back', async () => {
    const deal = await saveNew('Deal', { title: 'Counter', amount: 10 });
    deal.increment('amount', 5);
    await deal.save();
    expect(deal.get('amount')).toBe(15);
    deal.decrement('amount', 20);
    await deal.save();
    expect(deal.get('amount')).toBe(-5);
    expect((await dealQuery().get(deal.id!)).get('amount')).toBe(-5);
    const fresh = await saveNew('Deal', { title: 'Counter from nothing' });
    fresh.increment('amount', 3);
    await fresh.save();
    expect((await dealQuery().get(fresh.id!)).get('amount')).toBe(3);
    await Parse.Object.destroyAll([deal, fresh]);
  });

  it('concurrent increments are not lost', async () => {
    const deal = await saveNew('Deal', { title: 'Concurrent', amount: 0 });
    await Promise.all(
      Array.from({ length: 10 }, () => {
        const copy = Parse.Object.extend('Deal').createWithoutData(deal.id) as Parse.Object;
        copy.increment('amount', 1);
        return copy.save();
      }),
    );
    expect((await dealQuery().get(deal.id!)).get('amount')).toBe(10);
    await deal.destroy();
  });

  it('add / addUnique / remove on an Array field', async () => {
    const storedTags = async (id: string) => (await dealQuery().get(id)).get('tags') as string[];
    const deal = await saveNew('Deal', { title: 'Tagged', tags: ['a'] });
    deal.add('tags', 'b');
    await deal.save();
    expect(await storedTags(deal.id!)).toEqual(['a', 'b']);
    // The reference (Postgres) does not keep element order through AddUnique, so compare as multisets there.
    deal.addUnique('tags', 'a');
    deal.addUnique('tags', 'c');
    await deal.save();
    expect((await storedTags(deal.id!)).sort()).toEqual(['a', 'b', 'c']);
    deal.remove('tags', 'b');
    await deal.save();
    expect((await storedTags(deal.id!)).sort()).toEqual(['a', 'c']);
    deal.addAll('tags', ['d', 'd']);
    await deal.save();
    expect((await storedTags(deal.id!)).sort()).toEqual(['a', 'c', 'd', 'd']);
    deal.removeAll('tags', ['d', 'a']);
    await deal.save();
    expect(await storedTags(deal.id!)).toEqual(['c']);
    await deal.destroy();
  });

  it('unset removes the field', async () => {
    const deal = await saveNew('Deal', { title: 'Unset me', notes: 'temporary', amount: 5 });
    deal.unset('notes');
    await deal.save();
    const fetched = await dealQuery().get(deal.id!);
    expect(fetched.has('notes')).toBe(false);
    expect(fetched.get('amount')).toBe(5);
    expect(await dealQuery().equalTo('objectId', deal.id).doesNotExist('notes').count()).toBe(1);
    await deal.destroy();
  });

  it('containsAll / containedBy / containedIn / notContainedIn on an Array field', async () => {
    const hot = await saveNew('Deal', { title: 'Arr hot', tags: ['hot', 'enterprise'] });
    const warm = await saveNew('Deal', { title: 'Arr warm', tags: ['warm'] });
    const mixed = await saveNew('Deal', { title: 'Arr mixed', tags: ['hot', 'warm', 'smb'] });
    const tagged = () => dealQuery().exists('tags').startsWith('title', 'Arr ');
    expect(await sortedTitles(tagged().containsAll('tags', ['hot', 'warm']))).toEqual(['Arr mixed']);
    expect(await sortedTitles(tagged().containsAll('tags', ['hot']))).toEqual(['Arr hot', 'Arr mixed']);
    expect(await sortedTitles(tagged().containedBy('tags', ['hot', 'warm', 'enterprise']))).toEqual(['Arr hot', 'Arr warm']);
    expect(await sortedTitles(tagged().containedIn('tags', ['enterprise', 'smb']))).toEqual(['Arr hot', 'Arr mixed']);
    expect(await sortedTitles(tagged().notContainedIn('tags', ['warm']))).toEqual(['Arr hot']);
    await Parse.Object.destroyAll([hot, warm, mixed]);
  });
});

describe('relations', () => {
  beforeAll(async () => {
    await addFields('Deal', { watchers: { type: 'Relation', targetClass: 'Contact' } });
  }, START_TIMEOUT_MS);

  it('add / remove members and query them with $relatedTo', async () => {
    const [ann, bob, cid] = await Promise.all(['Rel Ann', 'Rel Bob', 'Rel Cid'].map((name) => saveNew('Contact', { name })));
    const deal = await saveNew('Deal', { title: 'Watched' });
    const watchers = deal.relation('watchers');
    watchers.add([ann, bob]);
    await deal.save();
    const names = async () => (await deal.relation('watchers').query().find()).map((c) => c.get('name') as string).sort();
    expect(await names()).toEqual(['Rel Ann', 'Rel Bob']);

    deal.relation('watchers').remove(bob);
    deal.relation('watchers').add(cid);
    await deal.save();
    expect(await names()).toEqual(['Rel Ann', 'Rel Cid']);
    expect(await deal.relation('watchers').query().equalTo('name', 'Rel Cid').count()).toBe(1);

    const fetched = await dealQuery().get(deal.id!);
    const relation = fetched.get('watchers') as Parse.Relation;
    expect(relation).toBeInstanceOf(Parse.Relation);
    expect(relation.targetClassName).toBe('Contact');

    expect(titlesOf(await dealQuery().equalTo('watchers', ann).find())).toEqual(['Watched']);
    expect(titlesOf(await dealQuery().equalTo('watchers', bob).find())).toEqual([]);

    await Parse.Object.destroyAll([deal, ann, bob, cid]);
  });
});
