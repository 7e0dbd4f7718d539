import { describe, expect, it } from 'vitest';
import { compileClass } from '../schema/compiled.js';
import { crmClassSchemas } from '../crm/crm-schema.js';
import { readCsv, resolveColumns } from './csv-rows.js';

const cls = (name: string) => compileClass(crmClassSchemas().find((s) => s.className === name)!);

describe('CSV columns', () => {
  it('are guessed from field names and common headings; the first guess for a field wins', () => {
    const { targets, ignored } = resolveColumns(
      cls('Contact'),
      ['Full Name', 'E-mail', 'Employer', 'Company', 'Mobile', 'createdBy', 'emailKey', 'Remarks'],
      new Map(),
    );
    expect(targets).toEqual(['name', 'email', 'company', null, 'phone', null, null, null]);
    expect(ignored).toEqual(['Company', 'createdBy', 'emailKey', 'Remarks']);
  });

  it('follow an explicit mapping; two columns for one field are refused', () => {
    const deal = cls('Deal');
    expect(
      resolveColumns(
        deal,
        ['A', 'B'],
        new Map([
          ['A', 'title'],
          ['B', ''],
        ]),
      ).targets,
    ).toEqual(['title', null]);
    expect(() =>
      resolveColumns(
        deal,
        ['A', 'B'],
        new Map([
          ['A', 'title'],
          ['B', 'title'],
        ]),
      ),
    ).toThrow(/Two columns fill title/);
    expect(() => resolveColumns(deal, ['A'], new Map([['A', 'createdBy']]))).toThrow(/Deal has no field "createdBy"/);
  });

  it('keep named pointers as text, with their column, and report bad cells with theirs', () => {
    const parsed = readCsv('Title,Amount,Contact\nA,12,ada@x.example\nB,lots,\n', cls('Deal'), new Map(), {});
    expect(parsed.rows).toEqual([
      {
        line: 2,
        body: { title: 'A', amount: 12 },
        refs: [{ field: 'contact', column: 'Contact', target: 'Contact', text: 'ada@x.example' }],
      },
    ]);
    expect(parsed.problems).toEqual([{ line: 3, column: 'Amount', reason: 'amount: "lots" is not a number' }]);
  });

  it('read a range of data rows', () => {
    const parsed = readCsv('name\na\nb\nc\nd\n', cls('Company'), new Map(), { from: 1, count: 2 });
    expect(parsed.rows.map((r) => r.body.name)).toEqual(['b', 'c']);
    expect(parsed.totalRows).toBe(4);
  });
});
