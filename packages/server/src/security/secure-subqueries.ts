/**
 * Makes a parsed where clause safe for this caller before it reaches storage:
 * - sub-queries ($inQuery, $notInQuery, $select, $dontSelect) see only what the caller may read in the class
 *   they reach, or a query could test private rows' existence;
 * - no condition may touch a protected field (directly, through a dot path, or bit by bit with $regex),
 *   in the main class or any sub-query's class, or it would leak the field's value.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { and, FALSE, type Expr, type FieldRef, type OrderKey, type SubQuery } from '../query/ast.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { ReadContext } from '../service/read-context.js';

function assertVisible(ctx: ReadContext, cls: CompiledClass, ref: FieldRef): void {
  if (ctx.hiddenFields(cls).includes(ref.field)) {
    throw new ParseError(
      ErrorCode.OPERATION_FORBIDDEN,
      `This user is not allowed to query ${ref.field} on class ${cls.className}`,
    );
  }
}

function secureSubQuery(ctx: ReadContext, query: SubQuery, key?: FieldRef): SubQuery {
  const cls = ctx.schema.get(query.className);
  if (!cls || !ctx.canReadClass(cls)) return { className: query.className, where: FALSE };
  if (key) assertVisible(ctx, cls, key);
  return { className: query.className, where: and(secureWhere(ctx, cls, query.where), ctx.readFilter(cls)) };
}

export function secureWhere(ctx: ReadContext, cls: CompiledClass, expr: Expr): Expr {
  switch (expr.kind) {
    case 'and':
    case 'or':
    case 'nor':
      return { kind: expr.kind, items: expr.items.map((item) => secureWhere(ctx, cls, item)) };
    case 'inQuery':
      assertVisible(ctx, cls, expr.ref);
      return { ...expr, query: secureSubQuery(ctx, expr.query) };
    case 'select':
      assertVisible(ctx, cls, expr.ref);
      return { ...expr, query: secureSubQuery(ctx, expr.query, expr.key) };
    case 'compare':
    case 'in':
    case 'all':
    case 'containedBy':
    case 'exists':
    case 'regex':
      assertVisible(ctx, cls, expr.ref);
      return expr;
    default:
      return expr;
  }
}

export function assertSortable(ctx: ReadContext, cls: CompiledClass, order: OrderKey[]): void {
  for (const key of order) assertVisible(ctx, cls, key.ref);
}

/**
 * Refuses a where clause naming a hidden field before it is parsed, so `email.length` gets the same 119 as
 * `email` rather than a type error that would tell the field apart from a missing one.
 */
export function assertNoHiddenKeys(where: unknown, hidden: readonly string[], className: string): void {
  if (hidden.length === 0 || typeof where !== 'object' || where === null) return;
  for (const [key, value] of Object.entries(where)) {
    if (key === '$or' || key === '$and' || key === '$nor') {
      if (Array.isArray(value)) for (const item of value) assertNoHiddenKeys(item, hidden, className);
      continue;
    }
    const root = key.split('.')[0];
    if (hidden.includes(root)) {
      throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, `This user is not allowed to query ${root} on class ${className}`);
    }
  }
}
