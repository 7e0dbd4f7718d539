import { describe, expect, it } from 'vitest';
import { memoizedByAclText, parseAcl } from './acl.js';

describe('memoizedByAclText', () => {
  it('derives once per ACL text, and again after the cache was emptied', () => {
    const calls: string[] = [];
    const derive = memoizedByAclText((text) => {
      calls.push(text);
      return parseAcl(JSON.parse(text));
    }, 2);
    const a = '{"u1":{"read":true}}';
    const b = '{"u2":{"read":true,"write":true}}';
    expect(derive(a)).toEqual({ _acl: a, _rperm: ['u1'], _wperm: [] });
    expect(derive(a)).toBe(derive(a));
    expect(derive(b)._wperm).toEqual(['u2']);
    expect(calls).toEqual([a, b]);
    // A third text fills the bounded cache: it is emptied, so `a` is derived anew.
    derive('{"*":{"read":true}}');
    derive(a);
    expect(calls).toEqual([a, b, '{"*":{"read":true}}', a]);
  });
});
