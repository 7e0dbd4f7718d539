import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, parseSearchParams } from './search-params.js';

const code = (params: Record<string, unknown>): number | undefined => {
  try {
    parseSearchParams(params);
  } catch (error) {
    return (error as { code: number }).code;
  }
  return undefined;
};

describe('parseSearchParams', () => {
  it('defaults: every searchable class, limit 20', () => {
    expect(parseSearchParams({ q: 'Acme  corp' })).toEqual({
      terms: ['acme', 'corp'],
      classes: ['Contact', 'Company', 'Deal'],
      limit: DEFAULT_SEARCH_LIMIT,
    });
  });

  it('classes as a list or comma text; limit as a number or digits, capped at 100', () => {
    expect(parseSearchParams({ q: 'a', classes: ['Deal', 'Deal'], limit: 5 })).toMatchObject({ classes: ['Deal'], limit: 5 });
    expect(parseSearchParams({ q: 'a', classes: 'Deal,Contact', limit: '7' })).toMatchObject({
      classes: ['Deal', 'Contact'],
      limit: 7,
    });
    expect(parseSearchParams({ q: 'a', limit: 5000 }).limit).toBe(MAX_SEARCH_LIMIT);
  });

  it('text without letters or digits is a valid query with no terms', () => {
    expect(parseSearchParams({ q: '"*"' }).terms).toEqual([]);
  });

  it('refuses bad input with 102', () => {
    for (const params of [
      {},
      { q: null },
      { q: '' },
      { q: ' \n ' },
      { q: 'x'.repeat(201) },
      { q: 'a', classes: ['Activity'] },
      { q: 'a', classes: [] },
      { q: 'a', classes: [1] },
      { q: 'a', limit: 0 },
      { q: 'a', limit: 1.5 },
      { q: 'a', limit: '1e3' },
      { q: 'a', limit: true },
      { q: 'a', order: 'title' },
    ]) {
      expect(code(params), JSON.stringify(params)).toBe(102);
    }
  });
});
