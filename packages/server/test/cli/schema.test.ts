/**
 * `crm schema export|import`: the live schema in the seed's format, and an import that only ever adds —
 * a round trip through a fresh data directory reproduces the schema exactly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crm, crmOk, dataDirArgs, removeTempDirs, tempDir } from './harness.js';
import { readSchemaDocument } from '../../src/cli/schema-format.js';

afterAll(removeTempDirs);

const CUSTOM = {
  classes: [
    {
      className: 'Project',
      fields: {
        name: { type: 'String', required: true },
        budget: { type: 'Number', required: false },
        deal: { type: 'Pointer', targetClass: 'Deal', required: false },
        lead: { type: 'Pointer', targetClass: 'Milestone', required: false },
        members: { type: 'Relation', targetClass: '_User', required: false },
      },
    },
    {
      className: 'Milestone',
      fields: { title: { type: 'String' }, project: { type: 'Pointer', targetClass: 'Project' }, due: { type: 'Date' } },
    },
    { className: 'Deal', fields: { confidence: { type: 'Number' }, amount: { type: 'String' } } },
  ],
};

describe('crm schema', () => {
  it('exports the seed format: CRM classes with objectId/createdAt/updatedAt and required flags', async () => {
    const dir = tempDir();
    const { stdout } = await crmOk([...dataDirArgs(dir), 'schema', 'export']);
    const schema = JSON.parse(stdout) as {
      classes: Array<{ className: string; fields: Record<string, Record<string, unknown>> }>;
    };
    const deal = schema.classes.find((c) => c.className === 'Deal')!;
    expect(deal.fields.objectId).toEqual({ type: 'String', required: false });
    expect(deal.fields.title).toEqual({ type: 'String', required: true });
    expect(deal.fields.company).toEqual({ type: 'Pointer', targetClass: 'Company', required: false });
    expect(deal.fields.updatedAt).toEqual({ type: 'Date', required: false });
    const activity = schema.classes.find((c) => c.className === 'Activity')!;
    expect(activity.fields.relatedTo).toEqual({ type: 'Pointer', targetClasses: ['Contact', 'Deal'], required: false });
    // The shipped seed file reads back as the same CRM classes.
    const seed = readSchemaDocument(
      JSON.parse(readFileSync(path.join(import.meta.dirname, '../../src/schema/crm.schema.json'), 'utf8')),
    );
    for (const cls of seed) expect(schema.classes.map((c) => c.className)).toContain(cls.className);
  });

  it('import creates missing classes (pointers between them in any order), adds fields, never changes a type', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'custom.json');
    writeFileSync(file, JSON.stringify(CUSTOM));
    const dry = await crmOk([...dataDirArgs(dir), 'schema', 'import', file, '--dry-run']);
    expect(dry.stdout).toMatch(/would create class Project/);
    const unchanged = JSON.parse((await crmOk([...dataDirArgs(dir), 'schema', 'export'])).stdout);
    expect(unchanged.classes.map((c: { className: string }) => c.className)).not.toContain('Project');

    const run = await crmOk([...dataDirArgs(dir), 'schema', 'import', file]);
    expect(run.stdout).toMatch(/created class Project/);
    expect(run.stdout).toMatch(/created class Milestone/);
    expect(run.stdout).toMatch(/added field Deal.confidence \(Number\)/);
    expect(run.stderr).toMatch(/kept Deal.amount as Number \(the file says String\)/);
    const again = await crmOk([...dataDirArgs(dir), 'schema', 'import', file]);
    expect(again.stdout).toMatch(/nothing to do/);

    const exported = JSON.parse((await crmOk([...dataDirArgs(dir), 'schema', 'export'])).stdout);
    const project = exported.classes.find((c: { className: string }) => c.className === 'Project');
    expect(project.fields.lead).toEqual({ type: 'Pointer', targetClass: 'Milestone', required: false });
    expect(project.fields.members).toEqual({ type: 'Relation', targetClass: '_User', required: false });
    expect(project.fields.name.required).toBe(true);
  });

  it('round trip: export → import into a fresh data directory → the same export', async () => {
    const source = tempDir();
    const file = path.join(source, 'custom.json');
    writeFileSync(file, JSON.stringify(CUSTOM));
    await crmOk([...dataDirArgs(source), 'schema', 'import', file]);
    const exportFile = path.join(source, 'schema.json');
    await crmOk([...dataDirArgs(source), 'schema', 'export', exportFile]);

    const fresh = tempDir();
    const run = await crmOk([...dataDirArgs(fresh), 'schema', 'import', exportFile]);
    expect(run.stdout).toMatch(/created class Milestone/);
    const roundTrip = (await crmOk([...dataDirArgs(fresh), 'schema', 'export'])).stdout;
    expect(JSON.parse(roundTrip)).toEqual(JSON.parse(readFileSync(exportFile, 'utf8')));
  });

  it("reads Parse's MongoDB _SCHEMA documents", () => {
    const [cls] = readSchemaDocument([
      {
        _id: 'Invoice',
        objectId: 'string',
        createdAt: 'date',
        total: 'number',
        customer: '*Company',
        lines: 'relation<Deal>',
        paid: 'boolean',
        _metadata: { fields_options: { total: { required: true } }, class_permissions: { find: { '*': true } } },
      },
    ]);
    expect(cls).toEqual({
      className: 'Invoice',
      fields: {
        total: { type: 'Number', required: true },
        customer: { type: 'Pointer', targetClass: 'Company' },
        lines: { type: 'Relation', targetClass: 'Deal' },
        paid: { type: 'Boolean' },
      },
      classLevelPermissions: { find: { '*': true } },
    });
  });

  it('a broken file fails with one line', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{"classes": [{"className": "X", "fields": {"a": {"type": "Nope"}}}]}');
    const run = await crm([...dataDirArgs(dir), 'schema', 'import', file]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/invalid field type: Nope/);
  });
});
