/**
 * Duplicate flags through the SDK: contacts by email, companies by web domain, flagged on create and on an
 * update that changes the key — only against objects the writer can read, so a rep never learns of another
 * rep's private contact through the flag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS } from '../helpers/server.js';
import { make, Parse, startSdkCast, type SdkCast } from './sdk-fixture.js';

let ctx: SdkCast;

beforeAll(async () => {
  ctx = await startSdkCast();
}, START_TIMEOUT_MS);
afterAll(() => ctx?.server.close());

const flagOf = (object: Parse.Object) => (object.get('duplicateOf') as Parse.Object | undefined)?.id;

describe('contacts with the same email', () => {
  it('are flagged on create, case-insensitively and trimmed, against the oldest readable one', async () => {
    const { rep1 } = ctx.as;
    const first = await make('Contact', { name: 'Ada', email: ' Ada@Engines.Example ' }, rep1);
    expect(first.get('duplicateOf')).toBeUndefined();
    expect(first.get('emailKey')).toBeUndefined(); // not echoed; stored
    const second = await make('Contact', { name: 'Ada L.', email: 'ada@engines.example' }, rep1);
    // The create's answer carries the flag, so the SDK object has it at once.
    expect(flagOf(second)).toBe(first.id);
    const third = await make('Contact', { name: 'A. Lovelace', email: 'ADA@ENGINES.EXAMPLE' }, rep1);
    expect(flagOf(third)).toBe(first.id);
    const fetched = await new Parse.Query('Contact').get(second.id, rep1);
    expect(flagOf(fetched)).toBe(first.id);
    expect(fetched.get('emailKey')).toBe('ada@engines.example');
  });

  it("a rep's contact is not flagged against another rep's private contact; a manager's is", async () => {
    const { rep1, rep2, mgr } = ctx.as;
    const mine = await make('Contact', { name: 'Grace', email: 'grace@navy.example' }, rep1);
    const theirs = await make('Contact', { name: 'Grace H.', email: 'Grace@Navy.example' }, rep2);
    expect(theirs.get('duplicateOf')).toBeUndefined();
    expect(flagOf(await new Parse.Query('Contact').get(theirs.id, rep2))).toBeUndefined();
    // Nor can rep2 find rep1's contact by the key.
    expect(await new Parse.Query('Contact').equalTo('emailKey', 'grace@navy.example').find(rep2)).toHaveLength(1);
    const managers = await make('Contact', { name: 'Grace (mgr)', email: 'grace@navy.example' }, mgr);
    expect(flagOf(managers)).toBe(mine.id);
  });

  it('an update that changes the email flags or clears; clients may clear a flag but never set one', async () => {
    const { rep1 } = ctx.as;
    const original = await make('Contact', { name: 'Alan', email: 'alan@bletchley.example' }, rep1);
    const other = await make('Contact', { name: 'Someone', email: 'someone@else.example' }, rep1);
    await other.save({ email: 'ALAN@bletchley.example' }, rep1);
    expect(flagOf(await new Parse.Query('Contact').get(other.id, rep1))).toBe(original.id);
    await other.save({ email: 'unique@else.example' }, rep1);
    expect(flagOf(await new Parse.Query('Contact').get(other.id, rep1))).toBeUndefined();

    await other.save({ email: 'alan@bletchley.example' }, rep1);
    other.unset('duplicateOf');
    await other.save(null, rep1);
    expect(flagOf(await new Parse.Query('Contact').get(other.id, rep1))).toBeUndefined();

    // Marking by hand: only an object the writer reads with the same key.
    other.set('duplicateOf', original);
    await other.save(null, rep1);
    expect(flagOf(await new Parse.Query('Contact').get(other.id, rep1))).toBe(original.id);
    const unrelated = await make('Contact', { name: 'Unrelated', email: 'un@related.example' }, rep1);
    other.set('duplicateOf', unrelated);
    await expect(other.save(null, rep1)).rejects.toMatchObject({ code: 119 });
    const foreign = await make('Contact', { name: 'Alan (rep2)', email: 'alan@bletchley.example' }, ctx.as.rep2);
    other.set('duplicateOf', foreign);
    await expect(other.save(null, rep1)).rejects.toMatchObject({ code: 119 });
    await expect(make('Contact', { name: 'y', email: 'y@y.example', duplicateOf: original }, rep1)).rejects.toMatchObject({
      code: 119,
    });
    await expect(make('Contact', { name: 'x', emailKey: 'forged' }, rep1).then((c) => c.fetch(rep1))).resolves.toSatisfy(
      (c: Parse.Object) => c.get('emailKey') === undefined,
    );
  });
});

describe('companies with the same web domain', () => {
  it('are flagged however the website is written', async () => {
    const { rep1 } = ctx.as;
    const acme = await make('Company', { name: 'Acme', website: 'https://www.Acme.com/about' }, rep1);
    const again = await make('Company', { name: 'ACME Corp', website: 'acme.com' }, rep1);
    expect(flagOf(again)).toBe(acme.id);
    const fetched = await new Parse.Query('Company').get(again.id, rep1);
    expect(fetched.get('domainKey')).toBe('acme.com');
    const subdomain = await make('Company', { name: 'Acme Shop', website: 'https://shop.acme.com' }, rep1);
    expect(subdomain.get('duplicateOf')).toBeUndefined();
    const noSite = await make('Company', { name: 'Acme' }, rep1);
    expect(noSite.get('duplicateOf')).toBeUndefined();
  });
});
