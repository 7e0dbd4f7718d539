/**
 * Row statements shared by the SQL adapters, built from the AST compilers. Adapters render and run them.
 * Read permissions arrive as part of `where` (the security layer adds a readableBy node), so ACL filtering,
 * ordering, paging and counting all happen inside one SQL statement.
 */
import type { FindSpec, Row } from '../adapter.js';
import type { Expr } from '../../query/ast.js';
import type { CompiledClass, SchemaLookup } from '../../schema/compiled.js';
import { compileWhere } from './compile-where.js';
import { compileOrder } from './compile-order.js';
import { ident, join, limitCount, qualified, sql, type DialectName, type SqlFragment } from './fragment.js';

export interface DmlContext {
  dialect: DialectName;
  schema: SchemaLookup;
}

const whereOf = (cls: CompiledClass, where: Expr, ctx: DmlContext): SqlFragment =>
  compileWhere(where, { dialect: ctx.dialect, table: cls.className, schema: ctx.schema });

export function selectRows(spec: FindSpec, ctx: DmlContext): SqlFragment {
  const table = spec.cls.className;
  const columns = new Set(['objectId', ...spec.columns]);
  const select = join([...columns].map((c) => qualified(table, c)));
  const orderKeys = compileOrder(spec.order, { dialect: ctx.dialect, table, schema: ctx.schema });
  const tiebreak = qualified(table, 'objectId');
  const order = orderKeys.isEmpty ? tiebreak : sql`${orderKeys}, ${tiebreak}`;
  return sql`SELECT ${select} FROM ${ident(table)} WHERE ${whereOf(spec.cls, spec.where, ctx)} ORDER BY ${order} LIMIT ${limitCount(spec.limit)} OFFSET ${spec.skip}`;
}

export function countRows(cls: CompiledClass, where: Expr, ctx: DmlContext): SqlFragment {
  return sql`SELECT COUNT(*) AS ${ident('count')} FROM ${ident(cls.className)} WHERE ${whereOf(cls, where, ctx)}`;
}

export function insertRow(table: string, row: Row): SqlFragment {
  const names = Object.keys(row);
  const columns = join(names.map((n) => sql`${ident(n)}`));
  const values = join(names.map((n) => sql`${row[n]}`));
  return sql`INSERT INTO ${ident(table)} (${columns}) VALUES (${values})`;
}

export function updateRow(cls: CompiledClass, objectId: string, where: Expr, values: Row, ctx: DmlContext): SqlFragment {
  const sets = join(Object.keys(values).map((n) => sql`${ident(n)} = ${values[n]}`));
  const table = cls.className;
  return sql`UPDATE ${ident(table)} SET ${sets} WHERE ${qualified(table, 'objectId')} = ${objectId} AND ${whereOf(cls, where, ctx)}`;
}

export function deleteRow(cls: CompiledClass, objectId: string, where: Expr, ctx: DmlContext): SqlFragment {
  const table = cls.className;
  return sql`DELETE FROM ${ident(table)} WHERE ${qualified(table, 'objectId')} = ${objectId} AND ${whereOf(cls, where, ctx)}`;
}

export function addRelation(joinTable: string, owningId: string, relatedId: string): SqlFragment {
  return sql`INSERT INTO ${ident(joinTable)} (${ident('owningId')}, ${ident('relatedId')}) VALUES (${owningId}, ${relatedId}) ON CONFLICT DO NOTHING`;
}

export function removeRelation(joinTable: string, owningId: string, relatedId: string): SqlFragment {
  return sql`DELETE FROM ${ident(joinTable)} WHERE ${ident('owningId')} = ${owningId} AND ${ident('relatedId')} = ${relatedId}`;
}

export function deleteRelationsOf(joinTable: string, owningId: string): SqlFragment {
  return sql`DELETE FROM ${ident(joinTable)} WHERE ${ident('owningId')} = ${owningId}`;
}
