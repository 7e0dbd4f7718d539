/**
 * Behaviour: compiled where/order SQL executed on PostgreSQL in a throw-away schema, held to the same
 * answers as the SQLite suite. Skipped (with one printed line) when no server is reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, type Expr } from '../../query/ast.js';
import { parseOrder } from '../../query/parse-order.js';
import { parseWhere } from '../../query/parse-where.js';
import { crmSchema, dealClass } from '../../query/test-fixtures.js';
import { compileOrder } from './compile-order.js';
import { compileWhere } from './compile-where.js';
import { ident, qualified, sql, type SqlFragment } from './fragment.js';
import { ORDER_CASES } from './order-cases.js';
import { openPgTestDb } from './pg-test-client.js';
import { createStatements, seedStatements } from './test-db.js';
import { WHERE_CASES } from './where-cases.js';

const db = await openPgTestDb();

async function ids(className: string, expr: Expr, order?: SqlFragment): Promise<string[]> {
  const where = compileWhere(expr, { dialect: 'postgres', table: className, schema: crmSchema });
  const tiebreak = qualified(className, 'objectId');
  const orderBy = order && !order.isEmpty ? sql`${order}, ${tiebreak}` : tiebreak;
  const rows = await db!.all(sql`SELECT ${tiebreak} AS "id" FROM ${ident(className)} WHERE ${where} ORDER BY ${orderBy}`);
  return rows.map((r) => String(r.id));
}

describe.skipIf(!db)('compiled where and order on PostgreSQL', () => {
  beforeAll(async () => {
    for (const statement of [...createStatements('postgres'), ...seedStatements('postgres')]) await db!.all(statement);
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each(WHERE_CASES)('$name', async (c) => {
    const className = c.className ?? 'Deal';
    let expr = parseWhere(c.where, crmSchema.get(className)!, crmSchema);
    if (c.readableBy) expr = and(expr, { kind: 'readableBy', principals: c.readableBy });
    expect(await ids(className, expr)).toEqual([...c.expect].sort());
  });

  it('runs a catastrophic-backtracking regex over a long value quickly', async () => {
    await db!.all(
      sql`INSERT INTO "Deal" ("objectId", "_rperm", "_wperm", "createdAt", "updatedAt", "title") VALUES ('long', '{*}', '{}', '', '', ${`${'a'.repeat(100_000)}!`})`,
    );
    try {
      const started = performance.now();
      expect(await ids('Deal', parseWhere({ title: { $regex: '^(a+)+$' } }, dealClass, crmSchema))).toEqual([]);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await db!.all(sql`DELETE FROM "Deal" WHERE "objectId" = 'long'`);
    }
  });

  it.each(ORDER_CASES)('order $order', async (c) => {
    const order = compileOrder(parseOrder(c.order, dealClass), { dialect: 'postgres', table: 'Deal' });
    expect(await ids('Deal', { kind: 'const', value: true }, order)).toEqual(c.expect);
  });
});
