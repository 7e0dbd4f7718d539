/**
 * Reading a stored row the way the SQL back ends read their columns, so the LiveQuery matcher sees exactly
 * what compiled `where` SQL sees. Rows reach LiveQuery from several places — the SQLite adapter (booleans as
 * 0/1, JSON columns as text), the PostgreSQL adapter (booleans, parsed jsonb, text[]) and the change feed
 * (either, after a JSON round trip) — so every reader accepts each of those forms.
 */
import type { Row } from '../storage/adapter.js';

/**
 * Reads one value of a row. `undefined` stands for SQL NULL: a missing column, or a key absent inside a JSON
 * value. `null` is JSON null, which only occurs inside Object and Array values and which `$exists` counts as
 * present.
 */
export type Reader = (row: Row) => unknown;

export function columnReader(field: string, boolean: boolean): Reader {
  if (boolean) {
    return (row) => {
      const value = row[field];
      if (value === null || value === undefined) return undefined;
      // SQLite has no boolean type; its rows carry 0/1.
      return typeof value === 'number' ? value !== 0 : value;
    };
  }
  return (row) => row[field] ?? undefined;
}

/**
 * One event row is matched against every subscription of its class, so the JSON text of a column is parsed
 * once per row, not once per subscription. The text is kept with the parsed value so a row object that is
 * mutated between events is never answered from a stale parse.
 */
const parsed = new WeakMap<Row, Map<string, { text: string; value: unknown }>>();

function jsonColumn(row: Row, field: string): unknown {
  const raw = row[field];
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'string') return raw;
  let columns = parsed.get(row);
  const hit = columns?.get(field);
  if (hit && hit.text === raw) return hit.value;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // The SQL back ends would fail the whole statement on malformed JSON; here the value is simply unknown.
    value = undefined;
  }
  if (!columns) parsed.set(row, (columns = new Map()));
  columns.set(field, { text: raw, value });
  return value;
}

/** `field.a.b` as SQLite's `$.a.b` and PostgreSQL's `#> '{a,b}'` read it: only objects have keys. */
export function pathReader(field: string, path: readonly string[]): Reader {
  return (row) => {
    let value = jsonColumn(row, field);
    for (const key of path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) {
        return undefined;
      }
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

/** Elements of an Array column; undefined when the column is NULL. */
export function arrayReader(field: string): (row: Row) => readonly unknown[] | undefined {
  return (row) => {
    const value = jsonColumn(row, field);
    return Array.isArray(value) ? value : undefined;
  };
}

/**
 * Code point order, which is what SQLite's BINARY collation, PostgreSQL's "C" collation and Parse on MongoDB
 * use. JavaScript's `<` compares UTF-16 units instead, which puts U+E000–U+FFFF after every astral character.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (astral characters) above U+E000–U+FFFF, keeping every other unit's order. */
const codePointRank = (unit: number): number => (unit < 0xd800 ? unit : unit <= 0xdfff ? unit + 0x2000 : unit - 0x800);

/**
 * Order of two values of one type, as SQL compares them; undefined across types, which never compare (typed
 * columns hold one type, and JSON values are guarded by type before any comparison).
 */
export function compareScalars(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}
