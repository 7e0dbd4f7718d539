/**
 * Sub-queries ($inQuery, $notInQuery, $select, $dontSelect) read other classes; they must see only what the
 * caller may read there, or a query could test private rows' existence. This pass adds the caller's read
 * filter to every sub-query, recursively, before the where clause reaches storage.
 */
import { and, FALSE, type Expr, type SubQuery } from '../query/ast.js';
import type { ReadContext } from '../service/read-context.js';

function secureSubQuery(ctx: ReadContext, query: SubQuery): SubQuery {
  const cls = ctx.schema.get(query.className);
  if (!cls || !ctx.canReadClass(cls)) return { className: query.className, where: FALSE };
  return { className: query.className, where: and(secureWhere(ctx, query.where), ctx.readFilter(cls)) };
}

export function secureWhere(ctx: ReadContext, expr: Expr): Expr {
  switch (expr.kind) {
    case 'and':
    case 'or':
    case 'nor':
      return { kind: expr.kind, items: expr.items.map((item) => secureWhere(ctx, item)) };
    case 'inQuery':
      return { ...expr, query: secureSubQuery(ctx, expr.query) };
    case 'select':
      return { ...expr, query: secureSubQuery(ctx, expr.query) };
    default:
      return expr;
  }
}
