/**
 * Final ordering of search hits, computed from the visible fields of each hit alone. The storage's own
 * relevance (bm25 on SQLite, ts_rank on PostgreSQL) picks the candidates; this score orders them the same
 * way on both backends and depends on nothing but the row and the query — not on how often a word occurs
 * in rows the caller cannot read (bm25 weighs rare words up across the whole table).
 */
import type { SearchField, SearchWeight } from '../storage/adapter.js';
import { searchWords } from '../storage/sql/search-text.js';

const FIELD_WEIGHT: Record<SearchWeight, number> = { A: 8, B: 4, C: 2, D: 1 };

/** Per field: a whole-word hit counts 1 and a prefix hit ½ per term; a field that *is* the query doubles. */
export function scoreObject(object: Record<string, unknown>, fields: readonly SearchField[], terms: readonly string[]): number {
  if (terms.length === 0) return 0;
  const phrase = terms.join(' ');
  let score = 0;
  for (const { field, weight } of fields) {
    const value = object[field];
    if (typeof value !== 'string') continue;
    const words = searchWords(value);
    let matched = 0;
    for (const term of terms) {
      if (words.includes(term)) matched += 1;
      else if (words.some((word) => word.startsWith(term))) matched += 0.5;
    }
    if (matched === 0) continue;
    let fieldScore = matched / terms.length;
    const text = words.join(' ');
    if (text === phrase) fieldScore += 1;
    else if (text.startsWith(phrase)) fieldScore += 0.25;
    score += FIELD_WEIGHT[weight] * fieldScore;
  }
  return Math.round(score * 1000) / 1000;
}
