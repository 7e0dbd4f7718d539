/**
 * Expr → parameterized SQL predicate for SQLite and PostgreSQL, with Parse/Mongo semantics: `ne`/`nin`
 * match missing values, a scalar compared with an Array field means "contains", Object sub-keys compare
 * only within one JSON type. Every predicate is qualified with its table alias so it stays unambiguous
 * inside sub-queries. Values are always bound parameters; names are validated upstream and quoted here.
 */
import { permissionNeedle } from './permission-list.js';
import type { ComparisonOp, Expr, FieldRef, StoredScalar, SubQuery } from '../../query/ast.js';
import { literalPrefix, toPostgresRegex } from '../../query/regex.js';
import { isPolymorphicPointer, joinTableName, type SchemaLookup } from '../../schema/compiled.js';
import { ident, join, keyword, qualified, sql, type DialectName, type SqlFragment } from './fragment.js';
import { jsonAt, jsonTypeAt } from './json-sql.js';

export interface WhereContext {
  dialect: DialectName;
  /** The class table (named exactly like the class). */
  table: string;
  schema: SchemaLookup;
  /** Qualifier for the table's columns when the caller aliases it in FROM; defaults to `table`. */
  alias?: string;
}

interface Scope {
  dialect: DialectName;
  schema: SchemaLookup;
  className: string;
  alias: string;
  /** Shared across nested scopes so every sub-query alias in one statement is distinct. */
  aliases: { next: number };
}

type Value = string | number | boolean;

const TRUE_SQL = sql`1=1`;
const FALSE_SQL = sql`1=0`;
const OPERATORS = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

export function compileWhere(expr: Expr, ctx: WhereContext): SqlFragment {
  return compile(expr, {
    dialect: ctx.dialect,
    schema: ctx.schema,
    className: ctx.table,
    alias: ctx.alias ?? ctx.table,
    aliases: { next: 0 },
  });
}

function compile(expr: Expr, s: Scope): SqlFragment {
  switch (expr.kind) {
    case 'const':
      return expr.value ? TRUE_SQL : FALSE_SQL;
    case 'and':
      return junction(
        flatten(expr.items, 'and').map((e) => compile(e, s)),
        'AND',
        TRUE_SQL,
      );
    case 'or':
      return junction(
        flatten(expr.items, 'or').map((e) => compile(e, s)),
        'OR',
        FALSE_SQL,
      );
    case 'nor':
      return notTrue(
        junction(
          flatten(expr.items, 'or').map((e) => compile(e, s)),
          'OR',
          FALSE_SQL,
        ),
      );
    case 'compare':
    case 'in':
    case 'all':
    case 'containedBy':
    case 'exists':
    case 'regex':
      return fieldPredicate(expr, s);
    case 'inQuery':
      return inQuery(expr.ref, expr.query, expr.negate, s);
    case 'select':
      return select(expr.ref, expr.query, expr.key, expr.negate, s);
    case 'relatedTo':
      return joinMembership(s, joinTableName(expr.ownerClass, expr.key), 'relatedId', 'owningId', expr.ownerId);
    case 'relationContains':
      return joinMembership(s, joinTableName(s.className, expr.key), 'owningId', 'relatedId', expr.relatedId);
    case 'readableBy':
      return readableBy(expr.principals, s);
  }
}

/** `a AND (b AND c)` reads as `a AND b AND c`: same meaning, flatter SQL. */
function flatten(items: readonly Expr[], kind: 'and' | 'or'): Expr[] {
  return items.flatMap((e) => (e.kind === kind ? flatten(e.items, kind) : [e]));
}

/** Fragments already wrapped in parentheses, so wrapping them again can be skipped. */
const parenthesized = new WeakSet<SqlFragment>();

function paren(f: SqlFragment): SqlFragment {
  const wrapped = sql`(${f})`;
  parenthesized.add(wrapped);
  return wrapped;
}

function junction(items: SqlFragment[], op: 'AND' | 'OR', empty: SqlFragment): SqlFragment {
  if (items.length === 0) return empty;
  if (items.length === 1) return items[0];
  return paren(join(items, keyword(op === 'AND' ? ' AND ' : ' OR ')));
}

/** NOT that also holds when the operand is NULL (unknown), which plain NOT would drop. */
const notTrue = (f: SqlFragment): SqlFragment => sql`${parenthesized.has(f) ? f : paren(f)} IS NOT TRUE`;

const list = (values: readonly unknown[]): SqlFragment => join(values.map((v) => sql`${v}`));

/** better-sqlite3 cannot bind booleans; SQLite stores them as 0/1. */
const bind = (s: Scope, value: Value): Value => (s.dialect === 'sqlite' && typeof value === 'boolean' ? Number(value) : value);

type FieldExpr = Extract<Expr, { kind: 'compare' | 'in' | 'all' | 'containedBy' | 'exists' | 'regex' }>;

function fieldPredicate(expr: FieldExpr, s: Scope): SqlFragment {
  const column = qualified(s.alias, expr.ref.field);
  if (expr.ref.path.length > 0) return objectPathPredicate(expr, column, expr.ref.path, s);
  if (expr.ref.type === 'Array') return arrayPredicate(expr, column, s);
  return columnPredicate(expr, column, s);
}

// ---------------------------------------------------------------------------------------------------------
// Typed columns (String, Number, Boolean, Date, Pointer, and null checks on Object/Array)

function columnPredicate(expr: FieldExpr, column: SqlFragment, s: Scope): SqlFragment {
  switch (expr.kind) {
    case 'compare':
      return columnCompare(column, expr.op, expr.value, s);
    case 'in':
      return columnIn(column, expr.values, expr.negate, s);
    case 'exists':
      return expr.exists ? sql`${column} IS NOT NULL` : sql`${column} IS NULL`;
    case 'regex':
      return columnRegex(column, expr.pattern, expr.flags, s);
    case 'all':
    case 'containedBy':
      throw new Error(`${expr.kind} needs an Array field`);
  }
}

function columnCompare(column: SqlFragment, op: ComparisonOp, value: StoredScalar, s: Scope): SqlFragment {
  if (value === null) return nullCheck(column, op);
  const v = bind(s, value);
  if (op === 'ne') return sql`(${column} IS NULL OR ${column} <> ${v})`;
  return sql`${column} ${keyword(OPERATORS[op])} ${v}`;
}

function nullCheck(column: SqlFragment, op: ComparisonOp): SqlFragment {
  if (op === 'eq') return sql`${column} IS NULL`;
  if (op === 'ne') return sql`${column} IS NOT NULL`;
  throw new Error(`${op} with null`);
}

function columnIn(column: SqlFragment, values: readonly StoredScalar[], negate: boolean, s: Scope): SqlFragment {
  const present = values.filter((v): v is Value => v !== null).map((v) => bind(s, v));
  const withNull = present.length < values.length;
  if (present.length === 0) {
    if (!withNull) return negate ? TRUE_SQL : FALSE_SQL;
    return negate ? sql`${column} IS NOT NULL` : sql`${column} IS NULL`;
  }
  const items = list(present);
  if (!negate) return withNull ? sql`(${column} IS NULL OR ${column} IN (${items}))` : sql`${column} IN (${items})`;
  return withNull
    ? sql`(${column} IS NOT NULL AND ${column} NOT IN (${items}))`
    : sql`(${column} IS NULL OR ${column} NOT IN (${items}))`;
}

function columnRegex(column: SqlFragment, pattern: string, flags: string, s: Scope): SqlFragment {
  const prefix = literalPrefix(pattern, flags);
  if (prefix !== null) return prefixMatch(column, prefix, s);
  return regexMatch(column, pattern, flags, s);
}

function regexMatch(text: SqlFragment, pattern: string, flags: string, s: Scope): SqlFragment {
  if (s.dialect === 'sqlite') return sql`regexp_match(${pattern}, ${flags}, ${text})`;
  const pg = toPostgresRegex({ pattern, flags });
  return pg.caseInsensitive ? sql`${text} ~* ${pg.pattern}` : sql`${text} ~ ${pg.pattern}`;
}

/**
 * startsWith without a regex scan. SQLite compares text bytewise (BINARY), so a half-open range is exact
 * and uses the column's index; PostgreSQL's range order depends on collation, so it gets LIKE, which the
 * planner turns into an index range where the index supports it.
 */
function prefixMatch(column: SqlFragment, prefix: string, s: Scope): SqlFragment {
  if (s.dialect === 'postgres') return sql`${column} LIKE ${`${prefix.replace(/[\\%_]/g, '\\$&')}%`}`;
  const upper = prefixUpperBound(prefix);
  return upper === null ? sql`${column} >= ${prefix}` : sql`(${column} >= ${prefix} AND ${column} < ${upper})`;
}

/** Smallest string greater than every string starting with `prefix`, in code point (= UTF-8 byte) order. */
export function prefixUpperBound(prefix: string): string | null {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      const next = last + 1 >= 0xd800 && last + 1 <= 0xdfff ? 0xe000 : last + 1;
      return String.fromCodePoint(...points, next);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// JSON values: Object sub-keys and Array elements

/** Where a JSON value is read from: `value` in comparable form, `type` as the dialect names JSON types. */
interface JsonSlot {
  value: () => SqlFragment;
  type: () => SqlFragment;
}

function sqliteTypeGuard(type: SqlFragment, v: Value): SqlFragment {
  if (typeof v === 'string') return sql`${type} = 'text'`;
  if (typeof v === 'number') return sql`${type} IN ('integer', 'real')`;
  return v ? sql`${type} = 'true'` : sql`${type} = 'false'`;
}

/** One JSON value compared with a non-null scalar, never across JSON types (Mongo's type bracketing). */
function jsonMatch(slot: JsonSlot, op: Exclude<ComparisonOp, 'ne'>, v: Value, s: Scope): SqlFragment {
  const operator = keyword(OPERATORS[op]);
  if (s.dialect === 'sqlite') {
    if (typeof v === 'boolean') {
      if (op !== 'eq') throw new Error('range comparison with a boolean');
      return sqliteTypeGuard(slot.type(), v);
    }
    return paren(sql`${sqliteTypeGuard(slot.type(), v)} AND ${slot.value()} ${operator} ${v}`);
  }
  if (op === 'eq') return sql`${slot.value()} = ${JSON.stringify(v)}::jsonb`;
  const guard = typeof v === 'number' ? sql`${slot.type()} = 'number'` : sql`${slot.type()} = 'string'`;
  return paren(sql`${guard} AND ${slot.value()} ${operator} ${JSON.stringify(v)}::jsonb`);
}

/** One JSON value equal to any of `values` (all non-null), grouped by JSON type. */
function jsonIn(slot: JsonSlot, values: readonly Value[], s: Scope): SqlFragment {
  if (values.length === 0) return FALSE_SQL;
  if (s.dialect === 'postgres') return sql`${slot.value()} IN (${list(values.map((v) => sql`${JSON.stringify(v)}::jsonb`))})`;
  const strings = values.filter((v) => typeof v === 'string');
  const numbers = values.filter((v) => typeof v === 'number');
  const parts: SqlFragment[] = [];
  if (strings.length) parts.push(paren(sql`${slot.type()} = 'text' AND ${slot.value()} IN (${list(strings)})`));
  if (numbers.length) parts.push(paren(sql`${slot.type()} IN ('integer', 'real') AND ${slot.value()} IN (${list(numbers)})`));
  if (values.includes(true)) parts.push(sqliteTypeGuard(slot.type(), true));
  if (values.includes(false)) parts.push(sqliteTypeGuard(slot.type(), false));
  return junction(parts, 'OR', FALSE_SQL);
}

function jsonRegex(slot: JsonSlot, pattern: string, flags: string, s: Scope): SqlFragment {
  if (s.dialect === 'sqlite') return sql`(${slot.type()} = 'text' AND ${regexMatch(slot.value(), pattern, flags, s)})`;
  // Text taken out of jsonb carries the database's collation; "C" makes classes like \w read as on columns.
  return sql`(${slot.type()} = 'string' AND ${regexMatch(sql`(${slot.value()} #>> '{}') COLLATE "C"`, pattern, flags, s)})`;
}

function objectPathPredicate(expr: FieldExpr, column: SqlFragment, path: string[], s: Scope): SqlFragment {
  const slot: JsonSlot = {
    value: () => jsonAt(column, path, s.dialect),
    type: () => jsonTypeAt(column, path, s.dialect),
  };
  // SQLite's json_extract reads JSON null as SQL NULL; jsonb keeps it as the jsonb value 'null'.
  const isNull = () =>
    s.dialect === 'sqlite'
      ? sql`${slot.value()} IS NULL`
      : paren(sql`${slot.value()} IS NULL OR ${slot.value()} = 'null'::jsonb`);
  switch (expr.kind) {
    case 'compare': {
      if (expr.value === null) return expr.op === 'eq' ? isNull() : notTrue(isNull());
      if (expr.op === 'ne') return notTrue(jsonMatch(slot, 'eq', expr.value, s));
      return jsonMatch(slot, expr.op, expr.value, s);
    }
    case 'in': {
      const present = expr.values.filter((v): v is Value => v !== null);
      const parts = present.length ? [jsonIn(slot, present, s)] : [];
      if (present.length < expr.values.length) parts.unshift(isNull());
      const positive = junction(parts, 'OR', FALSE_SQL);
      return expr.negate ? notTrue(positive) : positive;
    }
    case 'exists': {
      // A key holding JSON null exists (Mongo), so SQLite tests the type, not the extracted value.
      const read = s.dialect === 'sqlite' ? slot.type() : slot.value();
      return expr.exists ? sql`${read} IS NOT NULL` : sql`${read} IS NULL`;
    }
    case 'regex':
      return jsonRegex(slot, expr.pattern, expr.flags, s);
    case 'all':
    case 'containedBy':
      throw new Error(`${expr.kind} needs an Array field`);
  }
}

const ELEMENT: JsonSlot & { from: (column: SqlFragment, s: Scope) => SqlFragment } = {
  value: () => qualified('el', 'value'),
  type: () => qualified('el', 'type'),
  from: (column, s) =>
    s.dialect === 'sqlite' ? sql`json_each(${column}) AS "el"` : sql`jsonb_array_elements(${column}) AS "el"("value")`,
};

function elementSlot(s: Scope): JsonSlot {
  return s.dialect === 'sqlite' ? ELEMENT : { value: ELEMENT.value, type: () => sql`jsonb_typeof(${ELEMENT.value()})` };
}

function anyElement(column: SqlFragment, condition: SqlFragment, s: Scope): SqlFragment {
  return sql`EXISTS (SELECT 1 FROM ${ELEMENT.from(column, s)} WHERE ${condition})`;
}

/** Mongo array semantics: a scalar condition on an Array field holds when some element satisfies it. */
function arrayPredicate(expr: FieldExpr, column: SqlFragment, s: Scope): SqlFragment {
  const el = elementSlot(s);
  const pg = s.dialect === 'postgres';
  switch (expr.kind) {
    case 'compare': {
      if (expr.value === null) return nullCheck(column, expr.op);
      const v = expr.value;
      if (expr.op === 'eq')
        return pg ? sql`${column} @> ${JSON.stringify([v])}::jsonb` : anyElement(column, jsonMatch(el, 'eq', v, s), s);
      if (expr.op === 'ne') {
        return pg
          ? sql`(${column} IS NULL OR NOT (${column} @> ${JSON.stringify([v])}::jsonb))`
          : sql`NOT ${anyElement(column, jsonMatch(el, 'eq', v, s), s)}`;
      }
      return anyElement(column, jsonMatch(el, expr.op, v, s), s);
    }
    case 'in': {
      const present = expr.values.filter((v): v is Value => v !== null);
      const withNull = present.length < expr.values.length;
      if (present.length === 0) {
        if (!withNull) return expr.negate ? TRUE_SQL : FALSE_SQL;
        return expr.negate ? sql`${column} IS NOT NULL` : sql`${column} IS NULL`;
      }
      const overlap = anyElement(column, jsonIn(el, present, s), s);
      const positive = withNull ? sql`(${column} IS NULL OR ${overlap})` : overlap;
      return expr.negate ? sql`NOT ${positive}` : positive;
    }
    case 'all': {
      const values = expr.values.filter((v): v is Value => v !== null);
      if (values.length === 0) return FALSE_SQL;
      if (pg) return sql`${column} @> ${JSON.stringify(values)}::jsonb`;
      return junction(
        values.map((v) => anyElement(column, jsonMatch(el, 'eq', v, s), s)),
        'AND',
        TRUE_SQL,
      );
    }
    case 'containedBy': {
      const values = expr.values.filter((v): v is Value => v !== null);
      if (pg) return sql`(${column} IS NULL OR ${column} <@ ${JSON.stringify(values)}::jsonb)`;
      return sql`NOT ${anyElement(column, notTrue(jsonIn(el, values, s)), s)}`;
    }
    case 'exists':
      return expr.exists ? sql`${column} IS NOT NULL` : sql`${column} IS NULL`;
    case 'regex':
      return anyElement(column, jsonRegex(el, expr.pattern, expr.flags, s), s);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Sub-queries, relations, ACL

function subScope(s: Scope, className: string, prefix: 'sq' | 'jn'): Scope {
  s.aliases.next += 1;
  return { ...s, className, alias: `${prefix}$${s.aliases.next}` };
}

function inQuery(ref: FieldRef, query: SubQuery, negate: boolean, s: Scope): SqlFragment {
  const column = qualified(s.alias, ref.field);
  const inner = subScope(s, query.className, 'sq');
  const def = s.schema.get(s.className)?.fields.get(ref.field);
  const id = qualified(inner.alias, 'objectId');
  // Polymorphic pointers store `Class$objectId`.
  const selected = def && isPolymorphicPointer(def) ? sql`CAST(${`${query.className}$`} AS TEXT) || ${id}` : id;
  const rows = sql`SELECT ${selected} FROM ${ident(query.className)} AS ${ident(inner.alias)} WHERE ${compile(query.where, inner)}`;
  return negate ? sql`(${column} IS NULL OR ${column} NOT IN (${rows}))` : sql`${column} IN (${rows})`;
}

function select(ref: FieldRef, query: SubQuery, key: FieldRef, negate: boolean, s: Scope): SqlFragment {
  const column = qualified(s.alias, ref.field);
  const inner = subScope(s, query.className, 'sq');
  const selected = qualified(inner.alias, key.field);
  // NOT IN over a set containing NULL is never true, so rows missing the key are left out of the set.
  const rows = sql`SELECT ${selected} FROM ${ident(query.className)} AS ${ident(inner.alias)} WHERE ${compile(query.where, inner)} AND ${selected} IS NOT NULL`;
  return negate ? sql`(${column} IS NULL OR ${column} NOT IN (${rows}))` : sql`${column} IN (${rows})`;
}

/** `objectId IN (SELECT <pick> FROM <join table> WHERE <match> = id)` for $relatedTo and relation equality. */
function joinMembership(
  s: Scope,
  table: string,
  pick: 'relatedId' | 'owningId',
  match: 'relatedId' | 'owningId',
  id: string,
): SqlFragment {
  const jn = subScope(s, table, 'jn').alias;
  return sql`${qualified(s.alias, 'objectId')} IN (SELECT ${qualified(jn, pick)} FROM ${ident(table)} AS ${ident(jn)} WHERE ${qualified(jn, match)} = ${id})`;
}

function readableBy(principals: readonly string[], s: Scope): SqlFragment {
  if (principals.length === 0) return FALSE_SQL;
  const column = qualified(s.alias, '_rperm');
  if (s.dialect === 'postgres') return sql`${column} && ${[...principals]}::text[]`;
  // See storage/sql/permission-list.ts: membership tests SQLite can run inside a covering index.
  return sql`(${join(
    principals.map((p) => sql`instr(${column}, ${permissionNeedle(p)}) > 0`),
    sql` OR `,
  )})`;
}
