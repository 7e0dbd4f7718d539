import { describe, expect, it } from 'vitest';
import { planIndexRepair } from './index-repair.js';
import { render } from '../sql/fragment.js';
import type { ClassSchema } from '../../schema/types.js';

const deal: ClassSchema = {
  className: 'Deal',
  fields: { stage: { type: 'String' }, due: { type: 'Date' } },
  classLevelPermissions: {},
  indexes: { stage_due: { stage: 1, due: 1 }, due: { due: -1 } },
};

const text = (steps: ReturnType<typeof planIndexRepair>) => steps.map((s) => render(s, 'postgres').text);

describe('planIndexRepair', () => {
  it('creates missing declared indexes with Parse NULL placement', () => {
    expect(text(planIndexRepair([deal], new Map()))).toEqual([
      'CREATE INDEX IF NOT EXISTS "Deal:stage_due" ON "Deal" ("stage" NULLS FIRST, "due" NULLS FIRST)',
      'CREATE INDEX IF NOT EXISTS "Deal:due" ON "Deal" ("due" DESC NULLS LAST)',
    ]);
  });

  it('rebuilds indexes written without NULL placement and leaves current ones alone', () => {
    const existing = new Map([
      ['Deal:stage_due', 'CREATE INDEX "Deal:stage_due" ON s."Deal" USING btree (stage, due)'],
      ['Deal:due', 'CREATE INDEX "Deal:due" ON s."Deal" USING btree (due DESC NULLS LAST)'],
    ]);
    expect(text(planIndexRepair([deal], existing))).toEqual([
      'DROP INDEX IF EXISTS "Deal:stage_due"',
      'CREATE INDEX IF NOT EXISTS "Deal:stage_due" ON "Deal" ("stage" NULLS FIRST, "due" NULLS FIRST)',
    ]);
  });
});
