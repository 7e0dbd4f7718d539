/**
 * An install from before duplicate detection: its Contact/Company classes lack the key fields. The next start
 * adds them (and their index) and computes the keys of existing rows, so new records are checked against old ones.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crmOk, dataDirArgs, onDataDir, removeTempDirs, tempDir } from '../cli/harness.js';
import { MASTER } from '../../src/security/auth.js';

afterAll(removeTempDirs);

describe('upgrading an older install', () => {
  it('adds the key fields and backfills keys of existing rows', async () => {
    const dir = tempDir();
    await onDataDir(dir, async (services) => {
      for (const [className, key] of [
        ['Contact', 'emailKey'],
        ['Company', 'domainKey'],
      ] as const) {
        const { schema } = services.schema.get(className)!;
        const fields = { ...schema.fields };
        delete fields[key];
        delete fields.duplicateOf;
        const indexes = { ...schema.indexes };
        delete indexes[key];
        await services.schema.save(schema, { ...schema, fields, indexes });
      }
      await services.objects.create(MASTER, 'Contact', { name: 'Old', email: ' Old@Example.COM' });
      await services.objects.create(MASTER, 'Company', { name: 'Old Co', website: 'https://www.old.example/x' });
      await services.objects.create(MASTER, 'Company', { name: 'No site', website: 'n/a' });
    });
    await onDataDir(dir, async (services) => {
      expect(services.schema.get('Contact')!.schema.indexes).toHaveProperty('emailKey');
      const [contact] = (await services.objects.find(MASTER, 'Contact', {})).results;
      expect(contact.emailKey).toBe('old@example.com');
      const companies = (await services.objects.find(MASTER, 'Company', { order: 'name' })).results;
      expect(companies.map((c) => c.domainKey ?? null)).toEqual([null, 'old.example']);
      const again = await services.objects.create(MASTER, 'Contact', { name: 'New', email: 'old@example.com' });
      expect(again.duplicateOf).toEqual({ __type: 'Pointer', className: 'Contact', objectId: contact.objectId });
    });
  });

  it('crm import (JSON) derives the keys whatever the file says', async () => {
    const dump = path.join(tempDir(), 'dump');
    mkdirSync(dump);
    const contact = { objectId: 'c1AAAAAAAA', name: 'Foreign', email: 'Foreign@Example.com ', emailKey: 'forged' };
    const company = { objectId: 'k1AAAAAAAA', name: 'Foreign Co', website: 'http://WWW.foreign.example/' };
    writeFileSync(path.join(dump, 'Contact.json'), JSON.stringify({ results: [contact] }));
    writeFileSync(path.join(dump, 'Company.json'), JSON.stringify({ results: [company] }));
    const target = tempDir();
    await crmOk([...dataDirArgs(target), 'import', dump]);
    await onDataDir(target, async (services) => {
      expect((await services.objects.get(MASTER, 'Contact', 'c1AAAAAAAA', {})).emailKey).toBe('foreign@example.com');
      expect((await services.objects.get(MASTER, 'Company', 'k1AAAAAAAA', {})).domainKey).toBe('foreign.example');
    });
  });
});
