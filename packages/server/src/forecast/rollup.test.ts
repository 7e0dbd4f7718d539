import { describe, expect, it } from 'vitest';
import { contribution, rollupStatement, updateDeltas } from './rollup.js';
import { render } from '../storage/sql/fragment.js';
import type { SchemaLookup } from '../schema/compiled.js';
import type { Expr } from '../query/ast.js';

const CLOSED = new Set(['won', 'lost']);
const deal = (fields: Record<string, unknown>) =>
  contribution(
    {
      _rperm: ['u1', 'role:managers'],
      stage: 'lead',
      expectedCloseDate: '2026-02-01T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      amount: 100,
      probability: null,
      ...fields,
    },
    CLOSED,
  );

describe('rollup update deltas', () => {
  it('appends nothing when the contribution is unchanged', () => {
    expect(updateDeltas(deal({}), deal({}))).toEqual([]);
  });

  it('appends one row of differences when the deal stays in its bucket', () => {
    const deltas = updateDeltas(deal({ amount: 100 }), deal({ amount: 250, probability: 0.5 }));
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toMatchObject({ stage: 'lead', day: '2026-02-01', perm: ['u1', 'role:managers'] });
    expect(deltas[0]!.sums).toEqual({ n: 0, amount: 150, plainAmount: -100, ownWeighted: 125, cycleDays: 0, cycles: 0 });
  });

  it('takes the old contribution out of the old bucket and adds the new one to the new bucket', () => {
    const was = deal({ amount: 100 });
    for (const changed of [{ stage: 'qualified' }, { expectedCloseDate: '2026-03-01T00:00:00.000Z' }, { _rperm: ['u2'] }]) {
      const now = deal({ ...changed, amount: 300 });
      const deltas = updateDeltas(was, now);
      expect(deltas).toHaveLength(2);
      expect(deltas[0]).toEqual({
        ...was,
        sums: { n: -1, amount: -100, plainAmount: -100, ownWeighted: 0, cycleDays: 0, cycles: 0 },
      });
      expect(deltas[1]).toEqual(now);
    }
  });

  it('moves a deal that closes to the day it closed, with its cycle', () => {
    const was = deal({});
    const now = deal({ stage: 'won', stageChangedAt: '2026-01-11T00:00:00.000Z' });
    const [out, into] = updateDeltas(was, now);
    expect(out).toMatchObject({ stage: 'lead', day: '2026-02-01', sums: { n: -1 } });
    expect(into).toMatchObject({ stage: 'won', day: '2026-01-11', sums: { n: 1, cycleDays: 10, cycles: 1 } });
  });
});

describe('rollup read statement', () => {
  const schema = { get: () => undefined } as unknown as SchemaLookup;
  const filter: Expr = { kind: 'readableBy', principals: ['*', 'u1'] };

  it('sums the rollup and the unfolded deltas under one name, which the permission filter uses', () => {
    const period = { from: '2026-01-01T00:00:00.000Z', to: null };
    const pg = render(rollupStatement('postgres', schema, period, filter)!, 'postgres');
    expect(pg.text).toContain(
      'FROM (SELECT "_rperm", "stage", "day", "n", "amount", "plainAmount", "ownWeighted", "cycleDays", "cycles" FROM "_DealRollup" UNION ALL SELECT "_rperm", "stage", "day", "n", "amount", "plainAmount", "ownWeighted", "cycleDays", "cycles" FROM "_DealRollupDelta") AS "_DealRollup" WHERE',
    );
    expect(pg.text).toContain('"_DealRollup"."_rperm" && $');
    const lite = render(rollupStatement('sqlite', schema, period, filter)!, 'sqlite');
    expect(lite.text).toContain('UNION ALL SELECT');
    expect(lite.text).toContain('instr("_DealRollup"."_rperm", ');
  });
});
