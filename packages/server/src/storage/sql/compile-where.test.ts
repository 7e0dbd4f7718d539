/**
 * Golden tests: the exact SQL text and parameters compileWhere emits for each node kind, on both dialects.
 * Behaviour (does the SQL select the right rows?) is covered by compile-where.{sqlite,postgres}.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Expr, FieldRef } from '../../query/ast.js';
import { crmSchema } from '../../query/test-fixtures.js';
import { compileWhere, prefixUpperBound } from './compile-where.js';
import { render } from './fragment.js';

const ref = (field: string, type: FieldRef['type'], path: string[] = []): FieldRef => ({ field, type, path });
const stage = ref('stage', 'String');
const amount = ref('amount', 'Number');
const won = ref('won', 'Boolean');
const tags = ref('tags', 'Array');
const score = ref('meta', 'Object', ['score']);

function golden(expr: Expr, table = 'Deal') {
  const compile = (dialect: 'sqlite' | 'postgres') => render(compileWhere(expr, { dialect, table, schema: crmSchema }), dialect);
  return { sqlite: compile('sqlite'), postgres: compile('postgres') };
}

/** Most scalar predicates differ between dialects only in placeholder style. */
function same(text: string, params: unknown[]) {
  let n = 0;
  return { sqlite: { text, params }, postgres: { text: text.replace(/\?/g, () => `$${++n}`), params } };
}

describe('compileWhere: constants and logic', () => {
  it('const', () => {
    expect(golden({ kind: 'const', value: true })).toEqual(same('1=1', []));
    expect(golden({ kind: 'const', value: false })).toEqual(same('1=0', []));
  });

  it('and / or, flattened', () => {
    const a: Expr = { kind: 'compare', ref: stage, op: 'eq', value: 'won' };
    const b: Expr = { kind: 'compare', ref: amount, op: 'gt', value: 5 };
    const c: Expr = { kind: 'compare', ref: amount, op: 'lt', value: 9 };
    expect(golden({ kind: 'and', items: [a, { kind: 'and', items: [b, c] }] })).toEqual(
      same('("Deal"."stage" = ? AND "Deal"."amount" > ? AND "Deal"."amount" < ?)', ['won', 5, 9]),
    );
    expect(golden({ kind: 'or', items: [a, b] })).toEqual(same('("Deal"."stage" = ? OR "Deal"."amount" > ?)', ['won', 5]));
    expect(golden({ kind: 'and', items: [] })).toEqual(same('1=1', []));
    expect(golden({ kind: 'or', items: [] })).toEqual(same('1=0', []));
  });

  it('nor is NULL-safe negation', () => {
    const a: Expr = { kind: 'compare', ref: stage, op: 'eq', value: 'won' };
    const b: Expr = { kind: 'compare', ref: amount, op: 'lt', value: 1 };
    expect(golden({ kind: 'nor', items: [a, b] })).toEqual(
      same('("Deal"."stage" = ? OR "Deal"."amount" < ?) IS NOT TRUE', ['won', 1]),
    );
    expect(golden({ kind: 'nor', items: [a] })).toEqual(same('("Deal"."stage" = ?) IS NOT TRUE', ['won']));
  });
});

describe('compileWhere: typed columns', () => {
  it('comparisons', () => {
    for (const [op, sqlOp] of [
      ['eq', '='],
      ['lt', '<'],
      ['lte', '<='],
      ['gt', '>'],
      ['gte', '>='],
    ] as const) {
      expect(golden({ kind: 'compare', ref: amount, op, value: 7.5 })).toEqual(same(`"Deal"."amount" ${sqlOp} ?`, [7.5]));
    }
  });

  it('ne matches missing values', () => {
    expect(golden({ kind: 'compare', ref: stage, op: 'ne', value: 'won' })).toEqual(
      same('("Deal"."stage" IS NULL OR "Deal"."stage" <> ?)', ['won']),
    );
  });

  it('null means missing', () => {
    expect(golden({ kind: 'compare', ref: stage, op: 'eq', value: null })).toEqual(same('"Deal"."stage" IS NULL', []));
    expect(golden({ kind: 'compare', ref: stage, op: 'ne', value: null })).toEqual(same('"Deal"."stage" IS NOT NULL', []));
  });

  it('booleans bind as 0/1 on SQLite and as booleans on PostgreSQL', () => {
    expect(golden({ kind: 'compare', ref: won, op: 'eq', value: true })).toEqual({
      sqlite: { text: '"Deal"."won" = ?', params: [1] },
      postgres: { text: '"Deal"."won" = $1', params: [true] },
    });
    expect(golden({ kind: 'in', ref: won, values: [false], negate: false })).toEqual({
      sqlite: { text: '"Deal"."won" IN (?)', params: [0] },
      postgres: { text: '"Deal"."won" IN ($1)', params: [false] },
    });
  });

  it('dates and pointers compare their stored text', () => {
    const date = ref('expectedCloseDate', 'Date');
    expect(golden({ kind: 'compare', ref: date, op: 'lte', value: '2024-01-01T00:00:00.000Z' })).toEqual(
      same('"Deal"."expectedCloseDate" <= ?', ['2024-01-01T00:00:00.000Z']),
    );
    expect(golden({ kind: 'compare', ref: ref('contact', 'Pointer'), op: 'eq', value: 'c1' })).toEqual(
      same('"Deal"."contact" = ?', ['c1']),
    );
  });

  it('in / nin with and without null', () => {
    expect(golden({ kind: 'in', ref: stage, values: ['a', 'b'], negate: false })).toEqual(
      same('"Deal"."stage" IN (?, ?)', ['a', 'b']),
    );
    expect(golden({ kind: 'in', ref: stage, values: ['a', null], negate: false })).toEqual(
      same('("Deal"."stage" IS NULL OR "Deal"."stage" IN (?))', ['a']),
    );
    expect(golden({ kind: 'in', ref: stage, values: ['a'], negate: true })).toEqual(
      same('("Deal"."stage" IS NULL OR "Deal"."stage" NOT IN (?))', ['a']),
    );
    expect(golden({ kind: 'in', ref: stage, values: ['a', null], negate: true })).toEqual(
      same('("Deal"."stage" IS NOT NULL AND "Deal"."stage" NOT IN (?))', ['a']),
    );
    expect(golden({ kind: 'in', ref: stage, values: [null], negate: false })).toEqual(same('"Deal"."stage" IS NULL', []));
    expect(golden({ kind: 'in', ref: stage, values: [], negate: false })).toEqual(same('1=0', []));
    expect(golden({ kind: 'in', ref: stage, values: [], negate: true })).toEqual(same('1=1', []));
  });

  it('exists', () => {
    expect(golden({ kind: 'exists', ref: amount, exists: true })).toEqual(same('"Deal"."amount" IS NOT NULL', []));
    expect(golden({ kind: 'exists', ref: amount, exists: false })).toEqual(same('"Deal"."amount" IS NULL', []));
  });
});

describe('compileWhere: regex', () => {
  const title = ref('title', 'String');

  it('general patterns: re2 function on SQLite, ARE operators on PostgreSQL', () => {
    expect(golden({ kind: 'regex', ref: title, pattern: 'a.b', flags: 'im' })).toEqual({
      sqlite: { text: 'regexp_match(?, ?, "Deal"."title")', params: ['a.b', 'im'] },
      postgres: { text: '"Deal"."title" ~* $1', params: ['(?w)a[^\\n]b'] },
    });
    expect(golden({ kind: 'regex', ref: title, pattern: 'a.b', flags: 's' })).toEqual({
      sqlite: { text: 'regexp_match(?, ?, "Deal"."title")', params: ['a.b', 's'] },
      postgres: { text: '"Deal"."title" ~ $1', params: ['a.b'] },
    });
  });

  it('a literal prefix becomes an index-friendly range / LIKE', () => {
    expect(golden({ kind: 'regex', ref: title, pattern: '^a%_\\\\b', flags: '' })).toEqual({
      sqlite: { text: '("Deal"."title" >= ? AND "Deal"."title" < ?)', params: ['a%_\\b', 'a%_\\c'] },
      postgres: { text: '"Deal"."title" LIKE $1', params: ['a\\%\\_\\\\b%'] },
    });
  });

  it('case-insensitive or multi-line prefixes stay regexes', () => {
    expect(golden({ kind: 'regex', ref: title, pattern: '^abc', flags: 'i' }).sqlite.text).toBe(
      'regexp_match(?, ?, "Deal"."title")',
    );
    expect(golden({ kind: 'regex', ref: title, pattern: '^abc', flags: 'm' }).postgres.text).toBe('"Deal"."title" ~ $1');
  });
});

describe('compileWhere: Array fields', () => {
  const elements = {
    sqlite: 'json_each("Deal"."tags") AS "el"',
    postgres: 'jsonb_array_elements("Deal"."tags") AS "el"("value")',
  };

  it('eq scalar = contains', () => {
    expect(golden({ kind: 'compare', ref: tags, op: 'eq', value: 'x' })).toEqual({
      sqlite: {
        text: `EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE ("el"."type" = 'text' AND "el"."value" = ?))`,
        params: ['x'],
      },
      postgres: { text: '"Deal"."tags" @> $1::jsonb', params: ['["x"]'] },
    });
    expect(golden({ kind: 'compare', ref: tags, op: 'eq', value: true })).toEqual({
      sqlite: { text: `EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE "el"."type" = 'true')`, params: [] },
      postgres: { text: '"Deal"."tags" @> $1::jsonb', params: ['[true]'] },
    });
  });

  it('ne = does not contain (missing included)', () => {
    expect(golden({ kind: 'compare', ref: tags, op: 'ne', value: 2 })).toEqual({
      sqlite: {
        text: `NOT EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE ("el"."type" IN ('integer', 'real') AND "el"."value" = ?))`,
        params: [2],
      },
      postgres: { text: '("Deal"."tags" IS NULL OR NOT ("Deal"."tags" @> $1::jsonb))', params: ['[2]'] },
    });
  });

  it('range on elements', () => {
    expect(golden({ kind: 'compare', ref: tags, op: 'gt', value: 1 })).toEqual({
      sqlite: {
        text: `EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE ("el"."type" IN ('integer', 'real') AND "el"."value" > ?))`,
        params: [1],
      },
      postgres: {
        text: `EXISTS (SELECT 1 FROM ${elements.postgres} WHERE (jsonb_typeof("el"."value") = 'number' AND "el"."value" > $1::jsonb))`,
        params: ['1'],
      },
    });
  });

  it('in = overlap, grouped by JSON type; nin = no overlap', () => {
    expect(golden({ kind: 'in', ref: tags, values: ['x', 1, false], negate: false })).toEqual({
      sqlite: {
        text: `EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE (("el"."type" = 'text' AND "el"."value" IN (?)) OR ("el"."type" IN ('integer', 'real') AND "el"."value" IN (?)) OR "el"."type" = 'false'))`,
        params: ['x', 1],
      },
      postgres: {
        text: `EXISTS (SELECT 1 FROM ${elements.postgres} WHERE "el"."value" IN ($1::jsonb, $2::jsonb, $3::jsonb))`,
        params: ['"x"', '1', 'false'],
      },
    });
    expect(golden({ kind: 'in', ref: tags, values: ['x', null], negate: true })).toEqual({
      sqlite: {
        text: `NOT ("Deal"."tags" IS NULL OR EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE ("el"."type" = 'text' AND "el"."value" IN (?))))`,
        params: ['x'],
      },
      postgres: {
        text: `NOT ("Deal"."tags" IS NULL OR EXISTS (SELECT 1 FROM ${elements.postgres} WHERE "el"."value" IN ($1::jsonb)))`,
        params: ['"x"'],
      },
    });
  });

  it('all', () => {
    expect(golden({ kind: 'all', ref: tags, values: ['x', 2] })).toEqual({
      sqlite: {
        text: `(EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE ("el"."type" = 'text' AND "el"."value" = ?)) AND EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE ("el"."type" IN ('integer', 'real') AND "el"."value" = ?)))`,
        params: ['x', 2],
      },
      postgres: { text: '"Deal"."tags" @> $1::jsonb', params: ['["x",2]'] },
    });
    expect(golden({ kind: 'all', ref: tags, values: [] })).toEqual(same('1=0', []));
  });

  it('containedBy (missing and empty arrays match)', () => {
    expect(golden({ kind: 'containedBy', ref: tags, values: ['x'] })).toEqual({
      sqlite: {
        text: `NOT EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE ("el"."type" = 'text' AND "el"."value" IN (?)) IS NOT TRUE)`,
        params: ['x'],
      },
      postgres: { text: '("Deal"."tags" IS NULL OR "Deal"."tags" <@ $1::jsonb)', params: ['["x"]'] },
    });
  });

  it('regex on elements', () => {
    expect(golden({ kind: 'regex', ref: tags, pattern: 'x', flags: 'i' })).toEqual({
      sqlite: {
        text: `EXISTS (SELECT 1 FROM ${elements.sqlite} WHERE ("el"."type" = 'text' AND regexp_match(?, ?, "el"."value")))`,
        params: ['x', 'i'],
      },
      postgres: {
        text: `EXISTS (SELECT 1 FROM ${elements.postgres} WHERE (jsonb_typeof("el"."value") = 'string' AND ("el"."value" #>> '{}') COLLATE "C" ~* $1))`,
        params: ['x'],
      },
    });
  });
});

describe('compileWhere: Object sub-keys', () => {
  it('eq compares within one JSON type; the path is a bound parameter', () => {
    expect(golden({ kind: 'compare', ref: ref('meta', 'Object', ['a', 'b']), op: 'eq', value: 'x' })).toEqual({
      sqlite: {
        text: `(json_type("Deal"."meta", ?) = 'text' AND json_extract("Deal"."meta", ?) = ?)`,
        params: ['$.a.b', '$.a.b', 'x'],
      },
      postgres: { text: '"Deal"."meta" #> $1::text[] = $2::jsonb', params: [['a', 'b'], '"x"'] },
    });
  });

  it('numeric range skips other JSON types', () => {
    expect(golden({ kind: 'compare', ref: score, op: 'gt', value: 1 })).toEqual({
      sqlite: {
        text: `(json_type("Deal"."meta", ?) IN ('integer', 'real') AND json_extract("Deal"."meta", ?) > ?)`,
        params: ['$.score', '$.score', 1],
      },
      postgres: {
        text: `(jsonb_typeof("Deal"."meta" #> $1::text[]) = 'number' AND "Deal"."meta" #> $2::text[] > $3::jsonb)`,
        params: [['score'], ['score'], '1'],
      },
    });
  });

  it('null, ne and exists', () => {
    expect(golden({ kind: 'compare', ref: score, op: 'eq', value: null })).toEqual({
      sqlite: { text: 'json_extract("Deal"."meta", ?) IS NULL', params: ['$.score'] },
      postgres: {
        text: `("Deal"."meta" #> $1::text[] IS NULL OR "Deal"."meta" #> $2::text[] = 'null'::jsonb)`,
        params: [['score'], ['score']],
      },
    });
    expect(golden({ kind: 'compare', ref: score, op: 'ne', value: 1 })).toEqual({
      sqlite: {
        text: `(json_type("Deal"."meta", ?) IN ('integer', 'real') AND json_extract("Deal"."meta", ?) = ?) IS NOT TRUE`,
        params: ['$.score', '$.score', 1],
      },
      postgres: { text: '("Deal"."meta" #> $1::text[] = $2::jsonb) IS NOT TRUE', params: [['score'], '1'] },
    });
    expect(golden({ kind: 'exists', ref: score, exists: true })).toEqual({
      sqlite: { text: 'json_type("Deal"."meta", ?) IS NOT NULL', params: ['$.score'] },
      postgres: { text: '"Deal"."meta" #> $1::text[] IS NOT NULL', params: [['score']] },
    });
  });

  it('in with null', () => {
    expect(golden({ kind: 'in', ref: score, values: [1, null], negate: false })).toEqual({
      sqlite: {
        text: `(json_extract("Deal"."meta", ?) IS NULL OR (json_type("Deal"."meta", ?) IN ('integer', 'real') AND json_extract("Deal"."meta", ?) IN (?)))`,
        params: ['$.score', '$.score', '$.score', 1],
      },
      postgres: {
        text: `(("Deal"."meta" #> $1::text[] IS NULL OR "Deal"."meta" #> $2::text[] = 'null'::jsonb) OR "Deal"."meta" #> $3::text[] IN ($4::jsonb))`,
        params: [['score'], ['score'], ['score'], '1'],
      },
    });
  });

  it('regex only matches JSON strings', () => {
    expect(golden({ kind: 'regex', ref: score, pattern: 'x', flags: '' })).toEqual({
      sqlite: {
        text: `(json_type("Deal"."meta", ?) = 'text' AND regexp_match(?, ?, json_extract("Deal"."meta", ?)))`,
        params: ['$.score', 'x', '', '$.score'],
      },
      postgres: {
        text: `(jsonb_typeof("Deal"."meta" #> $1::text[]) = 'string' AND ("Deal"."meta" #> $2::text[] #>> '{}') COLLATE "C" ~ $3)`,
        params: [['score'], ['score'], 'x'],
      },
    });
  });
});

describe('compileWhere: sub-queries, relations, ACL', () => {
  const nameIsX: Expr = { kind: 'compare', ref: ref('name', 'String'), op: 'eq', value: 'x' };

  it('inQuery / notInQuery, nested aliases distinct', () => {
    expect(
      golden({ kind: 'inQuery', ref: ref('contact', 'Pointer'), query: { className: 'Contact', where: nameIsX }, negate: false }),
    ).toEqual(same('"Deal"."contact" IN (SELECT "sq$1"."objectId" FROM "Contact" AS "sq$1" WHERE "sq$1"."name" = ?)', ['x']));
    const nested: Expr = {
      kind: 'inQuery',
      ref: ref('company', 'Pointer'),
      query: { className: 'Company', where: { kind: 'const', value: true } },
      negate: false,
    };
    expect(
      golden({ kind: 'inQuery', ref: ref('contact', 'Pointer'), query: { className: 'Contact', where: nested }, negate: true }),
    ).toEqual(
      same(
        '("Deal"."contact" IS NULL OR "Deal"."contact" NOT IN (SELECT "sq$1"."objectId" FROM "Contact" AS "sq$1" WHERE "sq$1"."company" IN (SELECT "sq$2"."objectId" FROM "Company" AS "sq$2" WHERE 1=1)))',
        [],
      ),
    );
  });

  it('inQuery on a polymorphic pointer compares Class$objectId', () => {
    expect(
      golden(
        {
          kind: 'inQuery',
          ref: ref('relatedTo', 'Pointer'),
          query: { className: 'Deal', where: { kind: 'const', value: true } },
          negate: false,
        },
        'Activity',
      ),
    ).toEqual(
      same('"Activity"."relatedTo" IN (SELECT CAST(? AS TEXT) || "sq$1"."objectId" FROM "Deal" AS "sq$1" WHERE 1=1)', ['Deal$']),
    );
  });

  it('select / dontSelect leave NULL keys out of the set', () => {
    const query = { className: 'Contact', where: nameIsX };
    expect(
      golden({ kind: 'select', ref: ref('company', 'Pointer'), query, key: ref('company', 'Pointer'), negate: false }),
    ).toEqual(
      same(
        '"Deal"."company" IN (SELECT "sq$1"."company" FROM "Contact" AS "sq$1" WHERE "sq$1"."name" = ? AND "sq$1"."company" IS NOT NULL)',
        ['x'],
      ),
    );
    expect(
      golden({ kind: 'select', ref: ref('company', 'Pointer'), query, key: ref('company', 'Pointer'), negate: true }),
    ).toEqual(
      same(
        '("Deal"."company" IS NULL OR "Deal"."company" NOT IN (SELECT "sq$1"."company" FROM "Contact" AS "sq$1" WHERE "sq$1"."name" = ? AND "sq$1"."company" IS NOT NULL))',
        ['x'],
      ),
    );
  });

  it('relatedTo and relationContains read the join table', () => {
    expect(golden({ kind: 'relatedTo', ownerClass: '_Role', ownerId: 'r1', key: 'users' }, '_User')).toEqual(
      same('"_User"."objectId" IN (SELECT "jn$1"."relatedId" FROM "_Join:users:_Role" AS "jn$1" WHERE "jn$1"."owningId" = ?)', [
        'r1',
      ]),
    );
    expect(golden({ kind: 'relationContains', key: 'users', relatedId: 'u1' }, '_Role')).toEqual(
      same('"_Role"."objectId" IN (SELECT "jn$1"."owningId" FROM "_Join:users:_Role" AS "jn$1" WHERE "jn$1"."relatedId" = ?)', [
        'u1',
      ]),
    );
  });

  it('readableBy', () => {
    expect(golden({ kind: 'readableBy', principals: ['*', 'u1', 'role:sales'] })).toEqual({
      sqlite: {
        text: '(instr("Deal"."_rperm", ?) > 0 OR instr("Deal"."_rperm", ?) > 0 OR instr("Deal"."_rperm", ?) > 0)',
        params: [',*,', ',u1,', ',role:sales,'],
      },
      postgres: { text: '"Deal"."_rperm" && $1::text[]', params: [['*', 'u1', 'role:sales']] },
    });
    expect(golden({ kind: 'readableBy', principals: [] })).toEqual(same('1=0', []));
  });

  it('qualifies with the caller alias when given', () => {
    const expr: Expr = { kind: 'compare', ref: stage, op: 'eq', value: 'won' };
    expect(render(compileWhere(expr, { dialect: 'sqlite', table: 'Deal', schema: crmSchema, alias: 't' }), 'sqlite').text).toBe(
      '"t"."stage" = ?',
    );
  });
});

describe('compileWhere: hostile names stay quoted identifiers', () => {
  it('a quote in a table or field name cannot end the identifier', () => {
    const evil = ref('x" OR 1=1 --', 'String');
    expect(golden({ kind: 'compare', ref: evil, op: 'eq', value: "'; DROP TABLE x" }, 'Deal"; DROP')).toEqual(
      same('"Deal""; DROP"."x"" OR 1=1 --" = ?', ["'; DROP TABLE x"]),
    );
  });
});

describe('prefixUpperBound', () => {
  it('increments the last code point, skipping surrogates and dropping the maximum', () => {
    expect(prefixUpperBound('abc')).toBe('abd');
    expect(prefixUpperBound('a\u{d7ff}')).toBe('a\u{e000}');
    expect(prefixUpperBound('a🚀')).toBe('a🚁');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}')).toBeNull();
    expect(prefixUpperBound('')).toBeNull();
  });
});
