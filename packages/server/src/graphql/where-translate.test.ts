import { describe, expect, it } from 'vitest';
import { builtInSchemas } from '../schema/builtin.js';
import { compileClass } from '../schema/compiled.js';
import { toGlobalId } from './global-id.js';
import { buildModel } from './model.js';
import { toParseWhere } from './where-translate.js';

const model = buildModel(builtInSchemas().map(compileClass), []);
const where = (className: string, input: Record<string, unknown>) => toParseWhere(input, model.classes.get(className)!, model);
const date = (iso: string) => ({ __type: 'Date', iso });

describe('GraphQL where → Parse REST where', () => {
  it('operators map to Parse’s', () => {
    expect(
      where('Deal', {
        stage: { equalTo: 'qualified', notIn: ['lost'] },
        amount: { greaterThan: 1, lessThanOrEqualTo: 9 },
        title: { matchesRegex: '^a', options: 'i', exists: true },
        expectedCloseDate: { lessThan: date('2026-01-01T00:00:00.000Z') },
      }),
    ).toEqual({
      stage: { $eq: 'qualified', $nin: ['lost'] },
      amount: { $gt: 1, $lte: 9 },
      title: { $regex: '^a', $options: 'i', $exists: true },
      expectedCloseDate: { $lt: date('2026-01-01T00:00:00.000Z') },
    });
  });

  it('OR / AND / NOR nest; null operands and empty objects ask nothing', () => {
    expect(
      where('Deal', { OR: [{ stage: { equalTo: 'a' } }, { amount: { in: null, exists: null } }], AND: null, title: {} }),
    ).toEqual({
      $or: [{ stage: { $eq: 'a' } }, {}],
    });
    expect(where('Deal', { NOR: [{ stage: { equalTo: null } }] })).toEqual({ $nor: [{ stage: { $eq: null } }] });
  });

  it('id and objectId accept global ids', () => {
    expect(
      where('Deal', { id: { in: [toGlobalId('Deal', 'd1'), 'd2'] }, objectId: { notEqualTo: toGlobalId('Deal', 'd3') } }),
    ).toEqual({
      $and: [{ objectId: { $in: ['d1', 'd2'] } }, { objectId: { $ne: 'd3' } }],
    });
  });

  it('pointer have/haveNot become $inQuery/$notInQuery, equalTo a pointer', () => {
    expect(where('Deal', { company: { have: { name: { equalTo: 'Acme' } }, exists: true }, contact: { equalTo: 'c1' } })).toEqual(
      {
        company: { $inQuery: { className: 'Company', where: { name: { $eq: 'Acme' } } }, $exists: true },
        contact: { $eq: { __type: 'Pointer', className: 'Contact', objectId: 'c1' } },
      },
    );
  });

  it('polymorphic have is per class: any of them (have) or none (haveNot)', () => {
    expect(
      where('Activity', { relatedTo: { have: { Contact: { name: { equalTo: 'Bob' } }, Deal: { title: { equalTo: 'X' } } } } }),
    ).toEqual({
      $or: [
        { relatedTo: { $inQuery: { className: 'Contact', where: { name: { $eq: 'Bob' } } } } },
        { relatedTo: { $inQuery: { className: 'Deal', where: { title: { $eq: 'X' } } } } },
      ],
    });
    expect(where('Activity', { relatedTo: { haveNot: { Deal: {} } } })).toEqual({
      relatedTo: { $notInQuery: { className: 'Deal', where: {} } },
    });
  });

  it('inQueryKey takes GraphQL or Parse class names', () => {
    expect(
      where('Deal', { stage: { inQueryKey: { query: { className: 'User', where: { username: 'x' } }, key: 'username' } } }),
    ).toEqual({
      stage: { $select: { query: { className: '_User', where: { username: 'x' } }, key: 'username' } },
    });
  });
});
