import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { registerRegexp } from './regexp.js';

describe('regexp_match (SQLite, re2js)', () => {
  const db = new Database(':memory:');
  registerRegexp(db);
  const match = (pattern: unknown, flags: unknown, value: unknown) =>
    (db.prepare('SELECT regexp_match(?, ?, ?) AS m').get(pattern, flags, value) as { m: number }).m;

  it('searches anywhere in the value', () => {
    expect(match('b', '', 'abc')).toBe(1);
    expect(match('^b', '', 'abc')).toBe(0);
  });

  it('applies flags', () => {
    expect(match('ABC', 'i', 'xabcx')).toBe(1);
    expect(match('^b', 'm', 'a\nb')).toBe(1);
    expect(match('a.b', '', 'a\nb')).toBe(0);
    expect(match('a.b', 's', 'a\nb')).toBe(1);
  });

  it('never matches a missing value or a non-string, and never answers NULL', () => {
    expect(match('a', '', null)).toBe(0);
    expect(match('1', '', 1)).toBe(0);
  });

  it('refuses bad input instead of guessing', () => {
    expect(() => match('(a', '', 'a')).toThrow();
    expect(() => match('a', 'g', 'a')).toThrow();
    expect(() => match(null, '', 'a')).toThrow();
    expect(() => match('a'.repeat(5000), '', 'a')).toThrow();
  });

  it('is linear on a catastrophic pattern', () => {
    const started = performance.now();
    expect(match('^(a+)+$', '', `${'a'.repeat(100_000)}!`)).toBe(0);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('keeps working past the cache size', () => {
    for (let i = 0; i < 300; i++) expect(match(`^x${i}$`, '', `x${i}`)).toBe(1);
    expect(match('^x0$', '', 'x0')).toBe(1);
  });
});
