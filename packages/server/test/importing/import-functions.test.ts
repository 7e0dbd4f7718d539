/**
 * `importCsv` / `exportCsv` through the SDK, as the CRM's users: a 10,000-row file with bad rows, names
 * resolved only against what the importer can see, colliding names, duplicates, the size limit, and a round
 * trip export → import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS } from '../helpers/server.js';
import { make, Parse, startSdkCast, type SdkCast } from '../duplicates/sdk-fixture.js';

let ctx: SdkCast;

beforeAll(async () => {
  ctx = await startSdkCast();
}, START_TIMEOUT_MS);
afterAll(() => ctx?.server.close());

const count = (className: string, where: Record<string, unknown> = {}) => {
  const query = new Parse.Query(className);
  for (const [field, value] of Object.entries(where)) query.equalTo(field, value);
  return query.count({ useMasterKey: true });
};
const run = (name: string, params: Record<string, unknown>, as: { sessionToken: string }) => Parse.Cloud.run(name, params, as);

describe('importCsv at scale', () => {
  it('10,000 contacts with bad rows: a dry run lists them and writes nothing; the import creates the rest as the rep', async () => {
    const { rep1, rep2 } = ctx.as;
    const lines = ['Name,Email,Phone,Company'];
    for (let i = 1; i <= 10_000; i++) {
      if (i % 1000 === 0) lines.push(`,missing-name-${i}@bulk.example,,Bulk ${i % 7}`);
      else if (i % 1000 === 1) lines.push(`Bad Email ${i},not-an-email,,Bulk ${i % 7}`);
      else lines.push(`Person ${i},person${i}@bulk.example,+1 555 ${i},Bulk ${i % 7}`);
    }
    lines.push('Again Person 2,PERSON2@bulk.example,,Bulk 2');
    const csv = lines.join('\n');

    const dry = await run('importCsv', { className: 'Contact', csv, dryRun: true }, rep1);
    expect(dry.totalRows).toBe(10_001);
    expect(dry.imported).toBe(9_981);
    expect(dry.problems).toHaveLength(20);
    // Line numbers count the header: data row i is line i + 1.
    expect(dry.problems[0]).toEqual({ line: 2, column: 'Email', reason: 'email: "not-an-email" is not an email address' });
    expect(dry.problems[1]).toEqual({ line: 1001, reason: 'name is required' });
    expect(dry.created.Company.sort()).toEqual(['Bulk 0', 'Bulk 1', 'Bulk 2', 'Bulk 3', 'Bulk 4', 'Bulk 5', 'Bulk 6']);
    expect(dry.duplicates).toEqual([{ line: 10_002, key: 'person2@bulk.example', sameAsLine: 3 }]);
    expect(await count('Contact')).toBe(0);
    expect(await count('Company')).toBe(0);

    const started = Date.now();
    const done = await run('importCsv', { className: 'Contact', csv }, rep1);
    const seconds = (Date.now() - started) / 1000;
    expect(done.imported).toBe(9_981);
    expect(done.problems).toHaveLength(20);
    expect(seconds).toBeLessThan(60);
    expect(await count('Contact')).toBe(9_981);
    expect(await count('Company')).toBe(7);
    // The rep owns what they imported; the other rep sees none of it.
    expect(await new Parse.Query('Contact').count(rep1)).toBe(9_981);
    expect(await new Parse.Query('Contact').count(rep2)).toBe(0);
    // The duplicate row was flagged against the earlier row.
    const again = await new Parse.Query('Contact').equalTo('name', 'Again Person 2').first(rep1);
    const original = await new Parse.Query('Contact').equalTo('name', 'Person 2').first(rep1);
    expect((again!.get('duplicateOf') as Parse.Object).id).toBe(original!.id);
    expect((original!.get('company') as Parse.Object).id).toBeTruthy();
  }, 180_000);
});

describe('names resolve only against what the importer can see', () => {
  it("a rep's company named like another rep's private one is created anew for the rep", async () => {
    const { rep1, rep2 } = ctx.as;
    await make('Company', { name: 'Secret Corp' }, rep2);
    const report = await run('importCsv', { className: 'Contact', csv: 'name,company\nSpy,Secret Corp\n' }, rep1);
    expect(report.created).toEqual({ Company: ['Secret Corp'] });
    expect(await count('Company', { name: 'Secret Corp' })).toBe(2);
  });

  it('deals link to contacts by email or name, companies by name, owners by username; unknown or hidden ones are bad rows', async () => {
    const { rep1, rep2 } = ctx.as;
    const company = await make('Company', { name: 'Initech' }, rep1);
    const peter = await make('Contact', { name: 'Peter Gibbons', email: 'peter@initech.example', company }, rep1);
    await make('Contact', { name: 'Hidden Person', email: 'hidden@rep2.example' }, rep2);
    const csv = [
      'Title,Amount,Stage,Close,Contact,Company,Owner',
      'TPS reports,"$1,200.50",lead,2026-03-01,peter@initech.example,initech,rep1',
      'By name,10,lead,,peter gibbons,Initech,',
      'Hidden,10,lead,,hidden@rep2.example,Initech,',
      'Nobody,10,lead,,nobody@nowhere.example,Initech,',
      'Bad owner,10,lead,,,Initech,no-such-user',
      'New company,10,lead,,,Brand New LLC,rep1',
      'Bad amount,lots,lead,,,,',
    ].join('\n');
    const mapping = {
      Title: 'title',
      Amount: 'amount',
      Stage: 'stage',
      Close: 'expectedCloseDate',
      Contact: 'contact',
      Company: 'company',
      Owner: 'assignedTo',
    };
    const dry = await run('importCsv', { className: 'Deal', csv, mapping, dryRun: true }, rep1);
    expect(dry.problems).toEqual([
      { line: 4, column: 'Contact', reason: 'no contact "hidden@rep2.example" that you can see' },
      { line: 5, column: 'Contact', reason: 'no contact "nobody@nowhere.example" that you can see' },
      { line: 6, column: 'Owner', reason: 'no user "no-such-user" that you can see' },
      { line: 8, column: 'Amount', reason: 'amount: "lots" is not a number' },
    ]);
    expect(dry.created).toEqual({ Company: ['Brand New LLC'] });
    const done = await run('importCsv', { className: 'Deal', csv, mapping }, rep1);
    expect(done.imported).toBe(3);
    const deals = await new Parse.Query('Deal')
      .containedIn('title', ['TPS reports', 'By name', 'New company'])
      .ascending('title')
      .find(rep1);
    expect(
      deals.map((d) => [
        d.get('title'),
        (d.get('contact') as Parse.Object | undefined)?.id,
        (d.get('assignedTo') as Parse.Object).id,
      ]),
    ).toEqual([
      ['By name', peter.id, ctx.cast.rep1.id],
      ['New company', undefined, ctx.cast.rep1.id],
      ['TPS reports', peter.id, ctx.cast.rep1.id],
    ]);
    expect(deals[2].get('amount')).toBe(1200.5);
    expect((deals[2].get('company') as Parse.Object).id).toBe(company.id);
  });

  it('colliding names are reported, unless exactly one of them is not flagged as a duplicate', async () => {
    const { mgr } = ctx.as;
    await make('Company', { name: 'Twin' }, mgr);
    await make('Company', { name: 'twin' }, mgr);
    const first = await make('Contact', { name: 'Same Name', email: 'same@twin.example' }, mgr);
    await make('Contact', { name: 'Same Name', email: 'SAME@twin.example' }, mgr); // flagged duplicate of `first`
    await make('Contact', { name: 'Jane Doe', email: 'jane1@twin.example' }, mgr);
    await make('Contact', { name: 'Jane Doe', email: 'jane2@twin.example' }, mgr);
    const csv = 'title,company,contact\nA,Twin,\nB,,same@twin.example\nC,,Jane Doe\nD,,Same Name\n';
    const report = await run('importCsv', { className: 'Deal', csv, dryRun: true }, mgr);
    expect(report.problems).toEqual([
      { line: 2, column: 'company', reason: '2 companies match "Twin"' },
      { line: 4, column: 'contact', reason: '2 contacts match "Jane Doe"' },
    ]);
    expect(report.imported).toBe(2);
    const done = await run('importCsv', { className: 'Deal', csv }, mgr);
    expect(done.imported).toBe(2);
    const b = await new Parse.Query('Deal').equalTo('title', 'B').first(mgr);
    expect((b!.get('contact') as Parse.Object).id).toBe(first.id);
  });
});

describe('bad requests', () => {
  it('are Parse errors: wrong class, unknown field, unreadable mapping, too large, anonymous', async () => {
    const { rep1 } = ctx.as;
    await expect(run('importCsv', { className: 'Activity', csv: 'subject\nx' }, rep1)).rejects.toMatchObject({ code: 162 });
    await expect(
      run('importCsv', { className: 'Contact', csv: 'name\nx', mapping: { name: 'nope' } }, rep1),
    ).rejects.toMatchObject({
      code: 162,
      message: expect.stringMatching(/Contact has no field "nope"/),
    });
    await expect(run('importCsv', { className: 'Contact', csv: 'name\nx', mapping: ['name'] }, rep1)).rejects.toMatchObject({
      code: 162,
    });
    await expect(run('importCsv', { className: 'Contact', csv: '' }, rep1)).rejects.toMatchObject({ code: 162 });
    await expect(run('importCsv', { className: 'Contact' }, rep1)).rejects.toMatchObject({ code: 162 });
    await expect(run('importCsv', { className: 'Contact', csv: `name\n${'x'.repeat(5_000_001)}` }, rep1)).rejects.toMatchObject({
      code: 116,
    });
    await expect(Parse.Cloud.run('importCsv', { className: 'Contact', csv: 'name\nx' })).rejects.toMatchObject({ code: 209 });
    await expect(run('exportCsv', { className: '_User' }, rep1)).rejects.toMatchObject({ code: 162 });
  });
});

describe('exportCsv', () => {
  it("never names a record the exporter cannot read: a pointer to another rep's company stays empty", async () => {
    const { rep1, rep2 } = ctx.as;
    const hidden = await make('Company', { name: 'Private Rep2 Holdings' }, rep2);
    await make('Deal', { title: 'Points at a hidden company', company: hidden }, rep1);
    const { csv } = await run('exportCsv', { className: 'Deal' }, rep1);
    expect(csv).toContain('Points at a hidden company,');
    expect(csv).not.toContain('Private Rep2 Holdings');
    const theirs = await run('exportCsv', { className: 'Company' }, rep1);
    expect(theirs.csv).not.toContain('Private Rep2 Holdings');
  });

  it('exports what the caller can read, pointers as names, and imports back the same', async () => {
    const { rep1, rep2 } = ctx.as;
    const company = await make('Company', { name: 'Round Trip Inc', website: 'roundtrip.example' }, rep2);
    const contact = await make('Contact', { name: 'Rita Round', email: 'rita@roundtrip.example', company }, rep2);
    await make('Contact', { name: 'Nomail Ned', company }, rep2);
    await make(
      'Deal',
      { title: 'Trip', amount: 42.5, stage: 'won', contact, company, expectedCloseDate: new Date('2026-05-01T00:00:00Z') },
      rep2,
    );
    const exported = await run('exportCsv', { className: 'Deal' }, rep2);
    expect(exported.rows).toBe(1);
    expect(exported.csv.split('\n')[0]).toBe(
      'title,amount,stage,contact,company,expectedCloseDate,notes,assignedTo,probability,lostReason',
    );
    expect(exported.csv.split('\n')[1]).toBe(
      'Trip,42.5,won,rita@roundtrip.example,Round Trip Inc,2026-05-01T00:00:00.000Z,,rep2,,',
    );
    // rep1 sees none of rep2's deals.
    expect((await run('exportCsv', { className: 'Deal' }, rep1)).csv).not.toContain('rita@roundtrip.example');

    const contacts = await run('exportCsv', { className: 'Contact' }, rep2);
    expect(contacts.csv).toContain('Nomail Ned,,,Round Trip Inc,');
    // Deleting and re-importing gives the same records back.
    for (const className of ['Deal', 'Contact', 'Company']) {
      for (const object of await new Parse.Query(className).find(rep2)) await object.destroy(rep2);
    }
    const companiesCsv = (await run('exportCsv', { className: 'Company' }, rep2)).csv;
    expect(companiesCsv).toBe('name,website,industry,address,notes\n');
    await run('importCsv', { className: 'Company', csv: 'name,website\nRound Trip Inc,roundtrip.example\n' }, rep2);
    expect((await run('importCsv', { className: 'Contact', csv: contacts.csv }, rep2)).imported).toBe(contacts.rows);
    expect((await run('importCsv', { className: 'Deal', csv: exported.csv }, rep2)).imported).toBe(1);
    // Same rows (new objectIds, so possibly another order).
    const lines = (csv: string) => csv.split('\n').sort();
    expect(lines((await run('exportCsv', { className: 'Deal' }, rep2)).csv)).toEqual(lines(exported.csv));
    expect(lines((await run('exportCsv', { className: 'Contact' }, rep2)).csv)).toEqual(lines(contacts.csv));
  });
});
