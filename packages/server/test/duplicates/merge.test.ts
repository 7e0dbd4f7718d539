/**
 * `mergeContacts` / `mergeCompanies` / `merge` through the SDK: deals and activities move to the survivor,
 * its empty fields are filled, duplicates are deleted — all or nothing, and only with the caller's own write
 * permissions over every object touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS } from '../helpers/server.js';
import { make, Parse, startSdkCast, type SdkCast } from './sdk-fixture.js';

let ctx: SdkCast;

beforeAll(async () => {
  ctx = await startSdkCast();
}, START_TIMEOUT_MS);
afterAll(() => ctx?.server.close());

const get = (className: string, id: string) => new Parse.Query(className).get(id, { useMasterKey: true });
const exists = (className: string, id: string) =>
  new Parse.Query(className)
    .equalTo('objectId', id)
    .count({ useMasterKey: true })
    .then((n) => n === 1);
const idOf = (value: unknown) => (value as Parse.Object | undefined)?.id;

describe('mergeContacts', () => {
  it('moves deals and activities, fills empty fields, deletes the duplicate', async () => {
    const { rep1 } = ctx.as;
    const survivor = await make('Contact', { name: 'Ada', email: 'ada@merge.example' }, rep1);
    const company = await make('Company', { name: 'Engines' }, rep1);
    const duplicate = await make(
      'Contact',
      { name: 'Ada Lovelace', email: 'ADA@merge.example', phone: '+44 1', notes: 'from the expo', company },
      rep1,
    );
    const deal = await make('Deal', { title: 'Engine', contact: duplicate, company }, rep1);
    const onContact = await make('Activity', { subject: 'call Ada', relatedTo: duplicate }, rep1);
    const onDeal = await make('Activity', { subject: 'demo', relatedTo: deal }, rep1);

    const result = await Parse.Cloud.run('mergeContacts', { survivorId: survivor.id, duplicateIds: [duplicate.id] }, rep1);
    expect(result.merged).toEqual([duplicate.id]);
    expect(result.filled.sort()).toEqual(['company', 'notes', 'phone']);
    expect(result.moved).toEqual({ 'Activity.relatedTo': 1, 'Deal.contact': 1 });
    // The survivor keeps its own name and email; the duplicate's fill only what was empty.
    expect(result.survivor).toMatchObject({ name: 'Ada', email: 'ada@merge.example', phone: '+44 1', notes: 'from the expo' });

    expect(await exists('Contact', duplicate.id)).toBe(false);
    expect(idOf((await get('Deal', deal.id)).get('contact'))).toBe(survivor.id);
    expect(idOf((await get('Activity', onContact.id)).get('relatedTo'))).toBe(survivor.id);
    expect(idOf((await get('Activity', onDeal.id)).get('relatedTo'))).toBe(deal.id);
    const merged = await new Parse.Query('Contact').get(survivor.id, rep1);
    expect(idOf(merged.get('company'))).toBe(company.id);
    expect(merged.get('duplicateOf')).toBeUndefined();
  });

  it('with the survivor flagged against the duplicate, the flag goes; other flags follow the survivor', async () => {
    const { rep1 } = ctx.as;
    const oldest = await make('Contact', { name: 'Old', email: 'old@merge.example' }, rep1);
    const newer = await make('Contact', { name: 'New', email: 'old@merge.example' }, rep1);
    const newest = await make('Contact', { name: 'Newest', email: 'old@merge.example' }, rep1);
    expect(idOf(newer.get('duplicateOf'))).toBe(oldest.id);
    // Keep the newer record, fold the oldest into it.
    await Parse.Cloud.run('merge', { className: 'Contact', survivorId: newer.id, duplicateIds: [oldest.id] }, rep1);
    expect((await get('Contact', newer.id)).get('duplicateOf')).toBeUndefined();
    expect(idOf((await get('Contact', newest.id)).get('duplicateOf'))).toBe(newer.id);
  });

  it("a rep cannot merge another rep's contact, into or out of: 101, nothing changed", async () => {
    const { rep1, rep2 } = ctx.as;
    const mine = await make('Contact', { name: 'Mine', email: 'x@merge.example' }, rep2);
    const theirs = await make('Contact', { name: 'Theirs', email: 'x@merge.example', phone: '1' }, rep1);
    await expect(
      Parse.Cloud.run('mergeContacts', { survivorId: mine.id, duplicateIds: [theirs.id] }, rep2),
    ).rejects.toMatchObject({ code: 101 });
    await expect(
      Parse.Cloud.run('mergeContacts', { survivorId: theirs.id, duplicateIds: [mine.id] }, rep2),
    ).rejects.toMatchObject({ code: 101 });
    expect(await exists('Contact', theirs.id)).toBe(true);
    expect(await exists('Contact', mine.id)).toBe(true);
    expect((await get('Contact', mine.id)).get('phone')).toBeUndefined();
  });

  it("a duplicate that another rep's deal points at cannot be merged away: 119, nothing changed", async () => {
    const { rep1, rep2 } = ctx.as;
    const survivor = await make('Contact', { name: 'S' }, rep1);
    const duplicate = await make('Contact', { name: 'D', phone: '2' }, rep1);
    const mine = await make('Deal', { title: 'rep1 deal', contact: duplicate }, rep1);
    const foreign = await make('Deal', { title: 'rep2 deal', contact: duplicate }, rep2);
    await expect(
      Parse.Cloud.run('mergeContacts', { survivorId: survivor.id, duplicateIds: [duplicate.id] }, rep1),
    ).rejects.toMatchObject({ code: 119 });
    expect(await exists('Contact', duplicate.id)).toBe(true);
    expect(idOf((await get('Deal', mine.id)).get('contact'))).toBe(duplicate.id);
    expect(idOf((await get('Deal', foreign.id)).get('contact'))).toBe(duplicate.id);
    expect((await get('Contact', survivor.id)).get('phone')).toBeUndefined();
    // An admin may write both deals, so the same merge succeeds for them.
    await Parse.Cloud.run('mergeContacts', { survivorId: survivor.id, duplicateIds: [duplicate.id] }, ctx.as.admin);
    expect(idOf((await get('Deal', foreign.id)).get('contact'))).toBe(survivor.id);
  });

  it('bad parameters are Parse errors; anonymous callers are refused', async () => {
    const { rep1 } = ctx.as;
    const c = await make('Contact', { name: 'P' }, rep1);
    for (const params of [
      { survivorId: c.id, duplicateIds: [] },
      { survivorId: c.id, duplicateIds: [c.id] },
      { survivorId: 'bad id!', duplicateIds: ['abc'] },
      { survivorId: c.id, duplicateIds: 'abc' },
    ]) {
      await expect(Parse.Cloud.run('mergeContacts', params, rep1)).rejects.toMatchObject({ code: 162 });
    }
    await expect(
      Parse.Cloud.run('merge', { className: 'Deal', survivorId: c.id, duplicateIds: ['abc'] }, rep1),
    ).rejects.toMatchObject({
      code: 162,
    });
    await expect(
      Parse.Cloud.run('mergeContacts', { survivorId: c.id, duplicateIds: ['zzzzzzzzzz'] }, rep1),
    ).rejects.toMatchObject({
      code: 101,
    });
    await expect(Parse.Cloud.run('mergeContacts', { survivorId: c.id, duplicateIds: ['abc'] })).rejects.toMatchObject({
      code: 209,
    });
  });
});

describe('mergeCompanies', () => {
  it('moves contacts and deals to the surviving company and fills its website', async () => {
    const { rep1 } = ctx.as;
    const survivor = await make('Company', { name: 'Globex' }, rep1);
    const duplicate = await make('Company', { name: 'Globex Inc', website: 'https://globex.example', industry: 'Energy' }, rep1);
    const contact = await make('Contact', { name: 'Hank', company: duplicate }, rep1);
    const deal = await make('Deal', { title: 'Power', company: duplicate, contact }, rep1);
    const result = await Parse.Cloud.run('mergeCompanies', { survivorId: survivor.id, duplicateIds: [duplicate.id] }, rep1);
    expect(result.moved).toEqual({ 'Contact.company': 1, 'Deal.company': 1 });
    expect(result.survivor).toMatchObject({ name: 'Globex', website: 'https://globex.example', industry: 'Energy' });
    expect(idOf((await get('Contact', contact.id)).get('company'))).toBe(survivor.id);
    expect(idOf((await get('Deal', deal.id)).get('company'))).toBe(survivor.id);
    expect(await exists('Company', duplicate.id)).toBe(false);
    // The filled website gives the survivor its domain key.
    expect((await get('Company', survivor.id)).get('domainKey')).toBe('globex.example');
  });
});
