import { describe, expect, it } from 'vitest';
import { foldText, LATIN_FOLD, MAX_SEARCH_TERMS, searchTerms, searchWords } from './search-text.js';

describe('search text', () => {
  it('folds case and Latin diacritics, keeps other scripts (lower-cased)', () => {
    expect(foldText('José NÚÑEZ Ærø Straße')).toBe('jose nunez ærø straße');
    expect(foldText('Ωμέγα')).toBe('ωμέγα');
    // a decomposed é (e + combining acute) folds like the composed one
    expect(foldText('Jose\u0301')).toBe('jose');
  });

  it('splits words on anything but letters and digits', () => {
    expect(searchWords('alice@acme.example, +1 555-0100')).toEqual(['alice', 'acme', 'example', '1', '555', '0100']);
    expect(searchWords('"NEAR(" OR {name}:x*')).toEqual(['near', 'or', 'name', 'x']);
    expect(searchWords('*** --- ;')).toEqual([]);
  });

  it('query terms are distinct words, at most MAX_SEARCH_TERMS', () => {
    expect(searchTerms('acme Acme ACME corp')).toEqual(['acme', 'corp']);
    expect(searchTerms('a b c d e f g h i j k')).toHaveLength(MAX_SEARCH_TERMS);
    expect(searchTerms('"*"')).toEqual([]);
  });

  it('the translate() map agrees with foldText, one character to one', () => {
    const from = [...LATIN_FOLD.from];
    const to = [...LATIN_FOLD.to];
    expect(from.length).toBe(to.length);
    expect(from).toContain('É');
    expect(to[from.indexOf('É')]).toBe('e');
    expect(from.every((ch, i) => foldText(ch) === to[i])).toBe(true);
    expect(LATIN_FOLD.from).not.toMatch(/['\\]/);
  });
});
