/**
 * Behaviour: compiled where/order SQL executed on an in-memory SQLite database laid out as the adapters
 * store classes. Expected answers are shared with the PostgreSQL suite (where-cases.ts, order-cases.ts).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { and, type Expr } from '../../query/ast.js';
import { parseOrder } from '../../query/parse-order.js';
import { parseWhere } from '../../query/parse-where.js';
import { crmSchema, dealClass } from '../../query/test-fixtures.js';
import { registerRegexp } from '../sqlite/regexp.js';
import { compileOrder } from './compile-order.js';
import { compileWhere } from './compile-where.js';
import { ident, qualified, render, sql, type SqlFragment } from './fragment.js';
import { ORDER_CASES } from './order-cases.js';
import { createStatements, seedStatements } from './test-db.js';
import { WHERE_CASES } from './where-cases.js';

const db = new Database(':memory:');
registerRegexp(db);
for (const statement of [...createStatements('sqlite'), ...seedStatements('sqlite')]) {
  const { text, params } = render(statement, 'sqlite');
  db.prepare(text).run(...params);
}

function all(fragment: SqlFragment): Record<string, unknown>[] {
  const { text, params } = render(fragment, 'sqlite');
  return db.prepare(text).all(...params) as Record<string, unknown>[];
}

function ids(className: string, expr: Expr, order?: SqlFragment): string[] {
  const where = compileWhere(expr, { dialect: 'sqlite', table: className, schema: crmSchema });
  const tiebreak = qualified(className, 'objectId');
  const orderBy = order && !order.isEmpty ? sql`${order}, ${tiebreak}` : tiebreak;
  return all(sql`SELECT ${tiebreak} AS "id" FROM ${ident(className)} WHERE ${where} ORDER BY ${orderBy}`).map((r) =>
    String(r.id),
  );
}

describe('compiled where on SQLite', () => {
  it.each(WHERE_CASES)('$name', (c) => {
    const className = c.className ?? 'Deal';
    let expr = parseWhere(c.where, crmSchema.get(className)!, crmSchema);
    if (c.readableBy) expr = and(expr, { kind: 'readableBy', principals: c.readableBy });
    const started = performance.now();
    expect(ids(className, expr)).toEqual([...c.expect].sort());
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('runs a catastrophic-backtracking regex over a long value in linear time', () => {
    db.prepare(
      'INSERT INTO "Deal" ("objectId", "_rperm", "_wperm", "createdAt", "updatedAt", "title") VALUES (?, ?, ?, ?, ?, ?)',
    ).run('long', '["*"]', '[]', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', `${'a'.repeat(100_000)}!`);
    try {
      const started = performance.now();
      const expr = parseWhere({ title: { $regex: '^(a+)+$' } }, dealClass, crmSchema);
      expect(ids('Deal', expr)).toEqual([]);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      db.prepare('DELETE FROM "Deal" WHERE "objectId" = ?').run('long');
    }
  });
});

describe('compiled order on SQLite', () => {
  it.each(ORDER_CASES)('$order', (c) => {
    const order = compileOrder(parseOrder(c.order, dealClass), { dialect: 'sqlite', table: 'Deal' });
    expect(ids('Deal', { kind: 'const', value: true }, order)).toEqual(c.expect);
  });
});
