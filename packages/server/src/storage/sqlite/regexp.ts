/**
 * `regexp_match(pattern, flags, value)` for SQLite, backed by re2js: matching is linear in the input, so a
 * hostile pattern costs at most one scan per row. Patterns arrive already validated by query/regex.ts; the
 * checks here only stop other callers from bypassing that layer.
 */
import type { Database } from 'better-sqlite3';
import type { RE2JS } from 're2js';
import { compileRe2, MAX_REGEX_LENGTH } from '../../query/regex.js';

const CACHE_SIZE = 128;
const FLAGS_PATTERN = /^[ims]*$/;

export function registerRegexp(db: Database): void {
  const cache = new Map<string, RE2JS>();

  const compiled = (pattern: string, flags: string): RE2JS => {
    const key = `${flags}/${pattern}`;
    const hit = cache.get(key);
    if (hit) {
      // Re-inserting moves the entry to the back: Map iteration order is our recency list.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const re = compileRe2(pattern, flags);
    cache.set(key, re);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return re;
  };

  db.function('regexp_match', { deterministic: true, varargs: false }, (pattern, flags, value) => {
    if (typeof pattern !== 'string' || pattern.length > MAX_REGEX_LENGTH * 2) {
      throw new Error('regexp_match: invalid pattern');
    }
    if (typeof flags !== 'string' || !FLAGS_PATTERN.test(flags)) throw new Error('regexp_match: invalid flags');
    // Mongo semantics: a regex never matches a missing value or a non-string, and the answer is never NULL
    // so that NOT(...) stays two-valued.
    if (typeof value !== 'string') return 0;
    return compiled(pattern, flags).test(value) ? 1 : 0;
  });
}
