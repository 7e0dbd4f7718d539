/**
 * `crm types`: interfaces and converters for every class of the live schema compile under strict
 * TypeScript, accept a real Parse.Object, and convert one the way the seed's crm.model.ts does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import Parse from 'parse/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmOk, dataDirArgs, removeTempDirs, tempDir } from './harness.js';

let out: string;
let model: string;

beforeAll(async () => {
  const dir = tempDir();
  const schemaFile = path.join(dir, 'extra.json');
  writeFileSync(
    schemaFile,
    JSON.stringify({
      classes: [
        {
          className: 'Project',
          fields: {
            name: { type: 'String', required: true },
            settings: { type: 'Object' },
            tags: { type: 'Array' },
            active: { type: 'Boolean' },
            members: { type: 'Relation', targetClass: '_User' },
          },
        },
      ],
    }),
  );
  await crmOk([...dataDirArgs(dir), 'schema', 'import', schemaFile]);
  out = tempDir('crm-types-');
  model = path.join(out, 'crm.model.ts');
  await crmOk([...dataDirArgs(dir), 'types', model]);
});

afterAll(removeTempDirs);

function compile(files: string[]): string[] {
  const parseTypes = createRequire(import.meta.url)
    .resolve('parse/node')
    .replace(/node\.js$/, 'types/node.d.ts');
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    noUnusedLocals: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
    paths: { 'parse/node': [parseTypes] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('crm types', () => {
  it('writes an interface and a converter per class, typed like the seed model', () => {
    const text = readFileSync(model, 'utf8');
    expect(text).toMatch(/export interface Deal \{\n {2}objectId\?: string;\n {2}title: string;\n {2}amount\?: number;/);
    expect(text).toMatch(/expectedCloseDate\?: string;/);
    expect(text).toMatch(/\/\*\* Pointer to Contact or Deal \*\/\n {2}relatedTo\?: ParsePointer;/);
    expect(text).toMatch(/export interface User \{[^}]*username: string;/);
    expect(text).toMatch(/export interface Project \{[^}]*settings\?: Record<string, unknown>;[^}]*tags\?: unknown\[\];/);
    expect(text).not.toMatch(/members/);
    for (const name of ['Activity', 'Company', 'Contact', 'Deal', 'Project', 'Role', 'Session', 'User'])
      expect(text).toContain(`export function to${name}(obj: ParseObjectLike): ${name}`);
  });

  it('compiles with tsc --strict, alone and used with the parse SDK', () => {
    const usage = path.join(out, 'usage.ts');
    writeFileSync(
      usage,
      [
        "import Parse from 'parse/node';",
        "import { toDeal, toContact, type Deal } from './crm.model.js';",
        "const deal: Deal = toDeal(new Parse.Object('Deal'));",
        "export const summary = `${deal.title} ${deal.amount ?? 0} ${toContact(new Parse.Object('Contact')).name}`;",
      ].join('\n'),
    );
    expect(compile([model])).toEqual([]);
    expect(compile([model, usage])).toEqual([]);
  });

  it('converts a Parse.Object: dates to ISO strings, pointers to pointer JSON', async () => {
    const { toDeal } = (await import(pathToFileURL(model).href)) as { toDeal: (o: unknown) => Record<string, unknown> };
    const deal = new Parse.Object('Deal');
    deal.id = 'deal123456';
    deal.set('title', 'Big one');
    deal.set('amount', 1200);
    deal.set('expectedCloseDate', new Date('2025-05-01T00:00:00.000Z'));
    const company = new Parse.Object('Company');
    company.id = 'comp123456';
    deal.set('company', company);
    expect(toDeal(deal)).toMatchObject({
      objectId: 'deal123456',
      title: 'Big one',
      amount: 1200,
      expectedCloseDate: '2025-05-01T00:00:00.000Z',
      company: { __type: 'Pointer', className: 'Company', objectId: 'comp123456' },
    });
  });
});
