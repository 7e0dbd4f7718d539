/**
 * OrderKey[] → the terms of an ORDER BY (without the keywords; the caller appends its "objectId" tiebreak).
 * Missing values sort as the smallest value on both dialects, as Parse on MongoDB does: SQLite already
 * orders NULL first ascending / last descending, PostgreSQL orders it as the largest unless told.
 */
import type { FieldRef, OrderKey } from '../../query/ast.js';
import { join, qualified, sql, type DialectName, type SqlFragment } from './fragment.js';
import { jsonAt } from './json-sql.js';
import { NEVER_NULL } from './ddl.js';
import type { WhereContext } from './compile-where.js';

/** Same context as compileWhere; the schema is not needed to order. */
export type OrderContext = Omit<WhereContext, 'schema'> & Partial<Pick<WhereContext, 'schema'>>;

export function compileOrder(keys: readonly OrderKey[], ctx: OrderContext): SqlFragment {
  const alias = ctx.alias ?? ctx.table;
  return join(
    keys.map((key) => {
      const neverNull = key.ref.path.length === 0 && NEVER_NULL.has(key.ref.field);
      return orderTerm(orderValue(key.ref, alias, ctx.dialect), key.descending, ctx.dialect, !neverNull);
    }),
  );
}

function orderValue(ref: FieldRef, alias: string, dialect: DialectName): SqlFragment {
  const column = qualified(alias, ref.field);
  if (ref.path.length === 0) return column;
  const value = jsonAt(column, ref.path, dialect);
  // jsonb keeps JSON null as a value; folding it into SQL NULL sorts it with missing keys, as SQLite does.
  return dialect === 'postgres' ? sql`NULLIF(${value}, 'null'::jsonb)` : value;
}

/** `nullable` false: the column is NOT NULL, so its terms match an index written without NULL placement (ddl.ts). */
export function orderTerm(value: SqlFragment, descending: boolean, dialect: DialectName, nullable = true): SqlFragment {
  if (dialect === 'sqlite' || !nullable) return descending ? sql`${value} DESC` : sql`${value} ASC`;
  return descending ? sql`${value} DESC NULLS LAST` : sql`${value} ASC NULLS FIRST`;
}
