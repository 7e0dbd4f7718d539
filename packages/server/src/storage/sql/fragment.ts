/**
 * A tiny SQL builder: every value interpolated into `sql\`...\`` becomes a bound parameter, identifiers go
 * through `ident()` (quoted), and only fragments nest. SQL text is never assembled from user strings, so a
 * hostile field name or value cannot change the statement's shape. Rendering per dialect chooses the
 * placeholder style (`?` for SQLite, `$n` for PostgreSQL).
 */
export class Ident {
  /** Quoted once: the same few table and column names are rendered on every request. */
  readonly quoted: string;
  constructor(readonly name: string) {
    this.quoted = quoteIdent(name);
  }
}

export class Param {
  constructor(readonly value: unknown) {}
}

type Token = string | Ident | Param;

export class SqlFragment {
  constructor(readonly tokens: readonly Token[]) {}

  get isEmpty(): boolean {
    return this.tokens.every((t) => t === '');
  }
}

// Plain loops, not forEach/spread: fragments are built for every statement of every request.
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  const tokens: Token[] = [];
  for (let i = 0; i < strings.length; i++) {
    const text = strings[i]!;
    if (text) tokens.push(text);
    if (i < values.length) pushValue(tokens, values[i]);
  }
  return new SqlFragment(tokens);
}

function pushTokens(tokens: Token[], more: readonly Token[]): void {
  for (let i = 0; i < more.length; i++) tokens.push(more[i]!);
}

function pushValue(tokens: Token[], value: unknown): void {
  if (value instanceof SqlFragment) pushTokens(tokens, value.tokens);
  else if (value instanceof Ident || value instanceof Param) tokens.push(value);
  else tokens.push(new Param(value));
}

/** A quoted identifier (table, column, alias). Names reaching here are validated, quoting is the second wall. */
const interned = new Map<string, Ident>();
export function ident(name: string): Ident {
  let found = interned.get(name);
  if (!found) {
    // Names reaching SQL are schema fields, classes and our aliases; the bound only guards against surprises.
    if (interned.size > 10_000) interned.clear();
    found = new Ident(name);
    interned.set(name, found);
  }
  return found;
}

/** `"table"."column"` */
export const qualified = (table: string, column: string): SqlFragment => sql`${ident(table)}.${ident(column)}`;

export const param = (value: unknown): Param => new Param(value);

/**
 * SQL keywords chosen from a fixed set by our own code (ASC/DESC, operators). Typed as a literal union at each
 * call site so a request string can never reach it.
 */
export const keyword = <K extends string>(text: K): SqlFragment => new SqlFragment([text]);

/**
 * A row-count bound written into the statement text. SQLite re-prepares a statement whenever a parameter the
 * planner looks at is re-bound, and LIMIT is one: a bound LIMIT made every find re-plan (~30 µs, more than the
 * lookup itself; docs/PERFORMANCE.md). Only a non-negative safe integer is accepted, so no request text can
 * reach SQL through it; OFFSET stays a parameter (it does not affect the plan, and varies with paging).
 */
export function limitCount(n: number): SqlFragment {
  if (!Number.isSafeInteger(n) || n < -1) throw new Error(`invalid LIMIT ${String(n)}`);
  return new SqlFragment([String(n)]);
}

const COMMA = new SqlFragment([', ']);

export function join(fragments: readonly SqlFragment[], separator: SqlFragment = COMMA): SqlFragment {
  const tokens: Token[] = [];
  for (let i = 0; i < fragments.length; i++) {
    if (i > 0) pushTokens(tokens, separator.tokens);
    pushTokens(tokens, fragments[i]!.tokens);
  }
  return new SqlFragment(tokens);
}

export type DialectName = 'sqlite' | 'postgres';

export interface RenderedSql {
  text: string;
  params: unknown[];
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function render(fragment: SqlFragment, dialect: DialectName): RenderedSql {
  let text = '';
  const params: unknown[] = [];
  for (const token of fragment.tokens) {
    if (typeof token === 'string') text += token;
    else if (token instanceof Ident) text += token.quoted;
    else {
      params.push(token.value);
      text += dialect === 'sqlite' ? '?' : `$${params.length}`;
    }
  }
  return { text, params };
}
