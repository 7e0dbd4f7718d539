/**
 * What a word is for full-text search, shared by both dialects so a query finds the same rows on each:
 * runs of letters and digits, lower-cased, with diacritics removed from Latin letters ("José" → "jose").
 * SQLite's FTS5 `unicode61 remove_diacritics 2` tokenizer does this natively; PostgreSQL's index expression
 * applies LATIN_FOLD with translate() and splits on ASCII punctuation first (pg-search.ts), so the stored
 * words agree. Query terms are folded here, in code, and contain nothing but letters and digits — no FTS5 or
 * tsquery syntax can come from user text.
 */

/** Code point ranges whose accented letters fold to a plain ASCII letter: Latin-1, Extended-A/B, Additional. */
const LATIN_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00c0, 0x024f],
  [0x1e00, 0x1eff],
];

/** One character folded: accented Latin → its ASCII base letter, lower-cased; anything else lower-cased. */
function foldChar(ch: string): string {
  const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
  if (/^[A-Za-z]$/.test(base)) return base.toLowerCase();
  return ch.toLowerCase();
}

/**
 * The single-character folds of the Latin ranges (É → e, also Æ → æ), as translate()'s two argument strings (PostgreSQL). Upper
 * case ASCII is left to the `simple` dictionary, which lower-cases every lexeme.
 */
export const LATIN_FOLD: { from: string; to: string } = (() => {
  let from = '';
  let to = '';
  for (const [start, end] of LATIN_RANGES) {
    for (let code = start; code <= end; code++) {
      const ch = String.fromCodePoint(code);
      const folded = foldChar(ch);
      if (folded !== ch && [...folded].length === 1) {
        from += ch;
        to += folded;
      }
    }
  }
  return { from, to };
})();

/** Text folded as the index folds it. */
export function foldText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) out += foldChar(ch);
  return out;
}

/** The words of a text, as the index stores them. */
export function searchWords(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** At most this many terms are matched; words after them are ignored (they only narrow the result further). */
export const MAX_SEARCH_TERMS = 8;

/** A query's terms: its distinct words, each matched as a word prefix. Empty when it has no letters or digits. */
export function searchTerms(query: string): string[] {
  return [...new Set(searchWords(query))].slice(0, MAX_SEARCH_TERMS);
}
