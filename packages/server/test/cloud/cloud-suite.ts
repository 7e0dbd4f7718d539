/**
 * The cloud code behaviour every hooks-file flavour must show (fixtures/hooks.js uses the global `Parse`,
 * fixtures/hooks.ts the default export), driven through the real SDK, raw HTTP, batch and GraphQL.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, PASSWORD, startCrmServer, type Cast } from '../security/helpers/cast.js';
import { GraphQLClient } from '../graphql/helpers.js';

export const fixture = (name: string): string => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);

async function codeOf(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as Parse.Error).code, message: (error as Parse.Error).message };
  }
  throw new Error('expected a rejection');
}

export function cloudCodeSuite(hooksFile: string): void {
  let server: TestServer;
  let cast: Cast;
  let rep1: string;
  let rep2: string;
  const as = (sessionToken: string) => ({ sessionToken });
  const master = { useMasterKey: true };

  beforeAll(async () => {
    server = await startCrmServer({ cloudCode: fixture(hooksFile) });
    cast = await createCast(server);
    initParse(server);
    rep1 = (await Parse.User.logIn('rep1', PASSWORD)).getSessionToken()!;
    rep2 = (await Parse.User.logIn('rep2', PASSWORD)).getSessionToken()!;
  }, START_TIMEOUT_MS);
  afterAll(() => server?.close());

  const calls = async (): Promise<Record<string, number>> => Parse.Cloud.run('calls', {}, master);
  const dealsTitled = (title: string) => new Parse.Query('Deal').equalTo('title', title).count(master);

  describe('beforeSave', () => {
    it('changes the object: the change is stored and echoed to the client', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: '  Spaced out  ', stage: 'lead' }, as(rep1));
      expect(deal.get('title')).toBe('Spaced out');
      const stored = await new Parse.Query('Deal').get(deal.id!, master);
      expect(stored.get('title')).toBe('Spaced out');
      expect(stored.get('stage')).toBe('lead');
    });

    it('sees the original and the caller on update, and may query inside the write', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'Moving', stage: 'lead' }, as(rep1));
      deal.set('stage', 'qualified');
      await deal.save(null, as(rep1));
      expect(deal.get('notes')).toBe('lead -> qualified by rep1; 0 already there');
      const stored = await new Parse.Query('Deal').get(deal.id!, master);
      expect(stored.get('notes')).toBe('lead -> qualified by rep1; 0 already there');
    });

    it('receives the request context', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'With context' }, { ...as(rep1), context: { tag: 'import' } });
      expect(deal.get('notes')).toBe('context:import');
    });

    it('rejects with the thrown Parse.Error code and writes nothing', async () => {
      const deal = new Parse.Object('Deal');
      expect(await codeOf(deal.save({ title: 'reject-me' }, as(rep1)))).toEqual({
        code: 142,
        message: 'Deals may not be called reject-me',
      });
      expect(await dealsTitled('reject-me')).toBe(0);
    });

    it('rejects a plain Error with 141 and its message, over raw HTTP too', async () => {
      const res = await cast.rep1.post('/classes/Deal', { title: 'fail-plainly' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 141, error: 'plain failure' });
      expect(await dealsTitled('fail-plainly')).toBe(0);
    });

    it('rejects an update and leaves the stored object as it was', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'Keep me', amount: 1 }, as(rep1));
      deal.set({ title: 'reject-me', amount: 2 });
      expect((await codeOf(deal.save(null, as(rep1)))).code).toBe(142);
      const stored = await new Parse.Query('Deal').get(deal.id!, master);
      expect(stored.get('title')).toBe('Keep me');
      expect(stored.get('amount')).toBe(1);
    });

    it('runs after the permission checks: a write the caller may not make never reaches the trigger', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'Private to rep1' }, as(rep1));
      const before = (await calls())['beforeSave:Private to rep1'];
      const res = await cast.rep2.put(`/classes/Deal/${deal.id}`, { title: 'Private to rep1' });
      expect(res.status).toBe(404);
      expect((await calls())['beforeSave:Private to rep1']).toBe(before);
    });

    it('runs exactly once per object for batch (saveAll) and GraphQL writes', async () => {
      const deals = ['  Batch A ', '  Batch B '].map((title) => new Parse.Object('Deal').set('title', title));
      await Parse.Object.saveAll(deals, as(rep1));
      expect(deals.map((d) => d.get('title'))).toEqual(['Batch A', 'Batch B']);
      const gql = new GraphQLClient(server, { token: rep1 });
      const data = await gql.data(`mutation { createDeal(input: {fields: {title: "  Via GraphQL "}}) { deal { title } } }`);
      expect(data.createDeal.deal.title).toBe('Via GraphQL');
      const counted = await calls();
      for (const title of ['Batch A', 'Batch B', 'Via GraphQL']) {
        expect(counted[`beforeSave:${title}`]).toBe(1);
        expect(counted[`afterSave:${title}`]).toBe(1);
      }
    });

    it('runs inside a transactional batch, and its query joins that transaction', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'In a transaction', stage: 'lead' }, as(rep1));
      const res = await cast.rep1.post('/batch', {
        transaction: true,
        requests: [
          { method: 'PUT', path: `/parse/classes/Deal/${deal.id}`, body: { stage: 'won' } },
          { method: 'POST', path: '/parse/classes/Deal', body: { title: ' Second in tx ' } },
        ],
      });
      expect(res.status).toBe(200);
      const stored = await new Parse.Query('Deal').get(deal.id!, master);
      expect(stored.get('notes')).toMatch(/^lead -> won by rep1; \d+ already there$/);
      expect(await dealsTitled('Second in tx')).toBe(1);
    });
  });

  describe('afterSave', () => {
    it('sees the saved object and may write as the caller before the response', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'audit-me', amount: 5 }, as(rep1));
      const notes = await new Parse.Query('Activity').equalTo('relatedTo', deal).find(as(rep1));
      expect(notes.map((n) => n.get('subject'))).toEqual([`saved ${deal.id} amount=5 new=yes`]);
      // Written with rep1's session: the policy made rep1 its creator.
      expect(notes[0].get('createdBy').id).toBe(cast.rep1.id);
    });

    it('an error is logged, not returned: the write stands', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'after-fails' }, as(rep1));
      expect(deal.id).toBeTruthy();
      expect(await dealsTitled('after-fails')).toBe(1);
    });
  });

  describe('beforeDelete / afterDelete', () => {
    it('beforeDelete blocks the delete with its code; the object stays', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'Won already', stage: 'won' }, master);
      expect(await codeOf(deal.destroy(master))).toEqual({ code: 119, message: 'Won deals are kept' });
      expect(await dealsTitled('Won already')).toBe(1);
    });

    it('a permitted delete runs afterDelete once it committed', async () => {
      const deal = new Parse.Object('Deal');
      await deal.save({ title: 'Short-lived' }, as(rep1));
      await deal.destroy(as(rep1));
      expect(await dealsTitled('Short-lived')).toBe(0);
      const notes = await new Parse.Query('Activity').equalTo('subject', `deleted ${deal.id} (Short-lived)`).count(master);
      expect(notes).toBe(1);
    });
  });

  describe('define + Parse.Cloud.run', () => {
    it('gets params and the user; its queries see only what the caller may see', async () => {
      const mine = new Parse.Object('Deal');
      await mine.save({ title: 'Only rep2 sees this' }, as(rep2));
      const asRep1 = await Parse.Cloud.run('visibleDeals', { echo: 'hi' }, as(rep1));
      expect(asRep1.user).toBe(cast.rep1.id);
      expect(asRep1.master).toBe(false);
      expect(asRep1.echo).toBe('hi');
      expect(asRep1.titles).not.toContain('Only rep2 sees this');
      const asRep2 = await Parse.Cloud.run('visibleDeals', {}, as(rep2));
      expect(asRep2.titles).toContain('Only rep2 sees this');
      // Anonymous callers may not list deals under the CRM policy, inside a function as anywhere else.
      expect(await codeOf(Parse.Cloud.run('visibleDeals', {}))).toEqual({
        code: 101,
        message: 'Permission denied, user needs to be authenticated.',
      });
    });

    it('useMasterKey inside a function sees everything', async () => {
      const all = await Parse.Cloud.run('countAllDeals', {}, as(rep1));
      expect(all).toBe(await new Parse.Query('Deal').count(master));
    });

    it('returns Parse objects as objects; requireUser refuses anonymous callers', async () => {
      const first = await Parse.Cloud.run('firstDeal', {}, as(rep1));
      expect(first).toBeInstanceOf(Parse.Object);
      expect(first.className).toBe('Deal');
      expect(await Parse.Cloud.run('whoAmI', {}, as(rep2))).toBe('rep2');
      expect((await codeOf(Parse.Cloud.run('whoAmI', {}))).code).toBe(209);
    });

    it('a thrown Parse.Error keeps its code', async () => {
      expect(await codeOf(Parse.Cloud.run('failWithCode', {}, as(rep1)))).toEqual({ code: 142, message: 'custom validation' });
    });
  });
}
