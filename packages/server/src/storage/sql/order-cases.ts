/**
 * Test-only: orders with the id sequence they must produce over the SEED data (test-db.ts), with the
 * caller's "objectId" tiebreak appended, shared by the SQLite and PostgreSQL behaviour tests.
 */
export interface OrderCase {
  order: string;
  expect: string[];
}

export const ORDER_CASES: OrderCase[] = [
  { order: 'amount', expect: ['d4', 'd5', 'd3', 'd7', 'd8', 'd2', 'd1', 'd6'] },
  { order: '-amount', expect: ['d6', 'd1', 'd2', 'd8', 'd7', 'd3', 'd5', 'd4'] },
  { order: 'stage,-amount', expect: ['d4', 'd2', 'd3', 'd7', 'd6', 'd1', 'd8', 'd5'] },
  { order: '-won,title', expect: ['d1', 'd6', 'd2', 'd4', 'd5', 'd8', 'd3', 'd7'] },
  { order: 'expectedCloseDate', expect: ['d3', 'd4', 'd5', 'd7', 'd8', 'd1', 'd2', 'd6'] },
  { order: 'meta.region', expect: ['d4', 'd5', 'd6', 'd7', 'd8', 'd2', 'd1', 'd3'] },
  { order: '-meta.region', expect: ['d1', 'd3', 'd2', 'd4', 'd5', 'd6', 'd7', 'd8'] },
];
