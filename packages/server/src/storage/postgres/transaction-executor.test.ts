import { describe, expect, it } from 'vitest';
import { combineWrites } from './transaction-executor.js';
import { ident, render, sql } from '../sql/fragment.js';

describe('combineWrites', () => {
  it('sends one held write as it is', () => {
    const one = sql`INSERT INTO ${ident('Deal')} (${ident('title')}) VALUES (${'a'})`;
    expect(render(combineWrites([one]), 'postgres')).toEqual(render(one, 'postgres'));
  });

  it('chains several as data-modifying CTEs, numbering their parameters in order', () => {
    const statements = [
      sql`INSERT INTO ${ident('Deal')} (${ident('title')}) VALUES (${'a'})`,
      sql`INSERT INTO ${ident('DealStageHistory')} (${ident('to')}) VALUES (${'lead'})`,
      sql`UPDATE ${ident('Deal')} SET ${ident('amount')} = ${2} WHERE ${ident('objectId')} = ${'x'}`,
    ];
    expect(render(combineWrites(statements), 'postgres')).toEqual({
      text:
        'WITH "w0" AS (INSERT INTO "Deal" ("title") VALUES ($1)), "w1" AS (INSERT INTO "DealStageHistory" ("to") VALUES ($2)) ' +
        'UPDATE "Deal" SET "amount" = $3 WHERE "objectId" = $4',
      params: ['a', 'lead', 2, 'x'],
    });
  });
});
