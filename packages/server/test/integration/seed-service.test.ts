/**
 * The product spec's Angular CrmService (seed Steps 3–5), copied verbatim apart from the class wrapper, run
 * against the server through the `parse` SDK. If this file passes, the seed's front end works unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { DATA_API_ONLY, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';

class CrmService {
  // ---- Step 3 (verbatim) ----
  async getDeals(stage = 'qualified'): Promise<Parse.Object[]> {
    const query = new Parse.Query('Deal');
    query.equalTo('stage', stage);
    query.ascending('expectedCloseDate');
    return await query.find();
  }

  async getContacts(): Promise<Parse.Object[]> {
    const query = new Parse.Query('Contact');
    return await query.find();
  }

  // ---- Step 4 (verbatim) ----
  async createDeal(title: string, stage = 'lead', amount?: number): Promise<Parse.Object> {
    const Deal = Parse.Object.extend('Deal');
    const deal = new Deal();
    deal.set('title', title);
    deal.set('stage', stage);
    if (amount != null) deal.set('amount', amount);
    await deal.save();
    return deal;
  }

  async createContact(name: string, email?: string, phone?: string): Promise<Parse.Object> {
    const Contact = Parse.Object.extend('Contact');
    const contact = new Contact();
    contact.set('name', name);
    if (email) contact.set('email', email);
    if (phone) contact.set('phone', phone);
    await contact.save();
    return contact;
  }

  // ---- Step 5 (verbatim) ----
  async updateDealStage(objectId: string, stage: string) {
    const query = new Parse.Query('Deal');
    const deal = await query.get(objectId);
    deal.set('stage', stage);
    await deal.save();
  }

  async deleteDeal(objectId: string) {
    const query = new Parse.Query('Deal');
    const deal = await query.get(objectId);
    await deal.destroy();
  }
}

let server: TestServer;
const crm = new CrmService();

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  initParse(server);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

/** The service cannot set a close date; the pipeline view still needs some, so tests add them directly. */
async function setCloseDate(deal: Parse.Object, iso: string): Promise<void> {
  deal.set('expectedCloseDate', new Date(iso));
  await deal.save();
}

const OBJECT_ID = /^[A-Za-z0-9]{10}$/;

describe('CrmService from the seed', () => {
  it('createDeal: defaults the stage to lead and omits a missing amount', async () => {
    const deal = await crm.createDeal('Acme renewal');
    expect(deal.id).toMatch(OBJECT_ID);
    expect(deal.createdAt).toBeInstanceOf(Date);
    const stored = await new Parse.Query('Deal').get(deal.id!);
    expect(stored.get('title')).toBe('Acme renewal');
    expect(stored.get('stage')).toBe('lead');
    expect(stored.has('amount')).toBe(false);
  });

  it('createDeal: keeps the given stage and amount, including 0', async () => {
    const deal = await crm.createDeal('Globex expansion', 'qualified', 12500.5);
    const stored = await new Parse.Query('Deal').get(deal.id!);
    expect(stored.get('stage')).toBe('qualified');
    expect(stored.get('amount')).toBe(12500.5);
    const free = await crm.createDeal('Pilot', 'lead', 0);
    expect((await new Parse.Query('Deal').get(free.id!)).get('amount')).toBe(0);
  });

  it('createDeal with an empty or missing title is refused with 142 and nothing is stored', async () => {
    const before = await new Parse.Query('Deal').count();
    // The reference treats "" like a missing value for a required String.
    await expect(crm.createDeal('')).rejects.toMatchObject({ code: Parse.Error.VALIDATION_ERROR });
    const Deal = Parse.Object.extend('Deal');
    const untitled = new Deal();
    untitled.set('stage', 'lead');
    await expect(untitled.save()).rejects.toMatchObject({ code: Parse.Error.VALIDATION_ERROR });
    expect(await new Parse.Query('Deal').count()).toBe(before);
  });

  it('createContact: optional email and phone are stored only when given', async () => {
    const full = await crm.createContact('Ann Lee', 'ann@example.test', '+1 555 0100');
    const bare = await crm.createContact('Bo');
    const storedFull = await new Parse.Query('Contact').get(full.id!);
    expect(storedFull.get('name')).toBe('Ann Lee');
    expect(storedFull.get('email')).toBe('ann@example.test');
    expect(storedFull.get('phone')).toBe('+1 555 0100');
    const storedBare = await new Parse.Query('Contact').get(bare.id!);
    expect(storedBare.get('name')).toBe('Bo');
    expect(storedBare.has('email')).toBe(false);
    expect(storedBare.has('phone')).toBe(false);
  });

  it('getContacts returns every contact as Parse.Objects of class Contact', async () => {
    const contacts = await crm.getContacts();
    expect(contacts.every((c) => c instanceof Parse.Object && c.className === 'Contact')).toBe(true);
    expect(contacts.map((c) => c.get('name')).sort()).toEqual(['Ann Lee', 'Bo']);
  });

  it("getDeals() defaults to 'qualified' and orders by expectedCloseDate", async () => {
    const late = await crm.createDeal('Late close', 'qualified', 100);
    const early = await crm.createDeal('Early close', 'qualified', 200);
    const middle = await crm.createDeal('Middle close', 'qualified', 300);
    await setCloseDate(late, '2026-09-30T00:00:00.000Z');
    await setCloseDate(early, '2026-02-01T00:00:00.000Z');
    await setCloseDate(middle, '2026-05-15T08:00:00.000Z');
    await crm.createDeal('Lead only', 'lead', 50);

    const deals = await crm.getDeals();
    expect(deals.every((d) => d.get('stage') === 'qualified')).toBe(true);
    expect(deals.map((d) => d.get('title')).sort()).toEqual(['Early close', 'Globex expansion', 'Late close', 'Middle close']);
    // Where undated deals land is backend-specific (Postgres: last, SQLite/Mongo: first); only dated order is fixed.
    const dated = deals.filter((d) => d.has('expectedCloseDate')).map((d) => d.get('title'));
    expect(dated).toEqual(['Early close', 'Middle close', 'Late close']);
    expect(deals.find((d) => d.get('title') === 'Early close')!.get('expectedCloseDate')).toEqual(
      new Date('2026-02-01T00:00:00.000Z'),
    );
  });

  it('getDeals(stage) filters by the given stage and returns [] for an unused one', async () => {
    const leads = await crm.getDeals('lead');
    expect(leads.map((d) => d.get('title')).sort()).toEqual(['Acme renewal', 'Lead only', 'Pilot']);
    expect(await crm.getDeals('negotiation')).toEqual([]);
  });

  it('updateDealStage moves a deal through the pipeline', async () => {
    const deal = await crm.createDeal('Moving deal', 'lead', 999);
    const createdAt = deal.createdAt!;
    await crm.updateDealStage(deal.id!, 'qualified');
    expect((await crm.getDeals('qualified')).map((d) => d.id)).toContain(deal.id);
    expect((await crm.getDeals('lead')).map((d) => d.id)).not.toContain(deal.id);
    await crm.updateDealStage(deal.id!, 'won');
    const stored = await new Parse.Query('Deal').get(deal.id!);
    expect(stored.get('stage')).toBe('won');
    expect(stored.get('amount')).toBe(999);
    expect(stored.get('title')).toBe('Moving deal');
    expect(stored.updatedAt!.getTime()).toBeGreaterThanOrEqual(createdAt.getTime());
    expect(stored.createdAt).toEqual(createdAt);
  });

  it('updateDealStage of an unknown id rejects with 101', async () => {
    await expect(crm.updateDealStage('abcdefghij', 'won')).rejects.toMatchObject({
      code: Parse.Error.OBJECT_NOT_FOUND,
    });
  });

  it('deleteDeal removes the deal; a second delete rejects with 101', async () => {
    const deal = await crm.createDeal('Doomed deal', 'qualified', 1);
    await crm.deleteDeal(deal.id!);
    expect((await crm.getDeals('qualified')).map((d) => d.id)).not.toContain(deal.id);
    await expect(new Parse.Query('Deal').get(deal.id!)).rejects.toMatchObject({ code: Parse.Error.OBJECT_NOT_FOUND });
    await expect(crm.deleteDeal(deal.id!)).rejects.toMatchObject({ code: Parse.Error.OBJECT_NOT_FOUND });
  });

  it('a whole pipeline session: create, list, advance, delete', async () => {
    const contact = await crm.createContact('Pipeline Pat', 'pat@example.test');
    const a = await crm.createDeal('Pipe A', 'negotiation', 10);
    const b = await crm.createDeal('Pipe B', 'negotiation', 20);
    await setCloseDate(a, '2026-12-01T00:00:00.000Z');
    await setCloseDate(b, '2026-11-01T00:00:00.000Z');
    expect((await crm.getDeals('negotiation')).map((d) => d.get('title'))).toEqual(['Pipe B', 'Pipe A']);
    await crm.updateDealStage(b.id!, 'won');
    expect((await crm.getDeals('negotiation')).map((d) => d.get('title'))).toEqual(['Pipe A']);
    await crm.deleteDeal(a.id!);
    expect(await crm.getDeals('negotiation')).toEqual([]);
    expect((await crm.getContacts()).map((c) => c.id)).toContain(contact.id);
  });
});
