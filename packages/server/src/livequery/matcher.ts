/**
 * The query AST evaluated against one stored row, for LiveQuery: every change event is matched against
 * every subscription of its class, so a subscription's `where` is compiled once into a tree of closures and
 * nothing is parsed or looked up per event. The semantics are those of storage/sql/compile-where.ts, node for
 * node (differential.test.ts holds the two to the same answers on SQLite and PostgreSQL): `ne`/`nin` match
 * missing values, a scalar against an Array field means "some element", JSON values compare only within one
 * JSON type, strings order by code point, and a `nor` holds whenever its condition is not true.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { ComparisonOp, Expr, StoredScalar } from '../query/ast.js';
import { compileRe2, literalPrefix } from '../query/regex.js';
import type { SchemaLookup } from '../schema/compiled.js';
import type { Row } from '../storage/adapter.js';
import { decodePermissionList } from '../storage/sql/permission-list.js';
import { arrayReader, columnReader, compareScalars, pathReader, type Reader } from './stored-values.js';

export type RowMatcher = (row: Row) => boolean;

export interface MatcherContext {
  /** The SQL compiler needs it for sub-queries; kept here so both compilers take the same context. */
  schema: SchemaLookup;
}

/** Conditions whose answer depends on other rows (sub-queries, relation join tables). */
export type DatabaseOnlyKind = 'inQuery' | 'select' | 'relatedTo' | 'relationContains';

const OPERATOR_NAMES: Record<DatabaseOnlyKind, string> = {
  inQuery: '$inQuery/$notInQuery',
  select: '$select/$dontSelect',
  relatedTo: '$relatedTo',
  relationContains: 'conditions on Relation fields',
};

export class NeedsDatabaseError extends Error {
  constructor(readonly kind: DatabaseOnlyKind) {
    super(`${OPERATOR_NAMES[kind]} cannot be evaluated against a single object`);
    this.name = 'NeedsDatabaseError';
  }
}

/** What a LiveQuery client is told when its subscription uses a condition the matcher cannot answer. */
export function unsupportedInLiveQuery(kind: DatabaseOnlyKind): ParseError {
  return new ParseError(ErrorCode.INVALID_QUERY, `LiveQuery does not support ${OPERATOR_NAMES[kind]} in subscriptions`);
}

/** The first condition in `expr` that needs other rows, if any. */
export function databaseOnlyKind(expr: Expr): DatabaseOnlyKind | undefined {
  switch (expr.kind) {
    case 'and':
    case 'or':
    case 'nor':
      for (const item of expr.items) {
        const kind = databaseOnlyKind(item);
        if (kind) return kind;
      }
      return undefined;
    case 'inQuery':
    case 'select':
    case 'relatedTo':
    case 'relationContains':
      return expr.kind;
    default:
      return undefined;
  }
}

export const needsDatabase = (expr: Expr): boolean => databaseOnlyKind(expr) !== undefined;

/** Throws NeedsDatabaseError when `needsDatabase(expr)`. */
export function compileMatcher(expr: Expr, _ctx: MatcherContext): RowMatcher {
  return compile(expr);
}

const ALWAYS: RowMatcher = () => true;
const NEVER: RowMatcher = () => false;

function compile(expr: Expr): RowMatcher {
  switch (expr.kind) {
    case 'const':
      return expr.value ? ALWAYS : NEVER;
    case 'and': {
      const items = expr.items.map(compile);
      return (row) => {
        for (const item of items) if (!item(row)) return false;
        return true;
      };
    }
    case 'or':
      return any(expr.items.map(compile));
    case 'nor': {
      const either = any(expr.items.map(compile));
      return (row) => !either(row);
    }
    case 'compare':
    case 'in':
    case 'all':
    case 'containedBy':
    case 'exists':
    case 'regex':
      return fieldMatcher(expr);
    case 'readableBy':
      return readableBy(expr.principals);
    case 'inQuery':
    case 'select':
    case 'relatedTo':
    case 'relationContains':
      throw new NeedsDatabaseError(expr.kind);
  }
}

function any(items: RowMatcher[]): RowMatcher {
  return (row) => {
    for (const item of items) if (item(row)) return true;
    return false;
  };
}

type FieldExpr = Extract<Expr, { kind: 'compare' | 'in' | 'all' | 'containedBy' | 'exists' | 'regex' }>;

function fieldMatcher(expr: FieldExpr): RowMatcher {
  if (expr.ref.path.length > 0) return jsonValueMatcher(expr, pathReader(expr.ref.field, expr.ref.path));
  if (expr.ref.type === 'Array') return arrayMatcher(expr, arrayReader(expr.ref.field));
  return columnMatcher(expr, columnReader(expr.ref.field, expr.ref.type === 'Boolean'));
}

/** Membership in a value list: Set equality keeps 1, "1" and true apart, as the SQL type guards do. */
const present = (values: readonly StoredScalar[]): Set<unknown> => new Set(values.filter((v) => v !== null));

function nullCompare(op: ComparisonOp, isNull: (row: Row) => boolean): RowMatcher {
  if (op === 'eq') return isNull;
  if (op === 'ne') return (row) => !isNull(row);
  throw new Error(`${op} with null`);
}

function regexTest(pattern: string, flags: string): (value: unknown) => boolean {
  const re = compileRe2(pattern, flags);
  return (value) => typeof value === 'string' && re.test(value);
}

// ---------------------------------------------------------------------------------------------------------
// Typed columns (String, Number, Boolean, Date, Pointer, and null checks on Object)

function columnMatcher(expr: FieldExpr, read: Reader): RowMatcher {
  const isNull = (row: Row) => read(row) === undefined;
  if (expr.ref.type === 'Object' && !isNullTest(expr)) {
    throw new Error(`Object field ${expr.ref.field} can only be compared with null`);
  }
  switch (expr.kind) {
    case 'compare':
      return expr.value === null ? nullCompare(expr.op, isNull) : columnCompare(read, expr.op, expr.value);
    case 'in':
      return columnIn(read, expr.values, expr.negate);
    case 'exists':
      return expr.exists ? (row) => !isNull(row) : isNull;
    case 'regex':
      return columnRegex(read, expr.pattern, expr.flags);
    case 'all':
    case 'containedBy':
      throw new Error(`${expr.kind} needs an Array field`);
  }
}

function isNullTest(expr: FieldExpr): boolean {
  if (expr.kind === 'exists') return true;
  if (expr.kind === 'compare') return expr.value === null;
  return expr.kind === 'in' && expr.values.every((v) => v === null);
}

function columnCompare(read: Reader, op: ComparisonOp, value: string | number | boolean): RowMatcher {
  if (op === 'ne') {
    return (row) => {
      const v = read(row);
      return v === undefined || compareScalars(v, value) !== 0;
    };
  }
  const holds = orderTest(op);
  return (row) => {
    const order = compareScalars(read(row), value);
    return order !== undefined && holds(order);
  };
}

function orderTest(op: Exclude<ComparisonOp, 'ne'>): (order: number) => boolean {
  switch (op) {
    case 'eq':
      return (o) => o === 0;
    case 'lt':
      return (o) => o < 0;
    case 'lte':
      return (o) => o <= 0;
    case 'gt':
      return (o) => o > 0;
    case 'gte':
      return (o) => o >= 0;
  }
}

function columnIn(read: Reader, values: readonly StoredScalar[], negate: boolean): RowMatcher {
  const set = present(values);
  const withNull = values.includes(null);
  const positive = (row: Row) => {
    const v = read(row);
    return v === undefined ? withNull : set.has(v);
  };
  return negate ? (row) => !positive(row) : positive;
}

function columnRegex(read: Reader, pattern: string, flags: string): RowMatcher {
  // The SQL compiler answers `^literal` with an index range (SQLite) or LIKE (PostgreSQL): both are startsWith.
  const prefix = literalPrefix(pattern, flags);
  if (prefix !== null) {
    return (row) => {
      const v = read(row);
      return typeof v === 'string' && v.startsWith(prefix);
    };
  }
  const test = regexTest(pattern, flags);
  return (row) => test(read(row));
}

// ---------------------------------------------------------------------------------------------------------
// JSON values: Object sub-keys and Array elements

/** One JSON value against a non-null scalar, never across JSON types (Mongo's type bracketing). */
function jsonTest(op: Exclude<ComparisonOp, 'ne'>, value: string | number | boolean): (v: unknown) => boolean {
  if (typeof value === 'boolean' && op !== 'eq') throw new Error('range comparison with a boolean');
  if (op === 'eq') return (v) => v === value;
  const holds = orderTest(op);
  return (v) => {
    if (typeof v !== typeof value) return false;
    const order = compareScalars(v, value);
    return order !== undefined && holds(order);
  };
}

function jsonValueMatcher(expr: FieldExpr, read: Reader): RowMatcher {
  // Missing keys and JSON null both read as null for equality, as in Mongo.
  const isNull = (row: Row) => read(row) == null;
  switch (expr.kind) {
    case 'compare': {
      if (expr.value === null) return nullCompare(expr.op, isNull);
      const test = jsonTest(expr.op === 'ne' ? 'eq' : expr.op, expr.value);
      return expr.op === 'ne' ? (row) => !test(read(row)) : (row) => test(read(row));
    }
    case 'in': {
      const set = present(expr.values);
      const withNull = expr.values.includes(null);
      const positive = (row: Row) => {
        const v = read(row);
        return v == null ? withNull : set.has(v);
      };
      return expr.negate ? (row) => !positive(row) : positive;
    }
    case 'exists':
      // A key holding JSON null exists.
      return expr.exists ? (row) => read(row) !== undefined : (row) => read(row) === undefined;
    case 'regex': {
      const test = regexTest(expr.pattern, expr.flags);
      return (row) => test(read(row));
    }
    case 'all':
    case 'containedBy':
      throw new Error(`${expr.kind} needs an Array field`);
  }
}

const some = (elements: readonly unknown[] | undefined, test: (v: unknown) => boolean): boolean =>
  elements !== undefined && elements.some(test);

/** Mongo array semantics: a scalar condition on an Array field holds when some element satisfies it. */
function arrayMatcher(expr: FieldExpr, read: (row: Row) => readonly unknown[] | undefined): RowMatcher {
  const isNull = (row: Row) => read(row) === undefined;
  switch (expr.kind) {
    case 'compare': {
      if (expr.value === null) return nullCompare(expr.op, isNull);
      const test = jsonTest(expr.op === 'ne' ? 'eq' : expr.op, expr.value);
      return expr.op === 'ne' ? (row) => !some(read(row), test) : (row) => some(read(row), test);
    }
    case 'in': {
      const set = present(expr.values);
      const withNull = expr.values.includes(null);
      const positive = (row: Row) => {
        const elements = read(row);
        return elements === undefined ? withNull : elements.some((v) => set.has(v));
      };
      return expr.negate ? (row) => !positive(row) : positive;
    }
    case 'all': {
      const values = [...present(expr.values)];
      if (values.length === 0) return NEVER;
      return (row) => {
        const elements = read(row);
        return elements !== undefined && values.every((value) => elements.includes(value));
      };
    }
    case 'containedBy': {
      const set = present(expr.values);
      return (row) => {
        const elements = read(row);
        return elements === undefined || elements.every((v) => set.has(v));
      };
    }
    case 'exists':
      return expr.exists ? (row) => !isNull(row) : isNull;
    case 'regex': {
      const test = regexTest(expr.pattern, expr.flags);
      return (row) => some(read(row), test);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// ACL

/** One change is matched against every subscription: decode its permission list once, not per subscriber. */
const decodedPermissions = new WeakMap<Row, { stored: unknown; list: string[] }>();

function permissionsOf(row: Row): string[] {
  const cached = decodedPermissions.get(row);
  if (cached && cached.stored === row._rperm) return cached.list;
  const list = decodePermissionList(row._rperm);
  decodedPermissions.set(row, { stored: row._rperm, list });
  return list;
}

function readableBy(principals: readonly string[]): RowMatcher {
  if (principals.length === 0) return NEVER;
  const set = new Set(principals);
  return (row) => permissionsOf(row).some((p) => set.has(p));
}
