/**
 * The `search` function's parameters, checked before any query runs. Bad input is the caller's mistake:
 * 102 (invalid query) with a message naming the parameter, never a 500.
 */
import { invalidQuery } from '../errors/parse-error.js';
import { searchTerms } from '../storage/sql/search-text.js';
import { SEARCHABLE_CLASS_NAMES } from './search-fields.js';

export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;

export interface SearchRequest {
  /** Folded words of `q`, each matched as a word prefix; empty when `q` has no letters or digits. */
  terms: string[];
  classes: string[];
  limit: number;
}

const KNOWN = new Set(['q', 'classes', 'limit']);

export function parseSearchParams(params: Record<string, unknown>): SearchRequest {
  for (const key of Object.keys(params)) {
    if (!KNOWN.has(key)) throw invalidQuery(`search takes q, classes and limit; unknown parameter ${key.slice(0, 40)}`);
  }
  const { q } = params;
  if (typeof q !== 'string') throw invalidQuery('q must be a string');
  if (q.trim() === '') throw invalidQuery('q must not be empty');
  if (q.length > MAX_QUERY_LENGTH) throw invalidQuery(`q must be at most ${MAX_QUERY_LENGTH} characters`);
  return { terms: searchTerms(q), classes: parseClasses(params.classes), limit: parseLimit(params.limit) };
}

function parseClasses(value: unknown): string[] {
  if (value === undefined || value === null) return [...SEARCHABLE_CLASS_NAMES];
  const names = typeof value === 'string' ? value.split(',') : value;
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    !names.every((n) => typeof n === 'string' && SEARCHABLE_CLASS_NAMES.includes(n))
  ) {
    throw invalidQuery(`classes must be a non-empty list of ${SEARCHABLE_CLASS_NAMES.join(', ')}`);
  }
  return [...new Set(names as string[])];
}

/** Integers from 1; above the maximum answers the maximum, as REST limits do. GET sends numbers as text. */
function parseLimit(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_SEARCH_LIMIT;
  const limit = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw invalidQuery('limit must be a positive integer');
  return Math.min(limit, MAX_SEARCH_LIMIT);
}
