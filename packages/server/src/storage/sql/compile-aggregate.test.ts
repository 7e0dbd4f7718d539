import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../errors/parse-error.js';
import { parseWhere } from '../../query/parse-where.js';
import { crmSchema, dealClass, roleClass } from '../../query/test-fixtures.js';
import { compileDistinct, compilePipeline } from './compile-aggregate.js';
import { render, type DialectName, type SqlFragment } from './fragment.js';
import { openPgTestDb } from './pg-test-client.js';
import { createStatements, seedStatements } from './test-db.js';

const pipelineSql = (pipeline: unknown, dialect: DialectName) =>
  render(compilePipeline(pipeline, dealClass, crmSchema, { dialect }).fragment, dialect);
const distinct = (field: unknown, where: object, dialect: DialectName) =>
  compileDistinct(field, parseWhere(where, dealClass, crmSchema), dealClass, { dialect, table: 'Deal', schema: crmSchema });

function failure(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParseError) return error.code;
    throw error;
  }
  return 0;
}

describe('compilePipeline: SQL', () => {
  it('$match and $project fold into one SELECT', () => {
    const pipeline = [{ $match: { stage: 'won' } }, { $project: { title: 1, amount: 1 } }];
    expect(pipelineSql(pipeline, 'sqlite')).toEqual({
      text: 'SELECT "Deal"."objectId" AS "objectId", "Deal"."title" AS "title", "Deal"."amount" AS "amount" FROM "Deal" WHERE "Deal"."stage" = ?',
      params: ['won'],
    });
    expect(pipelineSql(pipeline, 'postgres').text).toBe(
      'SELECT "Deal"."objectId" AS "objectId", "Deal"."title" AS "title", "Deal"."amount" AS "amount" FROM "Deal" WHERE "Deal"."stage" = $1',
    );
  });

  it('$group groups by ordinal; a later $sort reads the grouped output', () => {
    const pipeline = [{ $group: { _id: '$stage', total: { $sum: '$amount' }, n: { $sum: 1 } } }, { $sort: { total: -1 } }];
    const inner =
      'SELECT "Deal"."stage" AS "objectId", SUM("Deal"."amount") AS "total", COUNT(*) * CAST(? AS DOUBLE PRECISION) AS "n" FROM "Deal" GROUP BY 1';
    expect(pipelineSql(pipeline, 'sqlite')).toEqual({
      text: `SELECT "ag$1"."objectId" AS "objectId", "ag$1"."total" AS "total", "ag$1"."n" AS "n" FROM (${inner}) AS "ag$1" ORDER BY "ag$1"."total" DESC`,
      params: [1],
    });
    expect(pipelineSql(pipeline, 'postgres')).toEqual({
      text: `SELECT "ag$1"."objectId" AS "objectId", "ag$1"."total" AS "total", "ag$1"."n" AS "n" FROM (${inner.replace('?', '$1')}) AS "ag$1" ORDER BY "ag$1"."total" DESC NULLS LAST`,
      params: [1],
    });
  });

  it('$group with _id null yields no row for an empty input', () => {
    expect(pipelineSql([{ $group: { _id: null, avg: { $avg: '$amount' }, c: { $count: {} } } }], 'sqlite')).toEqual({
      text: 'SELECT NULL AS "objectId", AVG("Deal"."amount") AS "avg", COUNT(*) AS "c" FROM "Deal" HAVING COUNT(*) > 0',
      params: [],
    });
  });

  it('$count', () => {
    expect(pipelineSql([{ $match: { won: true } }, { $count: 'n' }], 'postgres')).toEqual({
      text: 'SELECT COUNT(*) AS "n" FROM "Deal" WHERE "Deal"."won" = $1 HAVING COUNT(*) > 0',
      params: [true],
    });
  });

  it('$skip/$limit arithmetic; SQLite needs LIMIT -1 for a bare OFFSET', () => {
    const pipeline = [{ $sort: { amount: 1 } }, { $limit: 10 }, { $skip: 3 }, { $limit: 5 }, { $project: { amount: 1 } }];
    expect(pipelineSql(pipeline, 'sqlite')).toEqual({
      text: 'SELECT "Deal"."objectId" AS "objectId", "Deal"."amount" AS "amount" FROM "Deal" ORDER BY "Deal"."amount" ASC LIMIT 5 OFFSET ?',
      params: [3],
    });
    expect(pipelineSql([{ $skip: 2 }, { $project: { amount: 1 } }], 'sqlite').text).toMatch(/LIMIT -1 OFFSET \?$/);
    expect(pipelineSql([{ $skip: 2 }, { $project: { amount: 1 } }], 'sqlite').params).toEqual([2]);
    expect(pipelineSql([{ $skip: 2 }, { $project: { amount: 1 } }], 'postgres').text).toMatch(/FROM "Deal" OFFSET \$1$/);
  });

  it('a $match after $limit wraps, so it filters the limited rows', () => {
    const { text } = pipelineSql([{ $limit: 3 }, { $match: { stage: 'won' } }, { $project: { stage: 1 } }], 'sqlite');
    expect(text).toMatch(/FROM \(SELECT .* FROM "Deal" LIMIT 3 OFFSET \?\) AS "ag\$1" WHERE "ag\$1"."stage" = \?$/);
  });

  it('hostile output names stay quoted identifiers', () => {
    expect(failure(() => pipelineSql([{ $group: { _id: null, 'x" FROM y; --': { $sum: 1 } } }], 'sqlite'))).toBe(105);
    expect(failure(() => pipelineSql([{ $count: 'n" --' }], 'sqlite'))).toBe(102);
  });
});

describe('compilePipeline: errors', () => {
  it.each([
    ['pipeline not an array', 'nope', 102],
    ['stage with two operators', [{ $match: {}, $limit: 1 }], 102],
    ['unknown stage', [{ $lookup: {} }], 102],
    ['unsupported stage', [{ $unwind: '$tags' }], 102],
    ['$match on an unknown-syntax key', [{ $match: { $where: 'x' } }], 105],
    ['$match with a bad operand', [{ $match: { amount: { $in: 1 } } }], 107],
    ['$group without _id', [{ $group: { n: { $sum: 1 } } }], 102],
    ['$group with _id and objectId', [{ $group: { _id: null, objectId: null } }], 102],
    ['$group by an unknown field', [{ $group: { _id: '$nope' } }], 105],
    ['$group by a literal', [{ $group: { _id: 'stage' } }], 102],
    ['$group by an expression', [{ $group: { _id: { $year: '$createdAt' } } }], 105],
    ['unsupported accumulator', [{ $group: { _id: null, x: { $push: '$title' } } }], 102],
    ['accumulator with two operators', [{ $group: { _id: null, x: { $sum: 1, $avg: '$amount' } } }], 102],
    ['$sum of a String field', [{ $group: { _id: null, x: { $sum: '$title' } } }], 102],
    ['$avg of an unknown field', [{ $group: { _id: null, x: { $avg: '$nope' } } }], 105],
    ['$min of a Boolean', [{ $group: { _id: null, x: { $min: '$won' } } }], 102],
    ['$count accumulator with an argument', [{ $group: { _id: null, x: { $count: 1 } } }], 102],
    ['accumulator named $x', [{ $group: { _id: null, $x: { $sum: 1 } } }], 105],
    ['$sort by an unknown field', [{ $sort: { nope: 1 } }], 105],
    ['$sort direction 2', [{ $sort: { amount: 2 } }], 102],
    ['$sort empty', [{ $sort: {} }], 102],
    ['$limit 0', [{ $limit: 0 }], 102],
    ['$limit fractional', [{ $limit: 1.5 }], 102],
    ['$skip negative', [{ $skip: -1 }], 102],
    ['$skip huge', [{ $skip: 1e300 }], 102],
    ['$project of an unknown field', [{ $project: { nope: 1 } }], 105],
    ['$project mixing inclusion and exclusion', [{ $project: { title: 1, amount: 0 } }], 102],
    ['$project with a literal', [{ $project: { title: 'x' } }], 102],
    ['$project with an object', [{ $project: { title: { $concat: [] } } }], 102],
    ['$count not a string', [{ $count: 1 }], 102],
    ['$count with a dot', [{ $count: 'a.b' }], 102],
    ['too many stages', Array(33).fill({ $limit: 1 }), 102],
  ])('%s', (_name, pipeline, code) => {
    expect(failure(() => compilePipeline(pipeline, dealClass, crmSchema, { dialect: 'sqlite' }))).toBe(code);
  });
});

describe('compileDistinct: SQL and errors', () => {
  it('scalar field', () => {
    expect(render(distinct('stage', { won: true }, 'sqlite').fragment, 'sqlite')).toEqual({
      text: 'SELECT DISTINCT "Deal"."stage" AS "value" FROM "Deal" WHERE "Deal"."won" = ? AND "Deal"."stage" IS NOT NULL ORDER BY "value"',
      params: [1],
    });
  });

  it('Array fields unwind', () => {
    expect(render(distinct('tags', {}, 'postgres').fragment, 'postgres').text).toBe(
      'SELECT DISTINCT "el"."value" AS "value" FROM "Deal", jsonb_array_elements("Deal"."tags") AS "el"("value") WHERE 1=1 AND "el"."value" IS NOT NULL ORDER BY "value"',
    );
  });

  it.each([
    ['unknown field', 'nope', 105],
    ['ACL', 'ACL', 105],
    ['internal column', '_rperm', 105],
    ['dot path into a String', 'title.x', 105],
    ['SQL in the name', 'stage"; --', 105],
    ['not a string', 5, 102],
  ])('%s', (_name, field, code) => {
    expect(failure(() => distinct(field, {}, 'sqlite'))).toBe(code);
  });

  it('Relation fields have no values to list', () => {
    expect(
      failure(() =>
        compileDistinct('users', { kind: 'const', value: true }, roleClass, {
          dialect: 'sqlite',
          table: '_Role',
          schema: crmSchema,
        }),
      ),
    ).toBe(105);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Executed on both databases over the SEED data (test-db.ts)

const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });

const PIPELINES: { name: string; pipeline: unknown; expect: unknown[] }[] = [
  {
    name: '$match + $project + $sort',
    pipeline: [{ $match: { stage: 'won' } }, { $project: { title: 1, amount: 1 } }, { $sort: { amount: -1 } }],
    expect: [
      { objectId: 'd1', title: 'Alpha deal', amount: 1000 },
      { objectId: 'd8', title: `${'a'.repeat(40)}b`, amount: 42 },
      { objectId: 'd5', title: 'O\'Reilly "quoted" %_\\ deal', amount: -3 },
    ],
  },
  {
    name: '$group by stage with every accumulator',
    pipeline: [
      { $match: { stage: { $in: ['won', 'lead'] } } },
      {
        $group: {
          _id: '$stage',
          total: { $sum: '$amount' },
          n: { $sum: 1 },
          avg: { $avg: '$amount' },
          lo: { $min: '$amount' },
          last: { $max: '$expectedCloseDate' },
          c: { $count: {} },
        },
      },
      { $sort: { _id: 1 } },
    ],
    expect: [
      {
        objectId: 'lead',
        total: 250.5,
        n: 2,
        avg: 125.25,
        lo: 0,
        last: { __type: 'Date', iso: '2024-03-01T00:00:00.000Z' },
        c: 2,
      },
      {
        objectId: 'won',
        total: 1039,
        n: 3,
        avg: 1039 / 3,
        lo: -3,
        last: { __type: 'Date', iso: '2024-01-15T00:00:00.000Z' },
        c: 3,
      },
    ],
  },
  {
    name: '$group by a pointer, then $match on the count',
    pipeline: [{ $group: { _id: '$contact', n: { $sum: 1 } } }, { $match: { n: { $gt: 1 }, _id: { $ne: null } } }],
    expect: [{ objectId: pointer('Contact', 'c1'), n: 2 }],
  },
  {
    name: '$group by a compound key',
    pipeline: [
      { $match: { won: { $exists: true } } },
      { $group: { _id: { s: '$stage', w: '$won' }, n: { $sum: 1 } } },
      { $sort: { 'objectId.s': 1 } },
    ],
    expect: [
      { objectId: { s: 'lead', w: false }, n: 1 },
      { objectId: { s: 'negotiation', w: true }, n: 1 },
      { objectId: { s: 'won', w: true }, n: 1 },
    ],
  },
  {
    name: '$group by an Object sub-key: JSON null groups with missing',
    pipeline: [{ $group: { _id: '$meta.region', n: { $sum: 1 } } }, { $sort: { n: -1, objectId: 1 } }],
    expect: [
      { objectId: null, n: 5 },
      { objectId: 'emea', n: 2 },
      { objectId: 'amer', n: 1 },
    ],
  },
  {
    name: '$group _id null over everything',
    pipeline: [{ $match: { amount: { $gte: 0 } } }, { $group: { _id: null, total: { $sum: '$amount' } } }],
    expect: [{ objectId: null, total: 1000 + 250.5 + 0 + 99999 + 1e-9 + 42 }],
  },
  {
    name: '$group _id null over nothing',
    pipeline: [{ $match: { stage: 'nope' } }, { $group: { _id: null, total: { $sum: '$amount' } } }],
    expect: [],
  },
  {
    name: '$sort, $skip, $limit, renaming $project',
    pipeline: [
      { $match: { amount: { $gt: 0 } } },
      { $sort: { amount: -1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $project: { _id: 0, amount: 1, name: '$title' } },
    ],
    expect: [
      { amount: 1000, name: 'Alpha deal' },
      { amount: 250.5, name: 'Beta deal' },
    ],
  },
  {
    name: '$limit before $sort sorts only the limited rows',
    pipeline: [{ $sort: { amount: -1 } }, { $limit: 3 }, { $sort: { amount: 1 } }, { $project: { amount: 1 } }],
    expect: [
      { objectId: 'd2', amount: 250.5 },
      { objectId: 'd1', amount: 1000 },
      { objectId: 'd6', amount: 99999 },
    ],
  },
  { name: '$count', pipeline: [{ $match: { won: true } }, { $count: 'wonDeals' }], expect: [{ wonDeals: 2 }] },
  { name: '$count of nothing', pipeline: [{ $match: { stage: 'nope' } }, { $count: 'n' }], expect: [] },
  {
    name: 'exclusion $project decodes stored types',
    pipeline: [{ $match: { objectId: 'd1' } }, { $project: { title: 0, meta: 0, createdAt: 0, updatedAt: 0 } }],
    expect: [
      {
        objectId: 'd1',
        amount: 1000,
        stage: 'won',
        contact: pointer('Contact', 'c1'),
        company: pointer('Company', 'co1'),
        expectedCloseDate: { __type: 'Date', iso: '2024-01-15T00:00:00.000Z' },
        assignedTo: pointer('_User', 'u1'),
        tags: ['hot', 'enterprise'],
        won: true,
      },
    ],
  },
];

const DISTINCTS: { field: string; where?: object; expect: unknown[] }[] = [
  { field: 'stage', expect: ['lead', 'lost', 'negotiation', 'won'] },
  { field: 'stage', where: { won: true }, expect: ['negotiation', 'won'] },
  { field: 'tags', expect: ['2', 'Hot', 'a%b', 'cold', 'enterprise', 'hot', 1, 2, true] },
  { field: 'meta.region', expect: ['amer', 'emea'] },
  { field: 'contact', expect: [pointer('Contact', 'c1'), pointer('Contact', 'c2')] },
  { field: 'won', expect: [false, true] },
  {
    field: 'expectedCloseDate',
    expect: ['2024-01-15T00:00:00.000Z', '2024-03-01T00:00:00.000Z', '2025-12-31T23:59:59.999Z'].map((iso) => ({
      __type: 'Date',
      iso,
    })),
  },
];

type Runner = (fragment: SqlFragment) => Promise<Record<string, unknown>[]>;

function executedSuite(dialect: DialectName, run: () => Runner) {
  it.each(PIPELINES)('$name', async (c) => {
    const compiled = compilePipeline(c.pipeline, dealClass, crmSchema, { dialect });
    const rows = await run()(compiled.fragment);
    const decoded = rows.map((row) => compiled.decode(row));
    expect(decoded).toHaveLength(c.expect.length);
    decoded.forEach((row, i) => {
      for (const [key, value] of Object.entries(c.expect[i] as object)) {
        if (typeof value === 'number') expect(row[key], key).toBeCloseTo(value, 6);
        else expect(row[key], key).toEqual(value);
      }
      expect(Object.keys(row).sort()).toEqual(Object.keys(c.expect[i] as object).sort());
    });
  });

  it.each(DISTINCTS)('distinct $field $where', async (c) => {
    const compiled = distinct(c.field, c.where ?? {}, dialect);
    const values = compiled.decode(await run()(compiled.fragment));
    expect(values).toEqual(c.expect);
  });
}

describe('aggregate executed on SQLite', () => {
  const db = new Database(':memory:');
  for (const statement of [...createStatements('sqlite'), ...seedStatements('sqlite')]) {
    const { text, params } = render(statement, 'sqlite');
    db.prepare(text).run(...params);
  }
  executedSuite('sqlite', () => async (fragment) => {
    const { text, params } = render(fragment, 'sqlite');
    return db.prepare(text).all(...params) as Record<string, unknown>[];
  });
});

const pg = await openPgTestDb();

describe.skipIf(!pg)('aggregate executed on PostgreSQL', () => {
  beforeAll(async () => {
    for (const statement of [...createStatements('postgres'), ...seedStatements('postgres')]) await pg!.all(statement);
  });
  afterAll(async () => {
    await pg?.close();
  });
  executedSuite('postgres', () => (fragment) => pg!.all(fragment));
});
