/**
 * Attacks on row-level isolation under the CRM policy (docs/SECURITY.md): a rep reaching another rep's rows through
 * get/find/count/update/delete/batch, and the positive side — each rep sees exactly their own, the manager reads
 * everything but writes nothing foreign, the admin reads and writes everything, and reassigning a deal moves it
 * (and its activities) to the new owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, parseError } from '../helpers/http.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, idsOf, pointer, seedRep, sorted, startCrmServer, type Cast, type RepData } from './helpers/cast.js';

let server: TestServer;
let cast: Cast;
let r1: RepData;
let r2: RepData;

const CRM_CLASSES = ['Company', 'Contact', 'Deal', 'Activity'] as const;
type CrmClass = (typeof CRM_CLASSES)[number];
const key: Record<CrmClass, keyof RepData> = { Company: 'company', Contact: 'contact', Deal: 'deal', Activity: 'activity' };

beforeAll(async () => {
  server = await startCrmServer();
  cast = await createCast(server);
  r1 = await seedRep(cast.rep1);
  r2 = await seedRep(cast.rep2);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

async function masterGet(className: string, objectId: string) {
  const res = await cast.http.get(`/classes/${className}/${objectId}`, { master: true });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe("another rep's rows are invisible (read)", () => {
  for (const className of CRM_CLASSES) {
    it(`${className}: get of rep1's object by rep2 → 404/101`, async () => {
      const res = await cast.rep2.get(`/classes/${className}/${r1[key[className]]}`);
      expect(outcome(res)).toEqual(parseError(404, 101));
    });

    it(`${className}: each rep's find holds exactly their own rows`, async () => {
      expect(idsOf(await cast.rep1.find(className))).toEqual([r1[key[className]]]);
      expect(idsOf(await cast.rep2.find(className))).toEqual([r2[key[className]]]);
    });

    it(`${className}: find aimed at rep1's id (objectId, $in, $or, $ne) by rep2 never includes it`, async () => {
      const foreign = r1[key[className]];
      for (const where of [
        { objectId: foreign },
        { objectId: { $in: [foreign, r2[key[className]]] } },
        { $or: [{ objectId: foreign }, { objectId: 'nope123456' }] },
        { objectId: { $ne: 'nope123456' } },
      ]) {
        const ids = idsOf(await cast.rep2.find(className, { where }));
        expect(ids, JSON.stringify(where)).not.toContain(foreign);
      }
    });

    it(`${className}: count excludes rows the caller cannot read`, async () => {
      const own = await cast.rep2.count(className);
      expect(own.status, own.text).toBe(200);
      expect(own.body).toEqual({ results: [], count: 1 });
      const aimed = await cast.rep2.count(className, { objectId: r1[key[className]] });
      expect(aimed.body).toEqual({ results: [], count: 0 });
      // count alongside a page (count=1 with a limit) must agree with the page
      const paged = await cast.rep2.get(`/classes/${className}`, { count: 1, limit: 10 });
      expect(paged.body.count).toBe(1);
      expect(paged.body.results).toHaveLength(1);
    });
  }

  it('skip/limit paging does not walk into foreign rows', async () => {
    const page = await cast.rep2.find('Deal', { skip: 1, limit: 10 });
    expect(idsOf(page)).toEqual([]);
  });
});

describe("another rep's rows cannot be changed", () => {
  for (const className of CRM_CLASSES) {
    it(`${className}: update of rep1's object by rep2 → 404/101 and nothing changes`, async () => {
      const id = r1[key[className]];
      const before = await masterGet(className, id);
      const field = className === 'Activity' ? 'description' : 'notes';
      const res = await cast.rep2.put(`/classes/${className}/${id}`, { [field]: 'pwned' });
      expect(outcome(res)).toEqual(parseError(404, 101));
      expect(await masterGet(className, id)).toEqual(before);
    });

    it(`${className}: rep2 cannot grant themselves rep1's object through an ACL update → 404/101`, async () => {
      const id = r1[key[className]];
      const res = await cast.rep2.put(`/classes/${className}/${id}`, { ACL: { [cast.rep2.id!]: { read: true, write: true } } });
      expect(outcome(res)).toEqual(parseError(404, 101));
      const still = await cast.rep2.get(`/classes/${className}/${id}`);
      expect(outcome(still)).toEqual(parseError(404, 101));
    });

    it(`${className}: delete of rep1's object by rep2 → 404/101 and it still exists`, async () => {
      const id = r1[key[className]];
      const res = await cast.rep2.delete(`/classes/${className}/${id}`);
      expect(outcome(res)).toEqual(parseError(404, 101));
      await masterGet(className, id);
    });
  }

  it("rep2 cannot take over rep1's deal by setting assignedTo → 404/101", async () => {
    const res = await cast.rep2.put(`/classes/Deal/${r1.deal}`, { assignedTo: cast.rep2.pointer });
    expect(outcome(res)).toEqual(parseError(404, 101));
    expect((await masterGet('Deal', r1.deal)).assignedTo).toEqual(cast.rep1.pointer);
  });

  it('batch with foreign ids: foreign items fail with 101 each, own items succeed', async () => {
    const res = await cast.rep2.batch([
      { method: 'PUT', path: `/parse/classes/Deal/${r1.deal}`, body: { stage: 'won' } },
      { method: 'PUT', path: `/parse/classes/Deal/${r2.deal}`, body: { stage: 'qualified' } },
      { method: 'DELETE', path: `/parse/classes/Activity/${r1.activity}` },
      { method: 'GET', path: `/parse/classes/Contact/${r1.contact}` },
      { method: 'PUT', path: `/parse/classes/Company/${r1.company}`, body: { notes: 'x' } },
      { method: 'POST', path: '/parse/classes/Company', body: { name: 'rep2 batch Co' } },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toHaveLength(6);
    expect(res.body[0].error?.code).toBe(101);
    expect(res.body[1].success?.updatedAt).toEqual(expect.any(String));
    expect(res.body[2].error?.code).toBe(101);
    expect(res.body[3].error?.code).toBe(101);
    expect(res.body[4].error?.code).toBe(101);
    expect(res.body[5].success?.objectId).toEqual(expect.any(String));
    expect((await masterGet('Deal', r1.deal)).stage).toBe('lead');
    expect((await masterGet('Deal', r2.deal)).stage).toBe('qualified');
    await masterGet('Activity', r1.activity);
    // the batch-created company belongs to rep2 only
    const created = await cast.rep1.get(`/classes/Company/${res.body[5].success.objectId}`);
    expect(outcome(created)).toEqual(parseError(404, 101));
    await cast.http.delete(`/classes/Company/${res.body[5].success.objectId}`, { master: true });
  });
});

describe('manager: reads everything, writes nothing foreign', () => {
  for (const className of CRM_CLASSES) {
    it(`${className}: find and count show both reps' rows`, async () => {
      const ids = idsOf(await cast.mgr.find(className));
      expect(ids).toEqual(expect.arrayContaining([r1[key[className]], r2[key[className]]]));
      const count = await cast.mgr.count(className);
      expect(count.body.count).toBe(ids.length);
      const get = await cast.mgr.get(`/classes/${className}/${r1[key[className]]}`);
      expect(get.status, get.text).toBe(200);
    });
  }

  it("update and delete of a rep's deal → 404/101", async () => {
    const put = await cast.mgr.put(`/classes/Deal/${r1.deal}`, { stage: 'lost' });
    expect(outcome(put)).toEqual(parseError(404, 101));
    const del = await cast.mgr.delete(`/classes/Deal/${r1.deal}`);
    expect(outcome(del)).toEqual(parseError(404, 101));
    expect((await masterGet('Deal', r1.deal)).stage).toBe('lead');
  });

  it("update of a rep's activity, company, contact → 404/101", async () => {
    for (const [className, id] of [
      ['Activity', r2.activity],
      ['Company', r2.company],
      ['Contact', r2.contact],
    ] as const) {
      const field = className === 'Activity' ? 'description' : 'notes';
      const put = await cast.mgr.put(`/classes/${className}/${id}`, { [field]: 'mgr' });
      expect(outcome(put), className).toEqual(parseError(404, 101));
    }
  });
});

describe('admin: reads and writes everything', () => {
  it('finds every row of every CRM class', async () => {
    for (const className of CRM_CLASSES) {
      const ids = idsOf(await cast.admin.find(className));
      expect(ids, className).toEqual(expect.arrayContaining([r1[key[className]], r2[key[className]]]));
    }
  });

  it("updates a rep's deal and deletes a rep's contact", async () => {
    const put = await cast.admin.put(`/classes/Deal/${r1.deal}`, { amount: 1500 });
    expect(put.status, put.text).toBe(200);
    expect((await masterGet('Deal', r1.deal)).amount).toBe(1500);
    const victim = await cast.rep2.create('Contact', { name: 'to delete' });
    const del = await cast.admin.delete(`/classes/Contact/${victim}`);
    expect(del.status, del.text).toBe(200);
    expect(outcome(await cast.http.get(`/classes/Contact/${victim}`, { master: true }))).toEqual(parseError(404, 101));
  });
});

describe('reassigning a deal moves visibility', () => {
  let deal: string;
  let repActivity: string;
  let adminActivity: string;

  beforeAll(async () => {
    deal = await cast.rep1.create('Deal', { title: 'Handover deal', amount: 10 });
    repActivity = await cast.rep1.create('Activity', { subject: 'rep1 note on handover', relatedTo: pointer('Deal', deal) });
    adminActivity = await cast.admin.create('Activity', { subject: 'admin note on handover', relatedTo: pointer('Deal', deal) });
  });

  it('before: rep1 sees the deal and both activities, rep2 nothing', async () => {
    expect((await cast.rep1.get(`/classes/Deal/${deal}`)).status).toBe(200);
    const where = { relatedTo: pointer('Deal', deal) };
    expect(idsOf(await cast.rep1.find('Activity', { where }))).toEqual(sorted([repActivity, adminActivity]));
    expect(outcome(await cast.rep2.get(`/classes/Deal/${deal}`))).toEqual(parseError(404, 101));
    expect(idsOf(await cast.rep2.find('Activity', { where }))).toEqual([]);
  });

  it('admin sets assignedTo to rep2', async () => {
    const res = await cast.admin.put(`/classes/Deal/${deal}`, { assignedTo: cast.rep2.pointer });
    expect(res.status, res.text).toBe(200);
  });

  it('after: rep2 reads, counts and writes the deal and sees its activities', async () => {
    const get = await cast.rep2.get(`/classes/Deal/${deal}`);
    expect(get.status, get.text).toBe(200);
    expect(idsOf(await cast.rep2.find('Deal'))).toEqual(sorted([r2.deal, deal]));
    expect((await cast.rep2.count('Deal')).body.count).toBe(2);
    const where = { relatedTo: pointer('Deal', deal) };
    expect(idsOf(await cast.rep2.find('Activity', { where }))).toEqual(sorted([repActivity, adminActivity]));
    const put = await cast.rep2.put(`/classes/Deal/${deal}`, { stage: 'negotiation' });
    expect(put.status, put.text).toBe(200);
  });

  it('after: rep1 no longer sees or writes the deal, nor the activity it did not write', async () => {
    expect(outcome(await cast.rep1.get(`/classes/Deal/${deal}`))).toEqual(parseError(404, 101));
    expect(idsOf(await cast.rep1.find('Deal'))).toEqual([r1.deal]);
    expect((await cast.rep1.count('Deal')).body.count).toBe(1);
    expect(outcome(await cast.rep1.put(`/classes/Deal/${deal}`, { stage: 'won' }))).toEqual(parseError(404, 101));
    expect(outcome(await cast.rep1.delete(`/classes/Deal/${deal}`))).toEqual(parseError(404, 101));
    const where = { relatedTo: pointer('Deal', deal) };
    // rep1 wrote repActivity (createdBy rw stays); the admin's activity followed the deal to rep2
    expect(idsOf(await cast.rep1.find('Activity', { where }))).toEqual([repActivity]);
    expect(outcome(await cast.rep1.get(`/classes/Activity/${adminActivity}`))).toEqual(parseError(404, 101));
  });

  it('after: the manager still sees the deal', async () => {
    expect((await cast.mgr.get(`/classes/Deal/${deal}`)).status).toBe(200);
  });
});

describe('the deal-owner lookup of a new activity is not an oracle', () => {
  it('an activity related to a deal the caller cannot read gets the same ACL as one related to a missing deal', async () => {
    const hidden = await cast.rep2.create('Activity', { subject: 'probe hidden', relatedTo: pointer('Deal', r1.deal) });
    const missing = await cast.rep2.create('Activity', { subject: 'probe missing', relatedTo: pointer('Deal', 'ZZZZZZZZZZ') });
    const a = await cast.rep2.get(`/classes/Activity/${hidden}`);
    const b = await cast.rep2.get(`/classes/Activity/${missing}`);
    expect(a.status, a.text).toBe(200);
    expect(b.status, b.text).toBe(200);
    // Otherwise the ACL tells rep2 that the deal exists and who owns it (rep1's id appears in it).
    expect(Object.keys(a.body.ACL ?? {}).sort()).toEqual(Object.keys(b.body.ACL ?? {}).sort());
    expect(JSON.stringify(a.body)).not.toContain(cast.rep1.id!);
  });

  it('moving an own activity onto a hidden deal reveals nothing either', async () => {
    const own = await cast.rep2.create('Activity', { subject: 'probe move' });
    const put = await cast.rep2.put(`/classes/Activity/${own}`, { relatedTo: pointer('Deal', r1.deal) });
    expect(put.status, put.text).toBe(200);
    const read = await cast.rep2.get(`/classes/Activity/${own}`);
    expect(JSON.stringify(read.body)).not.toContain(cast.rep1.id!);
  });
});
