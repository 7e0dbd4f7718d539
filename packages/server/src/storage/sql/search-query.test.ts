/** The two places user words become search syntax: FTS5 MATCH text and tsquery text. */
import { describe, expect, it } from 'vitest';
import { matchExpression } from '../sqlite/sqlite-search.js';
import { tsQueryText } from '../postgres/pg-search.js';

describe('search query text', () => {
  it('FTS5: each term a quoted prefix within the allowed columns, all required', () => {
    expect(matchExpression(['name', 'email'], ['acm', 'jo'])).toBe('{"name" "email"} : "acm"* AND {"name" "email"} : "jo"*');
    expect(matchExpression(['notes'], ['a"b'])).toBe('{"notes"} : "a""b"*');
  });

  it('tsquery: each term a quoted prefix lexeme, all required', () => {
    expect(tsQueryText(['acm', 'jo'])).toBe("'acm':* & 'jo':*");
    expect(tsQueryText(["o'b"])).toBe("'o''b':*");
  });
});
