/**
 * `crm import-csv`: column mapping, spreadsheet values, contacts linked to companies by name, bad rows
 * reported with their line numbers — by a dry run that writes nothing, and by a real run that imports the rest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm, crmOk, dataDirArgs, onDataDir, removeTempDirs, tempDir } from './harness.js';
import { MASTER } from '../../src/security/auth.js';
import { cellValue } from '../../src/importing/csv-rows.js';
import { parseMapping } from '../../src/cli/import-csv.js';

const CONTACTS = [
  'Full name,E-mail,Phone,Employer,Comment',
  'Ada Lovelace,ada@engines.example,+44 20 1234,Analytical Engines,Met at the expo',
  'Grace Hopper,grace@navy.example,,"Navy, Inc.",',
  ',nobody@example.com,,Analytical Engines,no name',
  'Alan Turing,not-an-email,,Bletchley Park,',
  '"Multi',
  'line name",multi@example.com,,Analytical Engines,quoted newline',
  'Too,Many,Columns,Here,At,All',
  'Katherine Johnson,kj@nasa.example,,analytical engines,same company other case',
].join('\n');

let dir: string;
let contactsFile: string;
const args = (...rest: string[]) => [...dataDirArgs(dir), ...rest];
const MAP = 'Full name=name,E-mail=email,Phone=phone,Employer=companyName,Comment=notes';

const count = (className: string) =>
  onDataDir(dir, async (s) => (await s.objects.find(MASTER, className, { count: 1, limit: 0 })).count);

beforeAll(async () => {
  dir = tempDir();
  contactsFile = path.join(dir, 'contacts.csv');
  writeFileSync(contactsFile, CONTACTS);
  await crmOk(args('user', 'add', 'rep', '--email', 'rep@example.com', '--password', 'rep-pass-1'));
});

afterAll(removeTempDirs);

describe('crm import-csv', () => {
  it('--dry-run reports each bad row by line and reason, and writes nothing', async () => {
    const run = await crm(args('import-csv', 'Contact', contactsFile, '--map', MAP, '--dry-run'));
    expect(run.code).toBe(1);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      'warning: line 4: name is required',
      'warning: line 5 (E-mail): email: "not-an-email" is not an email address',
      'warning: line 8: has 6 columns, the header has 5',
    ]);
    expect(run.stdout).toMatch(
      /dry run: 4 rows ready to import; would create 2 companies: Analytical Engines, Navy, Inc\.; nothing written/,
    );
    expect(run.stderr).toMatch(/error: 3 bad rows found/);
    expect(await count('Contact')).toBe(0);
    expect(await count('Company')).toBe(0);
  });

  it('a real run imports the good rows, linking companies by name (created once, case-insensitively)', async () => {
    const run = await crm(args('import-csv', 'Contact', contactsFile, '--map', MAP, '--as', 'rep'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/imported 4 Contacts \(2 new companies: Analytical Engines, Navy, Inc\.\)/);
    await onDataDir(dir, async (services) => {
      const { results: companies } = await services.objects.find(MASTER, 'Company', { order: 'name' });
      expect(companies.map((c) => c.name)).toEqual(['Analytical Engines', 'Navy, Inc.']);
      const { results: contacts } = await services.objects.find(MASTER, 'Contact', { include: 'company', order: 'name' });
      expect(contacts.map((c) => [c.name, (c.company as { name: string }).name])).toEqual([
        ['Ada Lovelace', 'Analytical Engines'],
        ['Grace Hopper', 'Navy, Inc.'],
        ['Katherine Johnson', 'Analytical Engines'],
        ['Multi\nline name', 'Analytical Engines'],
      ]);
      const rep = (await services.objects.find(MASTER, '_User', { where: { username: 'rep' } })).results[0];
      // Created as the rep: the CRM policy made them the owner.
      for (const contact of contacts) {
        expect(contact.createdBy).toMatchObject({ objectId: rep.objectId });
        expect(contact.ACL).toHaveProperty(String(rep.objectId));
      }
      expect(contacts[0]).toMatchObject({ email: 'ada@engines.example', phone: '+44 20 1234', notes: 'Met at the expo' });
    });
  });

  it('Companies with default column names and typed values; unknown mapping targets are refused up front', async () => {
    const file = path.join(dir, 'companies.csv');
    writeFileSync(file, 'name,website,industry,employees\nGlobex,https://globex.example,Energy,12\nInitech,,Software,\n');
    const run = await crmOk(args('import-csv', 'Company', file));
    expect(run.stdout).toMatch(/imported 2 Companies/);
    expect(run.stderr).toMatch(/ignoring columns: employees/);
    const bad = await crm(args('import-csv', 'Company', file, '--map', 'employees=headcount'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Company has no field "headcount"/);
    const wrongClass = await crm(args('import-csv', 'Activity', file));
    expect(wrongClass.stderr).toMatch(/takes Contact, Company, Deal/);
  });

  it('export-csv writes pointers as names; importing the file into another install gives the same rows', async () => {
    const deals = path.join(dir, 'deals.csv');
    writeFileSync(
      deals,
      'title,amount,contact,company,assignedTo\nEngine,1000,ada@engines.example,Analytical Engines,rep\nNavy,5,Grace Hopper,,rep@example.com\nBad,1,nobody@x.example,,\n',
    );
    const dry = await crm(args('import-csv', 'Deal', deals, '--dry-run'));
    expect(dry.stderr).toMatch(/warning: line 4 \(contact\): no contact "nobody@x.example" that you can see/);
    await crm(args('import-csv', 'Deal', deals));
    const files = Object.fromEntries(['Company', 'Contact', 'Deal'].map((c) => [c, path.join(dir, `${c}.csv`)]));
    for (const className of ['Company', 'Contact', 'Deal'])
      expect((await crmOk(args('export-csv', className, files[className]))).stdout).toMatch(/exported \d+ \w+ rows/);
    const exported = readFileSync(files.Deal, 'utf8');
    expect(exported.split('\n')).toContain('Engine,1000,,ada@engines.example,Analytical Engines,,,rep,,');

    const other = tempDir();
    const otherArgs = (...rest: string[]) => [...dataDirArgs(other), ...rest];
    await crmOk(otherArgs('user', 'add', 'rep', '--email', 'rep@example.com', '--password', 'rep-pass-1'));
    for (const className of ['Company', 'Contact', 'Deal']) await crmOk(otherArgs('import-csv', className, files[className]));
    const again = path.join(other, 'again.csv');
    await crmOk(otherArgs('export-csv', 'Deal', again));
    const sorted = (text: string) => text.split('\n').sort();
    expect(sorted(readFileSync(again, 'utf8'))).toEqual(sorted(exported));
  });

  it('reports progress on big files and the duplicates it flagged', async () => {
    const big = path.join(dir, 'big.csv');
    const rows = Array.from({ length: 2500 }, (_, i) => `Big ${i},big${i % 2400}@bulk.example`);
    writeFileSync(big, `name,email\n${rows.join('\n')}\n`);
    const run = await crmOk(args('import-csv', 'Contact', big));
    expect(run.stderr).toMatch(/2500\/2500 rows imported/);
    expect(run.stdout).toMatch(/100 possible duplicates flagged/);
    expect(run.stderr).toMatch(/line 2402: duplicate big0@bulk.example — same as line 2/);
  });

  it('turns spreadsheet text into field values', () => {
    expect(cellValue('amount', { type: 'Number' }, '$1,250.50')).toBe(1250.5);
    expect(() => cellValue('amount', { type: 'Number' }, 'lots')).toThrow(/amount: "lots" is not a number/);
    expect(cellValue('won', { type: 'Boolean' }, 'Yes')).toBe(true);
    expect(cellValue('due', { type: 'Date' }, '2025-03-01')).toEqual({ __type: 'Date', iso: '2025-03-01T00:00:00.000Z' });
    expect(cellValue('company', { type: 'Pointer', targetClass: 'Company' }, 'abc123XYZ0')).toEqual({
      __type: 'Pointer',
      className: 'Company',
      objectId: 'abc123XYZ0',
    });
    expect(parseMapping('A b=name, C=email')).toEqual(
      new Map([
        ['A b', 'name'],
        ['C', 'email'],
      ]),
    );
    expect(() => parseMapping('nonsense')).toThrow(/column=field/);
  });
});
