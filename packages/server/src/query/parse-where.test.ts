import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors/parse-error.js';
import { FALSE, TRUE, type Expr, type FieldRef } from './ast.js';
import { parseWhere, type ParseWhereOptions } from './parse-where.js';
import { activityClass, crmSchema, dealClass, roleClass, userClass } from './test-fixtures.js';

const deal = (where: unknown, options?: ParseWhereOptions) => parseWhere(where, dealClass, crmSchema, options);
const ref = (field: string, type: FieldRef['type'], path: string[] = []): FieldRef => ({ field, type, path });
const ptr = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
const date = (iso: unknown) => ({ __type: 'Date', iso });

function failure(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParseError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a ParseError');
}

describe('parseWhere: implicit equality converts to storage form', () => {
  it('scalars', () => {
    expect(deal({ stage: 'won' })).toEqual({ kind: 'compare', ref: ref('stage', 'String'), op: 'eq', value: 'won' });
    expect(deal({ amount: 5 })).toEqual({ kind: 'compare', ref: ref('amount', 'Number'), op: 'eq', value: 5 });
    expect(deal({ won: false })).toEqual({ kind: 'compare', ref: ref('won', 'Boolean'), op: 'eq', value: false });
    expect(deal({ objectId: 'abc' })).toEqual({ kind: 'compare', ref: ref('objectId', 'String'), op: 'eq', value: 'abc' });
    expect(deal({ stage: null })).toEqual({ kind: 'compare', ref: ref('stage', 'String'), op: 'eq', value: null });
  });

  it('dates are normalized to fixed-width UTC ISO strings', () => {
    const expectIso = (input: unknown, iso: string) =>
      expect(deal({ expectedCloseDate: input })).toEqual({
        kind: 'compare',
        ref: ref('expectedCloseDate', 'Date'),
        op: 'eq',
        value: iso,
      });
    expectIso(date('2024-03-01T10:00:00.000Z'), '2024-03-01T10:00:00.000Z');
    expectIso(date('2024-03-01T10:00:00+02:00'), '2024-03-01T08:00:00.000Z');
    expectIso(date('2024-03-01T10:00Z'), '2024-03-01T10:00:00.000Z');
    expectIso(date('2024-03-01T10:00:00.123456Z'), '2024-03-01T10:00:00.123Z');
    expectIso(date('2024-03-01T10:00:00'), '2024-03-01T10:00:00.000Z');
    expectIso('2024-03-01', '2024-03-01T00:00:00.000Z');
    expectIso(date('0099-01-01T00:00:00Z'), '0099-01-01T00:00:00.000Z');
    expect(deal({ createdAt: { $gt: date('2024-01-01T00:00:00Z') } })).toEqual({
      kind: 'compare',
      ref: ref('createdAt', 'Date'),
      op: 'gt',
      value: '2024-01-01T00:00:00.000Z',
    });
  });

  it('bad dates are refused with 102', () => {
    for (const bad of [
      date('2024-02-30T00:00:00Z'),
      date('2023-02-29'),
      date('yesterday'),
      date('2024-01-01T25:00:00Z'),
      date('2024-01-01T10:60:00Z'),
      date('99999-01-01T00:00:00Z'),
      date('9999-12-31T23:00:00-05:00'),
      date('2024-01-01T00:00:00+24:00'),
      date(1700000000000),
      date(null),
      1700000000000,
      'March 7, 2024',
      { __type: 'Date' },
    ]) {
      expect(failure(() => deal({ expectedCloseDate: bad })).code, JSON.stringify(bad)).toBe(102);
    }
  });

  it('pointers: objectId for a single target, Class$id when polymorphic', () => {
    expect(deal({ contact: ptr('Contact', 'c1') })).toEqual({
      kind: 'compare',
      ref: ref('contact', 'Pointer'),
      op: 'eq',
      value: 'c1',
    });
    expect(parseWhere({ relatedTo: ptr('Deal', 'd1') }, activityClass, crmSchema)).toEqual({
      kind: 'compare',
      ref: ref('relatedTo', 'Pointer'),
      op: 'eq',
      value: 'Deal$d1',
    });
    expect(parseWhere({ anything: ptr('Whatever', 'w1') }, activityClass, crmSchema)).toMatchObject({ value: 'Whatever$w1' });
    // An included object carries the same identity as its pointer.
    expect(deal({ contact: { __type: 'Object', className: 'Contact', objectId: 'c1', name: 'Ann' } })).toMatchObject({
      value: 'c1',
    });
  });

  it('a pointer of a class the field cannot hold matches nothing (Parse answers [])', () => {
    expect(deal({ contact: ptr('Company', 'x') })).toEqual(FALSE);
    expect(deal({ contact: { $ne: ptr('Company', 'x') } })).toEqual(TRUE);
    expect(parseWhere({ relatedTo: ptr('Company', 'x') }, activityClass, crmSchema)).toEqual(FALSE);
    expect(deal({ contact: { $in: [ptr('Company', 'x')] } })).toEqual(FALSE);
    expect(deal({ contact: { $nin: [ptr('Company', 'x')] } })).toEqual(TRUE);
    expect(deal({ contact: { $in: [ptr('Company', 'x'), ptr('Contact', 'c1')] } })).toEqual({
      kind: 'in',
      ref: ref('contact', 'Pointer'),
      values: ['c1'],
      negate: false,
    });
  });

  it('malformed pointers are refused', () => {
    expect(failure(() => deal({ contact: 'c1' })).code).toBe(102);
    expect(failure(() => deal({ contact: { __type: 'Pointer', className: 'Contact' } })).code).toBe(102);
    expect(failure(() => deal({ contact: ptr('Bad Class!', 'x') })).code).toBe(102);
  });
});

describe('parseWhere: operators', () => {
  it('comparisons', () => {
    expect(deal({ amount: { $gte: 1, $lt: 9 } })).toEqual({
      kind: 'and',
      items: [
        { kind: 'compare', ref: ref('amount', 'Number'), op: 'gte', value: 1 },
        { kind: 'compare', ref: ref('amount', 'Number'), op: 'lt', value: 9 },
      ],
    });
    expect(deal({ stage: { $eq: 'a' } })).toMatchObject({ op: 'eq', value: 'a' });
    expect(deal({ stage: { $ne: 'a' } })).toMatchObject({ op: 'ne', value: 'a' });
    expect(deal({ title: { $gt: 'm' } })).toMatchObject({ op: 'gt', value: 'm' });
  });

  it('$in / $nin de-duplicate and keep null', () => {
    expect(deal({ stage: { $in: ['a', 'a', null] } })).toEqual({
      kind: 'in',
      ref: ref('stage', 'String'),
      values: ['a', null],
      negate: false,
    });
    expect(deal({ stage: { $nin: ['a'] } })).toEqual({ kind: 'in', ref: ref('stage', 'String'), values: ['a'], negate: true });
    expect(deal({ stage: { $in: [] } })).toEqual(FALSE);
    expect(deal({ stage: { $nin: [] } })).toEqual(TRUE);
  });

  it('Array operators', () => {
    expect(deal({ tags: 'x' })).toEqual({ kind: 'compare', ref: ref('tags', 'Array'), op: 'eq', value: 'x' });
    expect(deal({ tags: { $all: ['a', 'b', 'a'] } })).toEqual({ kind: 'all', ref: ref('tags', 'Array'), values: ['a', 'b'] });
    expect(deal({ tags: { $all: [] } })).toEqual(FALSE);
    expect(deal({ tags: { $containedBy: ['a', 1, true] } })).toEqual({
      kind: 'containedBy',
      ref: ref('tags', 'Array'),
      values: ['a', 1, true],
    });
    expect(deal({ tags: { $all: ['a', { $regex: '^\\Qb\\E' }] } })).toEqual({
      kind: 'and',
      items: [
        { kind: 'all', ref: ref('tags', 'Array'), values: ['a'] },
        { kind: 'regex', ref: ref('tags', 'Array'), pattern: '^b', flags: '' },
      ],
    });
  });

  it('$exists and $regex', () => {
    expect(deal({ amount: { $exists: false } })).toEqual({ kind: 'exists', ref: ref('amount', 'Number'), exists: false });
    expect(deal({ title: { $regex: '^\\QA.b\\E', $options: 'i' } })).toEqual({
      kind: 'regex',
      ref: ref('title', 'String'),
      pattern: '^A\\.b',
      flags: 'i',
    });
    expect(deal({ title: { $options: 'i', $regex: 'x' } })).toMatchObject({ kind: 'regex', flags: 'i' });
  });

  it('Object sub-keys', () => {
    expect(deal({ 'meta.address.city': 'Oslo' })).toEqual({
      kind: 'compare',
      ref: ref('meta', 'Object', ['address', 'city']),
      op: 'eq',
      value: 'Oslo',
    });
    expect(deal({ 'meta.score': { $gt: 1 } })).toMatchObject({ op: 'gt', value: 1 });
    expect(deal({ meta: null })).toMatchObject({ op: 'eq', value: null });
  });

  it('logic operators fold constants', () => {
    const a = { kind: 'compare', ref: ref('stage', 'String'), op: 'eq', value: 'a' };
    expect(deal({ $or: [{ stage: 'a' }, { nope: 1 }] })).toEqual(a);
    expect(deal({ $or: [{ stage: 'a' }, { nope: null }] })).toEqual(TRUE);
    expect(deal({ $and: [{ stage: 'a' }, { nope: 1 }] })).toEqual(FALSE);
    expect(deal({ $nor: [{ stage: 'a' }] })).toEqual({ kind: 'nor', items: [a] });
    expect(deal({ $nor: [{ nope: 1 }] })).toEqual(TRUE);
    expect(deal({})).toEqual(TRUE);
  });
});

describe('parseWhere: sub-queries and relations', () => {
  it('$inQuery / $notInQuery', () => {
    expect(deal({ contact: { $inQuery: { className: 'Contact', where: { name: 'Ann' } } } })).toEqual({
      kind: 'inQuery',
      ref: ref('contact', 'Pointer'),
      query: { className: 'Contact', where: { kind: 'compare', ref: ref('name', 'String'), op: 'eq', value: 'Ann' } },
      negate: false,
    });
    expect(deal({ contact: { $notInQuery: { className: 'Contact', where: {} } } })).toMatchObject({
      kind: 'inQuery',
      negate: true,
    });
  });

  it('unknown, incompatible or empty sub-query classes fold to constants', () => {
    expect(deal({ contact: { $inQuery: { className: 'Nope', where: {} } } })).toEqual(FALSE);
    expect(deal({ contact: { $notInQuery: { className: 'Nope', where: {} } } })).toEqual(TRUE);
    expect(deal({ contact: { $inQuery: { className: 'Company', where: {} } } })).toEqual(FALSE);
    expect(deal({ contact: { $inQuery: { className: 'Contact', where: { nope: 1 } } } })).toEqual(FALSE);
    expect(deal({ company: { $select: { query: { className: 'Contact', where: {} }, key: 'nope' } } })).toEqual(FALSE);
    expect(deal({ company: { $dontSelect: { query: { className: 'Nope', where: {} }, key: 'x' } } })).toEqual(TRUE);
  });

  it('sub-query class names are validated (103)', () => {
    expect(failure(() => deal({ contact: { $inQuery: { className: 'Bad"Name', where: {} } } })).code).toBe(103);
    expect(failure(() => deal({ company: { $select: { query: { className: '1x', where: {} }, key: 'a' } } })).code).toBe(103);
    expect(failure(() => deal({ $relatedTo: { object: ptr('no such', 'x'), key: 'users' } })).code).toBe(103);
  });

  it('$select', () => {
    expect(deal({ company: { $select: { query: { className: 'Contact', where: {} }, key: 'company' } } })).toEqual({
      kind: 'select',
      ref: ref('company', 'Pointer'),
      query: { className: 'Contact', where: TRUE },
      key: ref('company', 'Pointer'),
      negate: false,
    });
    expect(failure(() => deal({ company: { $select: { key: 'company' } } })).code).toBe(102);
    expect(failure(() => deal({ tags: { $select: { query: { className: 'Contact', where: {} }, key: 'name' } } })).code).toBe(
      102,
    );
  });

  it('$relatedTo', () => {
    expect(parseWhere({ $relatedTo: { object: ptr('_Role', 'r1'), key: 'users' } }, userClass, crmSchema)).toEqual({
      kind: 'relatedTo',
      ownerClass: '_Role',
      ownerId: 'r1',
      key: 'users',
    });
    // Relation of another target class, unknown key, unknown owner class: Parse answers [].
    expect(deal({ $relatedTo: { object: ptr('_Role', 'r1'), key: 'users' } })).toEqual(FALSE);
    expect(parseWhere({ $relatedTo: { object: ptr('_Role', 'r1'), key: 'nope' } }, userClass, crmSchema)).toEqual(FALSE);
    expect(parseWhere({ $relatedTo: { object: ptr('Nope', 'r1'), key: 'users' } }, userClass, crmSchema)).toEqual(FALSE);
    expect(failure(() => parseWhere({ $relatedTo: { object: 'r1', key: 'users' } }, userClass, crmSchema)).code).toBe(102);
    expect(failure(() => parseWhere({ $relatedTo: { object: ptr('_Role', 'r1'), key: '$x' } }, userClass, crmSchema)).code).toBe(
      105,
    );
  });

  it('pointer equality on a Relation field asks the join table', () => {
    const role = (where: unknown) => parseWhere(where, roleClass, crmSchema);
    const holds = { kind: 'relationContains', key: 'users', relatedId: 'u1' };
    expect(role({ users: ptr('_User', 'u1') })).toEqual(holds);
    expect(role({ users: { $ne: ptr('_User', 'u1') } })).toEqual({ kind: 'nor', items: [holds] });
    expect(role({ users: { $in: [ptr('_User', 'u1'), ptr('_User', 'u2')] } })).toEqual({
      kind: 'or',
      items: [holds, { kind: 'relationContains', key: 'users', relatedId: 'u2' }],
    });
    expect(role({ users: ptr('Deal', 'u1') })).toEqual(FALSE);
    expect(failure(() => role({ users: { $lt: ptr('_User', 'u1') } })).code).toBe(102);
    expect(failure(() => role({ users: 'u1' })).code).toBe(102);
  });
});

describe('parseWhere: unknown fields read as always missing', () => {
  it.each([
    [{ nope: 'x' }, FALSE],
    [{ nope: null }, TRUE],
    [{ nope: { $eq: 1 } }, FALSE],
    [{ nope: { $ne: 1 } }, TRUE],
    [{ nope: { $ne: null } }, FALSE],
    [{ nope: { $gt: 1 } }, FALSE],
    [{ nope: { $in: [1] } }, FALSE],
    [{ nope: { $in: [1, null] } }, TRUE],
    [{ nope: { $nin: [1] } }, TRUE],
    [{ nope: { $nin: [null] } }, FALSE],
    [{ nope: { $all: [1] } }, FALSE],
    [{ nope: { $containedBy: [1] } }, TRUE],
    [{ nope: { $exists: true } }, FALSE],
    [{ nope: { $exists: false } }, TRUE],
    [{ nope: { $regex: 'x' } }, FALSE],
    [{ nope: { $inQuery: { className: 'Contact', where: {} } } }, FALSE],
    [{ nope: { $notInQuery: { className: 'Contact', where: {} } } }, TRUE],
    [{ 'nope.deep': 'x' }, FALSE],
  ])('%j', (where, expected) => {
    expect(deal(where)).toEqual(expected);
  });

  it('operands are still checked', () => {
    expect(failure(() => deal({ nope: { $in: 'x' } })).code).toBe(107);
    expect(failure(() => deal({ nope: { $exists: 'yes' } })).code).toBe(102);
    expect(failure(() => deal({ nope: { $regex: '(a)\\1' } })).code).toBe(102);
    expect(failure(() => deal({ nope: { $bogus: 1 } })).code).toBe(102);
    expect(failure(() => deal({ nope: { $inQuery: { className: 'B@d', where: {} } } })).code).toBe(103);
  });
});

describe('parseWhere: invalid keys (105)', () => {
  it.each([
    '$where',
    '$text',
    '__proto__',
    'constructor',
    'prototype',
    'ACL',
    '_rperm',
    '_wperm',
    '_acl',
    '_hashed_password',
    'title" OR 1=1 --',
    "title'",
    'a b',
    '1abc',
    '',
    'meta.__proto__',
    'meta.constructor',
    'meta.$gt',
    'meta.a-b',
    'meta..x',
    'meta.',
    'ünïcode',
  ])('%j', (key) => {
    const where = JSON.parse(`{${JSON.stringify(key)}: 1}`);
    const error = failure(() => deal(where));
    expect(error.code).toBe(105);
    expect(error.message).toMatch(/^Invalid key name: /);
  });

  it('a JSON __proto__ key is an own property, not a prototype switch', () => {
    expect(failure(() => deal(JSON.parse('{"__proto__": {"stage": "won"}}'))).code).toBe(105);
  });
});

describe('parseWhere: invalid queries (102)', () => {
  it.each([
    ['where not an object', null],
    ['where an array', []],
    ['where a string', '{"stage":"won"}'],
    ['$in with an array item', { stage: { $in: [['a']] } }],
    ['$lt with an object', { amount: { $lt: { a: 1 } } }],
    ['$lt with null', { amount: { $lt: null } }],
    ['$gt with a boolean', { amount: { $gt: true } }],
    ['$gt on a Boolean field', { won: { $gt: false } }],
    ['$gt on a Pointer field', { contact: { $gt: ptr('Contact', 'c') } }],
    ['$exists non-boolean', { amount: { $exists: 1 } }],
    ['Number compared with a string', { amount: '5' }],
    ['Number $in with a string', { amount: { $in: [1, '2'] } }],
    ['String compared with a number', { stage: 5 }],
    ['Boolean compared with a string', { won: 'true' }],
    ['equality with a whole object', { meta: { a: 1 } }],
    ['equality with an empty object', { stage: {} }],
    ['equality with an array', { tags: ['a', 'b'] }],
    ['Object sub-key with an object', { 'meta.a': { b: 1 } }],
    ['Array element that is an object', { tags: { $in: [{ a: 1 }] } }],
    ['$all on a non-Array field', { stage: { $all: ['a'] } }],
    ['$all with null', { tags: { $all: [null] } }],
    ['$containedBy on a non-Array field', { stage: { $containedBy: ['a'] } }],
    ['$in on a whole Object field', { meta: { $in: [1] } }],
    ['$regex on a Number field', { amount: { $regex: '1' } }],
    ['$regex not a string', { title: { $regex: 1 } }],
    ['$options without $regex', { title: { $options: 'i' } }],
    ['$options with an unknown flag', { title: { $regex: 'a', $options: 'g' } }],
    ['$options not a string', { title: { $regex: 'a', $options: 1 } }],
    ['backreference', { title: { $regex: '(a)\\1' } }],
    ['lookahead', { title: { $regex: 'a(?=b)' } }],
    ['lookbehind', { title: { $regex: '(?<=a)b' } }],
    ['unbalanced group', { title: { $regex: '(a' } }],
    ['regex longer than 1000', { title: { $regex: 'a'.repeat(1001) } }],
    ['unknown operator', { stage: { $foo: 1 } }],
    ['geo operator', { stage: { $nearSphere: 1 } }],
    ['mixed operators and values', { stage: { $ne: 'a', b: 1 } }],
    ['$or not an array', { $or: { stage: 'a' } }],
    ['$or empty', { $or: [] }],
    ['$and item not an object', { $and: ['stage'] }],
    ['$inQuery on a String field', { stage: { $inQuery: { className: 'Contact', where: {} } } }],
    ['$inQuery without className', { contact: { $inQuery: { where: {} } } }],
    ['$inQuery where not an object', { contact: { $inQuery: { className: 'Contact', where: 'x' } } }],
    ['dot path into a non-Object field', { 'contact.name': 'x' }],
    ['dot path into a Date', { 'createdAt.iso': 'x' }],
  ])('%s', (_name, where) => {
    expect(failure(() => deal(where)).code).toBe(102);
  });
});

describe('parseWhere: list operators without a list (107, as Parse answers)', () => {
  it.each([
    ['$in not an array', { stage: { $in: 'won' } }],
    ['$nin not an array', { stage: { $nin: { a: 1 } } }],
    ['$all not an array', { tags: { $all: 'a' } }],
  ])('%s', (_name, where) => {
    expect(failure(() => deal(where)).code).toBe(107);
  });
});

describe('parseWhere: resource limits', () => {
  const nested = (depth: number): Record<string, unknown> => {
    let where: Record<string, unknown> = { stage: 'x' };
    for (let i = 1; i < depth; i++) where = { $and: [where] };
    return where;
  };
  const nestedQuery = (depth: number): Record<string, unknown> => {
    let where: Record<string, unknown> = {};
    for (let i = 1; i < depth; i++) where = { contact: { $inQuery: { className: 'Deal', where } } };
    return where;
  };

  it('nesting up to maxDepth is fine, deeper is 102', () => {
    expect(() => deal(nested(16))).not.toThrow();
    expect(failure(() => deal(nested(17)))).toMatchObject({ code: 102, message: expect.stringMatching(/nested too deeply/) });
    expect(failure(() => deal(nested(5), { maxDepth: 4 })).code).toBe(102);
    expect(failure(() => deal(nestedQuery(40))).code).toBe(102);
    expect(failure(() => deal(nested(100_000))).code).toBe(102);
  });

  it('too many values in total is 102', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    expect(() => deal({ stage: { $in: values(10_000) } })).not.toThrow();
    expect(failure(() => deal({ stage: { $in: values(10_001) } })).code).toBe(102);
    expect(failure(() => deal({ stage: { $in: values(6_000) }, title: { $nin: values(6_000) } })).code).toBe(102);
    expect(failure(() => deal({ stage: { $in: values(11) } }, { maxInValues: 10 })).code).toBe(102);
    expect(failure(() => deal({ $or: Array.from({ length: 20_000 }, () => ({ stage: 'a' })) })).code).toBe(102);
  });

  it('catastrophic-backtracking patterns are accepted: RE2 runs them in linear time', () => {
    expect(deal({ title: { $regex: '(a+)+$' } })).toMatchObject({ kind: 'regex', pattern: '(a+)+$' });
    expect(deal({ title: { $regex: '(x+x+)+y' } })).toMatchObject({ kind: 'regex' });
  });
});

describe('parseWhere: values are never interpreted as SQL or keys', () => {
  it('SQL metacharacters in values stay values', () => {
    const evil = `'; DROP TABLE "Deal"; --`;
    expect(deal({ title: evil })).toMatchObject({ value: evil });
    expect(deal({ 'meta.x': evil })).toMatchObject({ value: evil });
    expect(deal({ stage: { $in: [evil] } })).toMatchObject({ values: [evil] });
  });

  it('a Date-looking string on a String field stays a string', () => {
    expect(deal({ title: '2024-01-01' })).toMatchObject({ value: '2024-01-01' });
  });

  it('parses a polymorphic pointer query on Activity', () => {
    const expr: Expr = parseWhere(
      { relatedTo: { $in: [ptr('Deal', 'd1'), ptr('Contact', 'c1'), ptr('Company', 'x')] } },
      activityClass,
      crmSchema,
    );
    expect(expr).toEqual({ kind: 'in', ref: ref('relatedTo', 'Pointer'), values: ['Deal$d1', 'Contact$c1'], negate: false });
  });
});
