import { describe, expect, it } from 'vitest';
import { parseOrder } from '../../query/parse-order.js';
import { dealClass } from '../../query/test-fixtures.js';
import { compileOrder } from './compile-order.js';
import { render } from './fragment.js';

const golden = (order: string) => {
  const keys = parseOrder(order, dealClass);
  return {
    sqlite: render(compileOrder(keys, { dialect: 'sqlite', table: 'Deal' }), 'sqlite'),
    postgres: render(compileOrder(keys, { dialect: 'postgres', table: 'Deal' }), 'postgres'),
  };
};

describe('compileOrder', () => {
  it('NULLs sort as the smallest value on both dialects', () => {
    expect(golden('stage,-amount')).toEqual({
      sqlite: { text: '"Deal"."stage" ASC, "Deal"."amount" DESC', params: [] },
      postgres: { text: '"Deal"."stage" ASC NULLS FIRST, "Deal"."amount" DESC NULLS LAST', params: [] },
    });
  });

  it('columns every row has keep the default NULL placement, so their plain indexes serve both directions', () => {
    expect(golden('-createdAt,updatedAt').postgres).toEqual({
      text: '"Deal"."createdAt" DESC, "Deal"."updatedAt" ASC',
      params: [],
    });
  });

  it('Object sub-keys read the JSON value; JSON null sorts with missing', () => {
    expect(golden('-meta.score')).toEqual({
      sqlite: { text: 'json_extract("Deal"."meta", ?) DESC', params: ['$.score'] },
      postgres: { text: `NULLIF("Deal"."meta" #> $1::text[], 'null'::jsonb) DESC NULLS LAST`, params: [['score']] },
    });
  });

  it('no keys, no terms (the caller adds its objectId tiebreak)', () => {
    expect(compileOrder([], { dialect: 'sqlite', table: 'Deal' }).isEmpty).toBe(true);
  });

  it('uses the caller alias', () => {
    expect(
      render(compileOrder(parseOrder('title', dealClass), { dialect: 'sqlite', table: 'Deal', alias: 't' }), 'sqlite').text,
    ).toBe('"t"."title" ASC');
  });
});
