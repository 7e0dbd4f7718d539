import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors/parse-error.js';
import { parseKeys, parseOrder } from './parse-order.js';
import { dealClass, roleClass } from './test-fixtures.js';

function failure(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParseError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a ParseError');
}

describe('parseOrder', () => {
  it('comma strings and arrays, - for descending', () => {
    expect(parseOrder('stage,-amount', dealClass)).toEqual([
      { ref: { field: 'stage', type: 'String', path: [] }, descending: false },
      { ref: { field: 'amount', type: 'Number', path: [] }, descending: true },
    ]);
    expect(parseOrder(['-createdAt', 'objectId'], dealClass)).toEqual([
      { ref: { field: 'createdAt', type: 'Date', path: [] }, descending: true },
      { ref: { field: 'objectId', type: 'String', path: [] }, descending: false },
    ]);
  });

  it('dot paths into Object fields', () => {
    expect(parseOrder('-meta.score', dealClass)).toEqual([
      { ref: { field: 'meta', type: 'Object', path: ['score'] }, descending: true },
    ]);
  });

  it('nothing to order by', () => {
    expect(parseOrder(undefined, dealClass)).toEqual([]);
    expect(parseOrder('', dealClass)).toEqual([]);
    expect(parseOrder(' stage , ', dealClass)).toHaveLength(1);
  });

  it('unknown fields and fields without a column are 105 "Invalid field name"', () => {
    for (const order of ['nope', '-nope', 'ACL', 'contact.name', 'createdAt.x']) {
      expect(failure(() => parseOrder(order, dealClass))).toEqual({
        code: 105,
        message: `Invalid field name: ${order.replace(/^-/, '')}.`,
      });
    }
    expect(failure(() => parseOrder('users', roleClass)).code).toBe(105);
  });

  it.each(['_rperm', '$where', 'a;b', 'title"', '--title', '__proto__', 'constructor', 'meta.__proto__'])(
    'invalid name %j is 105',
    (order) => {
      expect(failure(() => parseOrder(order, dealClass)).code).toBe(105);
    },
  );

  it('$score and malformed values are 102', () => {
    expect(failure(() => parseOrder('$score', dealClass)).code).toBe(102);
    expect(failure(() => parseOrder(5, dealClass)).code).toBe(102);
    expect(failure(() => parseOrder({ stage: 1 }, dealClass)).code).toBe(102);
    expect(failure(() => parseOrder(['stage', 1], dealClass)).code).toBe(102);
    expect(failure(() => parseOrder(Array(100).fill('stage'), dealClass)).code).toBe(102);
  });
});

describe('parseKeys', () => {
  it('comma strings and arrays, de-duplicated, dot paths allowed', () => {
    expect(parseKeys('title,contact.company,title')).toEqual(['title', 'contact.company']);
    expect(parseKeys(['a', 'b.c'])).toEqual(['a', 'b.c']);
    expect(parseKeys(undefined)).toEqual([]);
    expect(parseKeys('')).toEqual([]);
  });

  it('* only when allowed (include)', () => {
    expect(parseKeys('*', { allowWildcard: true })).toEqual(['*']);
    expect(failure(() => parseKeys('*')).code).toBe(105);
    expect(failure(() => parseKeys('contact.*', { allowWildcard: true })).code).toBe(105);
  });

  it.each(['_rperm', 'a;b', '$x', '__proto__', 'a..b', 'contact.constructor', '-title'])('invalid key %j is 105', (keys) => {
    expect(failure(() => parseKeys(keys)).code).toBe(105);
  });

  it('malformed values are 102', () => {
    expect(failure(() => parseKeys(1)).code).toBe(102);
    expect(failure(() => parseKeys([1])).code).toBe(102);
    expect(failure(() => parseKeys({ a: 1 })).code).toBe(102);
    expect(failure(() => parseKeys(Array(1001).fill('a'))).code).toBe(102);
  });
});
