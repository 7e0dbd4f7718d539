/**
 * The search index outside the request path, on SQLite and PostgreSQL: rows written by the bulk import
 * (`crm import`'s ImportService) are found, rows that existed before the index did are indexed when the
 * services start, and dropping or re-adding an indexed field through the Schema API keeps search working.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { onStore, postgresOrNull, removeTempDirs, tempDir } from '../cli/harness.js';
import type { GlobalOptions } from '../../src/cli/context.js';
import { MASTER } from '../../src/security/auth.js';
import { ImportService } from '../../src/service/import-service.js';
import type { Services } from '../../src/service/services.js';

const pg = await postgresOrNull();

afterAll(async () => {
  removeTempDirs();
  await pg?.drop();
});

const search = async (services: Services, q: string, classes?: string[]) =>
  (await services.search.search(MASTER, { q, ...(classes ? { classes } : {}) })).map((h) => h.title);

interface Backend {
  name: string;
  options: () => GlobalOptions;
  /** Removes every trace of the search index, as in a database from before search existed. */
  forgetIndex: (options: GlobalOptions) => Promise<void>;
}

const sqlite: Backend = {
  name: 'SQLite',
  options: () => ({ dataDir: tempDir('crm-search-') }),
  async forgetIndex(options) {
    const db = new Database(path.join(options.dataDir!, 'crm.sqlite'));
    for (const { name } of db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '_Search:%'`)
      .all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    for (const className of ['Contact', 'Company', 'Deal']) db.exec(`DROP TABLE "_Search:${className}"`);
    db.exec(`DROP TABLE "_SearchIndex"`);
    db.close();
  },
};

const postgres: Backend | null = pg && {
  name: 'PostgreSQL',
  options: () => ({ databaseUrl: pg.url, databaseSchema: pg.schema }),
  async forgetIndex(options) {
    const { Client } = createRequire(import.meta.url)('pg') as typeof import('pg');
    const client = new Client({ connectionString: options.databaseUrl });
    await client.connect();
    try {
      for (const className of ['Contact', 'Company', 'Deal']) {
        await client.query(`ALTER TABLE "${options.databaseSchema}"."${className}" DROP COLUMN "_search"`);
      }
      await client.query(`DROP TABLE "${options.databaseSchema}"."_SearchIndex"`);
    } finally {
      await client.end();
    }
  },
};

for (const backend of [sqlite, postgres]) {
  describe.skipIf(!backend)(`search index on ${backend?.name ?? 'PostgreSQL (not reachable)'}`, () => {
    const { options, forgetIndex } = backend!;
    const store = options();

    it('imported rows are found', async () => {
      await onStore(store, async (services) => {
        const importer = new ImportService(services.storage, services.schema, services.schemas);
        const result = await importer.importObjects('Contact', [
          {
            objectId: 'imp0000001',
            name: 'Imported Ingrid',
            createdAt: '2024-01-01T00:00:00.000Z',
            updatedAt: '2024-01-01T00:00:00.000Z',
          },
          {
            objectId: 'imp0000002',
            name: 'Imported Ivo',
            email: 'ivo@import.example',
            createdAt: '2024-01-01T00:00:00.000Z',
            updatedAt: '2024-01-01T00:00:00.000Z',
          },
        ]);
        expect(result.written).toBe(2);
        expect((await search(services, 'imported')).sort()).toEqual(['Imported Ingrid', 'Imported Ivo']);
        expect(await search(services, 'import.example')).toEqual(['Imported Ivo']);
      });
    });

    it('rows written before the index existed are indexed at start', async () => {
      await onStore(store, async (services) => {
        await services.objects.create(MASTER, 'Deal', { title: 'Legacy Lighthouse', amount: 1, stage: 'lead' });
      });
      await forgetIndex(store);
      await onStore(store, async (services) => {
        expect(await search(services, 'lighthouse')).toEqual(['Legacy Lighthouse']);
        expect((await search(services, 'imported')).sort()).toEqual(['Imported Ingrid', 'Imported Ivo']);
        // and the rebuilt index follows writes again
        await services.objects.create(MASTER, 'Deal', { title: 'Lighthouse two', amount: 1, stage: 'lead' });
        expect((await search(services, 'lighthouse')).sort()).toEqual(['Legacy Lighthouse', 'Lighthouse two']);
      });
    });

    it('dropping an indexed field keeps search and writes working; re-adding it indexes it again', async () => {
      await onStore(store, async (services) => {
        await services.objects.create(MASTER, 'Company', { name: 'Globex', industry: 'Nuclear', notes: 'met at the fair' });
        expect(await search(services, 'fair')).toEqual(['Globex']);
        const company = services.schema.get('Company')!.schema;
        await services.schemas.update('Company', { fields: { notes: { __op: 'Delete' } } });
        expect(company.fields.notes).toBeDefined();
        expect(await search(services, 'fair')).toEqual([]);
        expect(await search(services, 'nuclear')).toEqual(['Globex']);
        await services.objects.create(MASTER, 'Company', { name: 'Initech', industry: 'Nuclear software' });
        expect((await search(services, 'nuclear')).sort()).toEqual(['Globex', 'Initech']);

        await services.schemas.update('Company', { fields: { notes: { type: 'String' } } });
        await services.objects.create(MASTER, 'Company', { name: 'Umbrella', notes: 'another fair' });
        expect(await search(services, 'fair')).toEqual(['Umbrella']);
      });
    });
  });
}
