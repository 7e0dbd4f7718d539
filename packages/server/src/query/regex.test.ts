import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors/parse-error.js';
import { compileRe2, escapeLiteral, literalPrefix, toPostgresRegex, translateRegex } from './regex.js';

function code(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParseError) return error.code;
    throw error;
  }
  return 0;
}

describe('translateRegex', () => {
  it('expands the SDK quoting: startsWith, contains, endsWith', () => {
    expect(translateRegex('^\\QAlpha\\E')).toEqual({ pattern: '^Alpha', flags: '' });
    expect(translateRegex('\\Qa.b\\E')).toEqual({ pattern: 'a\\.b', flags: '' });
    expect(translateRegex('\\Q(x)\\E$')).toEqual({ pattern: '\\(x\\)$', flags: '' });
    expect(translateRegex('\\Qopen to the end')).toEqual({ pattern: 'open to the end', flags: '' });
    expect(translateRegex('\\Q[*+?{}|^$\\E')).toEqual({ pattern: '\\[\\*\\+\\?\\{\\}\\|\\^\\$', flags: '' });
  });

  it('keeps a quoted literal literal', () => {
    const { pattern, flags } = translateRegex('^\\Q.*\\E');
    expect(compileRe2(pattern, flags).test('.*x')).toBe(true);
    expect(compileRe2(pattern, flags).test('abc')).toBe(false);
  });

  it('an escaped backslash before Q is not a quote start', () => {
    expect(translateRegex('a\\\\Qb')).toEqual({ pattern: 'a\\\\Qb', flags: '' });
  });

  it('canonicalizes flags and applies free-spacing itself', () => {
    expect(translateRegex('a', 'smi')).toEqual({ pattern: 'a', flags: 'ims' });
    expect(translateRegex(' a b # comment\n c [ ]', 'x')).toEqual({ pattern: 'abc[ ]', flags: '' });
    expect(translateRegex('a\\ b', 'x')).toEqual({ pattern: 'a\\ b', flags: '' });
    expect(translateRegex('\\Qa b\\E', 'x')).toEqual({ pattern: 'a b', flags: '' });
    expect(translateRegex('a', '')).toEqual({ pattern: 'a', flags: '' });
  });

  it('hoists leading inline flags', () => {
    expect(translateRegex('(?i)abc')).toEqual({ pattern: 'abc', flags: 'i' });
    expect(translateRegex('(?sm)abc', 'i')).toEqual({ pattern: 'abc', flags: 'ims' });
  });

  it('drops group names (captures are never read) and keeps non-capturing groups', () => {
    expect(translateRegex('(?P<x>a)(?<y>b)(?:c)')).toEqual({ pattern: '(a)(b)(?:c)', flags: '' });
  });

  it('escapes a brace that is not a repetition', () => {
    expect(translateRegex('a{b}')).toEqual({ pattern: 'a\\{b\\}', flags: '' });
    expect(translateRegex('a{2,3}')).toEqual({ pattern: 'a{2,3}', flags: '' });
  });

  it.each([
    ['backreference', '(a)\\1'],
    ['lookahead', 'a(?=b)'],
    ['negative lookahead', 'a(?!b)'],
    ['lookbehind', '(?<=a)b'],
    ['inline flag mid-pattern', 'a(?i)b'],
    ['scoped inline flag', '(?i:a)'],
    ['unicode class', '\\pL'],
    ['negated POSIX class', '[[:^alpha:]]'],
    ['repeat count above 255', 'a{256}'],
    ['nested repetition', 'a**'],
    ['unterminated class', '[abc'],
    ['trailing backslash', 'abc\\'],
    ['atomic group', '(?>a)'],
    ['too long', 'a'.repeat(1001)],
  ])('rejects %s with 102', (_name, pattern) => {
    expect(code(() => translateRegex(pattern))).toBe(102);
  });

  it.each([['g'], ['u'], ['i '], [1], [['i']]])('rejects $options %j with 102', (options) => {
    expect(code(() => translateRegex('a', options))).toBe(102);
  });

  it('rejects a non-string pattern', () => {
    expect(code(() => translateRegex(1))).toBe(102);
    expect(code(() => translateRegex({ source: 'a' }))).toBe(102);
  });

  it('accepts a catastrophic pattern, and RE2 runs it in linear time', () => {
    const { pattern, flags } = translateRegex('(a+)+$');
    const started = performance.now();
    expect(compileRe2(pattern, flags).test(`${'a'.repeat(200_000)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('literalPrefix', () => {
  it.each([
    ['^abc', '', 'abc'],
    ['^a\\.b\\%', '', 'a.b%'],
    ['^', '', ''],
    ['^Épsilon 🚀', '', 'Épsilon 🚀'],
    ['^abc', 's', 'abc'],
  ])('%s (%s) → %s', (pattern, flags, prefix) => {
    expect(literalPrefix(pattern, flags)).toBe(prefix);
  });

  it.each([
    ['abc', ''],
    ['^a.c', ''],
    ['^abc$', ''],
    ['^ab*', ''],
    ['^a|b', ''],
    ['^\\d', ''],
    ['^abc', 'i'],
    ['^abc', 'm'],
    ['^[a]', ''],
  ])('%s (%s) is not a pure prefix', (pattern, flags) => {
    expect(literalPrefix(pattern, flags)).toBeNull();
  });

  it('round-trips escapeLiteral', () => {
    const text = 'a.b*c(d)[e]{f}|g^h$i\\j-k+l?m';
    expect(literalPrefix(`^${escapeLiteral(text)}`, '')).toBe(text);
  });
});

describe('toPostgresRegex', () => {
  const pg = (pattern: string, flags = '') => toPostgresRegex({ pattern, flags });

  it('keeps . off newlines unless s', () => {
    expect(pg('a.b')).toEqual({ pattern: 'a[^\\n]b', caseInsensitive: false });
    expect(pg('a.b', 's')).toEqual({ pattern: 'a.b', caseInsensitive: false });
    expect(pg('[.]\\.')).toEqual({ pattern: '[.]\\.', caseInsensitive: false });
  });

  it('maps m to the ARE w option and i to ~*', () => {
    expect(pg('^a$', 'im')).toEqual({ pattern: '(?w)^a$', caseInsensitive: true });
  });

  it('maps escapes ARE spells differently', () => {
    expect(pg('\\bword\\B\\z').pattern).toBe('\\yword\\Y\\Z');
    expect(pg('\\x41\\x{1F680}b').pattern).toBe('\\U00000041\\U0001F680b');
    expect(pg('\\0').pattern).toBe('\\U00000000');
    expect(pg('[\\d\\]x]').pattern).toBe('[\\d\\]x]');
    expect(pg('[[:alpha:].]').pattern).toBe('[[:alpha:].]');
    expect(pg('[]a]').pattern).toBe('[]a]');
    expect(pg('[^]a].').pattern).toBe('[^]a][^\\n]');
  });
});
