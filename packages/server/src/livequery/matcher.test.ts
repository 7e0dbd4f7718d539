import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/parse-error.js';
import { and, type Expr } from '../query/ast.js';
import { parseWhere } from '../query/parse-where.js';
import { activityClass, crmSchema, dealClass, roleClass, userClass } from '../query/test-fixtures.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { Row } from '../storage/adapter.js';
import { SEED } from '../storage/sql/test-db.js';
import { WHERE_CASES } from '../storage/sql/where-cases.js';
import { compileMatcher, databaseOnlyKind, NeedsDatabaseError, needsDatabase, unsupportedInLiveQuery } from './matcher.js';

const ptr = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
const date = (iso: string) => ({ __type: 'Date', iso });

function row(fields: Record<string, unknown>): Row {
  return {
    objectId: 'x',
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    _rperm: ['*'],
    ...fields,
  };
}

const matcher = (where: unknown, cls: CompiledClass = dealClass) =>
  compileMatcher(parseWhere(where, cls, crmSchema), { schema: crmSchema });

/** Names of the rows `where` matches. */
function matching(where: unknown, rows: Record<string, Record<string, unknown>>, cls?: CompiledClass): string[] {
  const match = matcher(where, cls);
  return Object.entries(rows)
    .filter(([, fields]) => match(row(fields)))
    .map(([name]) => name);
}

describe('typed columns', () => {
  const rows = {
    won: { stage: 'won', amount: 10, won: true, expectedCloseDate: '2024-02-01T00:00:00.000Z', contact: 'c1' },
    wonAsOne: { stage: 'won', amount: 10.5, won: 1 },
    lead: { stage: 'lead', amount: -1, won: false, expectedCloseDate: '2024-03-01T00:00:00.000Z', contact: 'c2' },
    leadAsZero: { stage: 'lead', amount: 0, won: 0 },
    missing: {},
    nulls: { stage: null, amount: null, won: null, expectedCloseDate: null, contact: null },
  };

  it('implicit and $eq equality', () => {
    expect(matching({ stage: 'won' }, rows)).toEqual(['won', 'wonAsOne']);
    expect(matching({ amount: { $eq: 10 } }, rows)).toEqual(['won']);
    expect(matching({ won: true }, rows)).toEqual(['won', 'wonAsOne']);
    expect(matching({ won: false }, rows)).toEqual(['lead', 'leadAsZero']);
    expect(matching({ expectedCloseDate: date('2024-02-01T01:00:00+01:00') }, rows)).toEqual(['won']);
    expect(matching({ contact: ptr('Contact', 'c1') }, rows)).toEqual(['won']);
    expect(matching({ contact: ptr('Company', 'c1') }, rows)).toEqual([]);
  });

  it('null means missing, whether the column is absent or null', () => {
    expect(matching({ stage: null }, rows)).toEqual(['missing', 'nulls']);
    expect(matching({ won: { $ne: null } }, rows)).toEqual(['won', 'wonAsOne', 'lead', 'leadAsZero']);
  });

  it('$ne matches missing values', () => {
    expect(matching({ stage: { $ne: 'won' } }, rows)).toEqual(['lead', 'leadAsZero', 'missing', 'nulls']);
    expect(matching({ won: { $ne: true } }, rows)).toEqual(['lead', 'leadAsZero', 'missing', 'nulls']);
  });

  it('ranges never match missing values', () => {
    expect(matching({ amount: { $gt: 0 } }, rows)).toEqual(['won', 'wonAsOne']);
    expect(matching({ amount: { $gte: 0, $lt: 10.5 } }, rows)).toEqual(['won', 'leadAsZero']);
    expect(matching({ amount: { $lte: -1 } }, rows)).toEqual(['lead']);
    expect(matching({ expectedCloseDate: { $gte: '2024-02-15' } }, rows)).toEqual(['lead']);
    expect(matching({ stage: { $lt: 'lost' } }, rows)).toEqual(['lead', 'leadAsZero']);
  });

  it('strings order by code point, as SQLite BINARY and PostgreSQL "C" do', () => {
    const text = { upper: { title: 'B' }, lower: { title: 'a' }, astral: { title: '🚀' }, fullwidth: { title: '｡' } };
    expect(matching({ title: { $gt: 'a' } }, text)).toEqual(['astral', 'fullwidth']);
    expect(matching({ title: { $gt: '｡' } }, text)).toEqual(['astral']);
    expect(matching({ title: { $lt: 'a' } }, text)).toEqual(['upper']);
  });

  it('$in and $nin, with and without null', () => {
    expect(matching({ stage: { $in: ['lead', 'lost'] } }, rows)).toEqual(['lead', 'leadAsZero']);
    expect(matching({ stage: { $in: ['lead', null] } }, rows)).toEqual(['lead', 'leadAsZero', 'missing', 'nulls']);
    expect(matching({ stage: { $nin: ['lead'] } }, rows)).toEqual(['won', 'wonAsOne', 'missing', 'nulls']);
    expect(matching({ stage: { $nin: ['lead', null] } }, rows)).toEqual(['won', 'wonAsOne']);
    expect(matching({ won: { $in: [false] } }, rows)).toEqual(['lead', 'leadAsZero']);
    expect(matching({ amount: { $in: [0, 10] } }, rows)).toEqual(['won', 'leadAsZero']);
    expect(matching({ contact: { $in: [ptr('Contact', 'c2'), ptr('Company', 'c1')] } }, rows)).toEqual(['lead']);
    expect(matching({ stage: { $in: [] } }, rows)).toEqual([]);
    expect(matching({ stage: { $nin: [] } }, rows)).toHaveLength(6);
  });

  it('$exists', () => {
    expect(matching({ amount: { $exists: true } }, rows)).toEqual(['won', 'wonAsOne', 'lead', 'leadAsZero']);
    expect(matching({ amount: { $exists: false } }, rows)).toEqual(['missing', 'nulls']);
  });

  it('polymorphic pointers compare class and id', () => {
    const activities = { deal: { relatedTo: 'Deal$d1' }, contact: { relatedTo: 'Contact$d1' }, none: {} };
    expect(matching({ relatedTo: ptr('Deal', 'd1') }, activities, activityClass)).toEqual(['deal']);
    expect(matching({ relatedTo: { $ne: ptr('Deal', 'd1') } }, activities, activityClass)).toEqual(['contact', 'none']);
    expect(matching({ relatedTo: ptr('Company', 'd1') }, activities, activityClass)).toEqual([]);
  });
});

describe('regex', () => {
  const rows = {
    alpha: { title: 'Alpha deal' },
    lower: { title: 'alpha' },
    lines: { title: 'first\nsecond' },
    special: { title: 'a.b%_\\c' },
    none: {},
  };

  it('plain, case-insensitive and SDK-quoted patterns', () => {
    expect(matching({ title: { $regex: 'lph' } }, rows)).toEqual(['alpha', 'lower']);
    expect(matching({ title: { $regex: '^alpha', $options: 'i' } }, rows)).toEqual(['alpha', 'lower']);
    expect(matching({ title: { $regex: '\\Qa.b\\E' } }, rows)).toEqual(['special']);
    expect(matching({ title: { $regex: 'a.b' } }, rows)).toEqual(['special']);
    expect(matching({ title: { $regex: 'Al pha  # word', $options: 'x' } }, rows)).toEqual(['alpha']);
  });

  it('literal prefixes (answered by startsWith, as SQL answers them with a range or LIKE)', () => {
    expect(matching({ title: { $regex: '^\\QAlpha\\E' } }, rows)).toEqual(['alpha']);
    expect(matching({ title: { $regex: '^\\Qa.b%_\\\\E' } }, rows)).toEqual(['special']);
    expect(matching({ title: { $regex: '^\\Q%\\E' } }, rows)).toEqual([]);
    expect(matching({ title: { $regex: '^' } }, rows)).toEqual(['alpha', 'lower', 'lines', 'special']);
  });

  it('anchors and dots follow RE2 line rules, with m and s', () => {
    expect(matching({ title: { $regex: '^second' } }, rows)).toEqual([]);
    expect(matching({ title: { $regex: '^second$', $options: 'm' } }, rows)).toEqual(['lines']);
    expect(matching({ title: { $regex: 'first.second' } }, rows)).toEqual([]);
    expect(matching({ title: { $regex: 'first.second', $options: 's' } }, rows)).toEqual(['lines']);
  });

  it('runs a catastrophic-backtracking pattern in linear time', () => {
    const match = matcher({ title: { $regex: '^(a+)+$' } });
    const started = performance.now();
    expect(match(row({ title: `${'a'.repeat(100_000)}!` }))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('Array fields', () => {
  const rows = {
    hot: { tags: ['hot', 'enterprise'] },
    typed: { tags: '[1, true, "2"]' },
    empty: { tags: [] },
    missing: {},
  };

  it('a scalar means "some element", without crossing JSON types', () => {
    expect(matching({ tags: 'hot' }, rows)).toEqual(['hot']);
    expect(matching({ tags: 1 }, rows)).toEqual(['typed']);
    expect(matching({ tags: true }, rows)).toEqual(['typed']);
    expect(matching({ tags: 2 }, rows)).toEqual([]);
    expect(matching({ tags: '2' }, rows)).toEqual(['typed']);
    expect(matching({ tags: { $ne: 'hot' } }, rows)).toEqual(['typed', 'empty', 'missing']);
    expect(matching({ tags: { $gt: 0 } }, rows)).toEqual(['typed']);
    expect(matching({ tags: { $gte: 'hot' } }, rows)).toEqual(['hot']);
    expect(matching({ tags: { $regex: '^H', $options: 'i' } }, rows)).toEqual(['hot']);
  });

  it('null means the column is missing; an empty array is present', () => {
    expect(matching({ tags: null }, rows)).toEqual(['missing']);
    expect(matching({ tags: { $exists: true } }, rows)).toEqual(['hot', 'typed', 'empty']);
  });

  it('$in is overlap, $nin its negation', () => {
    expect(matching({ tags: { $in: ['enterprise', 1] } }, rows)).toEqual(['hot', 'typed']);
    expect(matching({ tags: { $in: ['nope', null] } }, rows)).toEqual(['missing']);
    expect(matching({ tags: { $nin: ['hot', '2'] } }, rows)).toEqual(['empty', 'missing']);
    expect(matching({ tags: { $nin: ['hot', null] } }, rows)).toEqual(['typed', 'empty']);
  });

  it('$all and $containedBy', () => {
    expect(matching({ tags: { $all: ['hot', 'enterprise'] } }, rows)).toEqual(['hot']);
    expect(matching({ tags: { $all: [1, true] } }, rows)).toEqual(['typed']);
    expect(matching({ tags: { $all: [] } }, rows)).toEqual([]);
    expect(matching({ tags: { $all: [{ $regex: '^\\Qho\\E' }, { $regex: 'prise$' }] } }, rows)).toEqual(['hot']);
    expect(matching({ tags: { $containedBy: ['hot', 'enterprise', 'cold'] } }, rows)).toEqual(['hot', 'empty', 'missing']);
    expect(matching({ tags: { $containedBy: [] } }, rows)).toEqual(['empty', 'missing']);
  });
});

describe('Object sub-keys', () => {
  const rows = {
    emea: { meta: { region: 'emea', score: 5, flag: true, nested: { x: 'y' } } },
    text: { meta: '{"region": "amer", "score": "5", "flag": false}' },
    jsonNull: { meta: { region: null, nested: 'flat' } },
    empty: { meta: {} },
    missing: {},
  };

  it('equality and ranges stay within one JSON type', () => {
    expect(matching({ 'meta.region': 'emea' }, rows)).toEqual(['emea']);
    expect(matching({ 'meta.score': 5 }, rows)).toEqual(['emea']);
    expect(matching({ 'meta.score': '5' }, rows)).toEqual(['text']);
    expect(matching({ 'meta.score': { $gt: 4 } }, rows)).toEqual(['emea']);
    expect(matching({ 'meta.score': { $gte: '0' } }, rows)).toEqual(['text']);
    expect(matching({ 'meta.flag': false }, rows)).toEqual(['text']);
    expect(matching({ 'meta.region': { $ne: 'emea' } }, rows)).toEqual(['text', 'jsonNull', 'empty', 'missing']);
  });

  it('null matches JSON null and missing keys; $exists counts JSON null as present', () => {
    expect(matching({ 'meta.region': null }, rows)).toEqual(['jsonNull', 'empty', 'missing']);
    expect(matching({ 'meta.region': { $ne: null } }, rows)).toEqual(['emea', 'text']);
    expect(matching({ 'meta.region': { $exists: true } }, rows)).toEqual(['emea', 'text', 'jsonNull']);
    expect(matching({ meta: { $exists: false } }, rows)).toEqual(['missing']);
    expect(matching({ meta: null }, rows)).toEqual(['missing']);
  });

  it('$in and $nin', () => {
    expect(matching({ 'meta.score': { $in: [5, 'x'] } }, rows)).toEqual(['emea']);
    expect(matching({ 'meta.region': { $in: ['amer', null] } }, rows)).toEqual(['text', 'jsonNull', 'empty', 'missing']);
    expect(matching({ 'meta.region': { $nin: ['amer', null] } }, rows)).toEqual(['emea']);
    expect(matching({ 'meta.score': { $nin: [5] } }, rows)).toEqual(['text', 'jsonNull', 'empty', 'missing']);
  });

  it('nested paths read only through objects', () => {
    expect(matching({ 'meta.nested.x': 'y' }, rows)).toEqual(['emea']);
    expect(matching({ 'meta.nested.x': { $exists: true } }, rows)).toEqual(['emea']);
    expect(matching({ 'meta.nested': { $exists: true } }, rows)).toEqual(['emea', 'jsonNull']);
    expect(matching({ 'meta.nested': 'flat' }, rows)).toEqual(['jsonNull']);
  });

  it('regex reads strings only', () => {
    expect(matching({ 'meta.score': { $regex: '5' } }, rows)).toEqual(['text']);
    expect(matching({ 'meta.region': { $regex: '^\\Qam\\E' } }, rows)).toEqual(['text']);
  });
});

describe('logic', () => {
  const rows = { a: { stage: 'won', amount: 5 }, b: { stage: 'lead', amount: 50 }, c: { amount: 0 }, d: {} };

  it('$and, $or and nesting', () => {
    expect(matching({ $or: [{ stage: 'won' }, { amount: { $gt: 10 } }] }, rows)).toEqual(['a', 'b']);
    expect(matching({ $and: [{ amount: { $gte: 0 } }, { amount: { $lt: 10 } }] }, rows)).toEqual(['a', 'c']);
    expect(matching({ $or: [{ $and: [{ stage: 'won' }, { amount: 5 }] }, { stage: null }] }, rows)).toEqual(['a', 'c', 'd']);
  });

  it('$nor keeps rows where a condition cannot hold because the value is missing', () => {
    expect(matching({ $nor: [{ stage: 'won' }, { amount: { $lt: 1 } }] }, rows)).toEqual(['b', 'd']);
  });

  it('conditions on fields the class does not have are constants', () => {
    expect(matching({ nope: null }, rows)).toHaveLength(4);
    expect(matching({ nope: 'x' }, rows)).toEqual([]);
  });
});

describe('readableBy', () => {
  const readable = (principals: string[], rperm: unknown) =>
    compileMatcher({ kind: 'readableBy', principals }, { schema: crmSchema })(row({ _rperm: rperm }));

  it('checks _rperm given as an array or as JSON text', () => {
    expect(readable(['*'], ['*'])).toBe(true);
    expect(readable(['*', 'u1'], '["u1"]')).toBe(true);
    expect(readable(['*', 'role:sales'], ['u2', 'role:sales'])).toBe(true);
    expect(readable(['*', 'u1'], ['u2'])).toBe(false);
    expect(readable(['*'], [])).toBe(false);
    expect(readable([], ['*'])).toBe(false);
    expect(readable(['*'], null)).toBe(false);
  });
});

describe('stored forms', () => {
  it('JSON text and parsed values give the same answers', () => {
    const match = matcher({ $or: [{ tags: 'b' }, { 'meta.k': 2 }] });
    expect(match(row({ tags: ['a', 'b'] }))).toBe(true);
    expect(match(row({ tags: '["a","b"]' }))).toBe(true);
    expect(match(row({ meta: { k: 2 } }))).toBe(true);
    expect(match(row({ meta: '{"k":2}' }))).toBe(true);
    expect(match(row({ meta: '{"k":3}', tags: '[]' }))).toBe(false);
  });

  it('re-reads JSON text that changed on the same row object', () => {
    const match = matcher({ tags: 'b' });
    const r = row({ tags: '["b"]' });
    expect(match(r)).toBe(true);
    r.tags = '["c"]';
    expect(match(r)).toBe(false);
  });

  it('treats malformed JSON text as missing', () => {
    expect(matcher({ tags: { $exists: false } })(row({ tags: '["a"' }))).toBe(true);
  });
});

describe('conditions that need the database', () => {
  const cases: [string, unknown, CompiledClass][] = [
    ['inQuery', { contact: { $inQuery: { className: 'Contact', where: {} } } }, dealClass],
    ['select', { company: { $select: { query: { className: 'Contact', where: {} }, key: 'company' } } }, dealClass],
    ['relatedTo', { $relatedTo: { object: ptr('_Role', 'r1'), key: 'users' } }, userClass],
    ['relationContains', { users: ptr('_User', 'u1') }, roleClass],
  ];

  it.each(cases)('%s is refused with a typed error, also when nested', (kind, where, cls) => {
    const expr: Expr = { kind: 'or', items: [parseWhere({ objectId: 'x' }, cls, crmSchema), parseWhere(where, cls, crmSchema)] };
    expect(needsDatabase(expr)).toBe(true);
    expect(databaseOnlyKind(expr)).toBe(kind);
    expect(() => compileMatcher(expr, { schema: crmSchema })).toThrow(NeedsDatabaseError);
    try {
      compileMatcher(expr, { schema: crmSchema });
    } catch (error) {
      expect((error as NeedsDatabaseError).kind).toBe(kind);
    }
  });

  it('other conditions do not', () => {
    expect(
      needsDatabase(
        and(parseWhere({ stage: 'won', tags: 'x' }, dealClass, crmSchema), { kind: 'readableBy', principals: ['*'] }),
      ),
    ).toBe(false);
  });

  it('LiveQuery answers them with Parse error 102', () => {
    const error = unsupportedInLiveQuery('inQuery');
    expect(error.code).toBe(ErrorCode.INVALID_QUERY);
    expect(error.message).toContain('$inQuery');
  });
});

/**
 * The where cases the SQL compilers are held to (storage/sql/where-cases.ts), asked of the matcher instead;
 * the sub-query and relation cases are left out, since the matcher refuses them.
 */
describe('shared SQL where cases', () => {
  const seedRows = (className: string, jsonAsText: boolean): Row[] =>
    (SEED[className] ?? []).map((seed) => {
      // test-db.ts stamps every seeded row with this time.
      const out: Row = { _rperm: seed._rperm ?? ['*'], createdAt: '2024-01-01T00:00:00.000Z' };
      for (const [key, value] of Object.entries(seed)) {
        const isJson = typeof value === 'object' && value !== null;
        out[key] =
          isJson && jsonAsText ? JSON.stringify(value) : typeof value === 'boolean' && jsonAsText ? Number(value) : value;
      }
      return out;
    });
  const cases = WHERE_CASES.map((c) => {
    const className = c.className ?? 'Deal';
    let expr = parseWhere(c.where, crmSchema.get(className)!, crmSchema);
    if (c.readableBy) expr = and(expr, { kind: 'readableBy', principals: c.readableBy });
    return { ...c, className, expr };
  });

  it.each(cases.filter((c) => !needsDatabase(c.expr)))('$name', (c) => {
    const match = compileMatcher(c.expr, { schema: crmSchema });
    for (const jsonAsText of [false, true]) {
      const ids = seedRows(c.className, jsonAsText)
        .filter(match)
        .map((r) => String(r.objectId));
      expect(ids.sort()).toEqual([...c.expect].sort());
    }
  });
});
