import { Deal } from '../../core/models';
import { buildColumns, matchesFilter } from './board-view';

function deal(id: string, patch: Partial<Deal> = {}): Deal {
  return {
    id,
    title: id,
    amount: 100,
    stage: 'lead',
    company: null,
    contact: null,
    owner: { id: 'me', name: 'me' },
    expectedCloseDate: null,
    notes: '',
    probability: null,
    position: null,
    stageChangedAt: null,
    lostReason: '',
    createdAt: null,
    updatedAt: null,
    pending: false,
    ...patch,
  };
}

const all = { owner: 'all', companyId: null, text: '' };

describe('buildColumns', () => {
  it('makes one column per stage in pipeline order with counts and sums', () => {
    const columns = buildColumns(
      [deal('a', { amount: 250 }), deal('b', { stage: 'won', amount: 1000 }), deal('c', { amount: null })],
      all,
      'close',
      'me',
    );
    expect(columns.map((c) => c.stage)).toEqual(['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']);
    expect(columns[0].deals.map((d) => d.id)).toEqual(['a', 'c']);
    expect(columns[0].total).toBe(250);
    expect(columns[4].total).toBe(1000);
  });

  it('sorts by close date with undated deals last, or by last update', () => {
    const deals = [
      deal('undated', { updatedAt: new Date(2026, 0, 5) }),
      deal('late', { expectedCloseDate: new Date(2026, 5, 1), updatedAt: new Date(2026, 0, 1) }),
      deal('early', { expectedCloseDate: new Date(2026, 2, 1), updatedAt: new Date(2026, 0, 3) }),
    ];
    expect(buildColumns(deals, all, 'close', 'me')[0].deals.map((d) => d.id)).toEqual(['early', 'late', 'undated']);
    expect(buildColumns(deals, all, 'updated', 'me')[0].deals.map((d) => d.id)).toEqual(['undated', 'early', 'late']);
  });

  it('in manual order sorts by position, unplaced deals last by close date', () => {
    const deals = [
      deal('unplaced-late', { expectedCloseDate: new Date(2026, 5, 1) }),
      deal('second', { position: 2048 }),
      deal('unplaced-early', { expectedCloseDate: new Date(2026, 1, 1) }),
      deal('first', { position: -10 }),
    ];
    expect(buildColumns(deals, all, 'manual', 'me')[0].deals.map((d) => d.id)).toEqual([
      'first',
      'second',
      'unplaced-early',
      'unplaced-late',
    ]);
  });

  it('weights each column by probability and marks stale deals', () => {
    const now = new Date(2026, 4, 31);
    const columns = buildColumns(
      [
        deal('a', { stage: 'proposal', amount: 1000 }),
        deal('b', { stage: 'proposal', amount: 1000, probability: 0.9, stageChangedAt: new Date(2026, 0, 1) }),
        deal('c', { stage: 'proposal', amount: 1000, stageChangedAt: new Date(2026, 4, 30) }),
      ],
      all,
      'manual',
      'me',
      undefined,
      now,
    );
    expect(columns[2].weighted).toBe(500 + 900 + 500);
    expect([...columns[2].stale]).toEqual(['b']);
  });
});

describe('matchesFilter', () => {
  const other = deal('x', {
    owner: { id: 'u2', name: 'sam' },
    company: { id: 'c1', name: 'Acme' },
    contact: { id: 'p', name: 'Pat Lee' },
  });

  it('filters by owner', () => {
    expect(matchesFilter(other, { ...all, owner: 'mine' }, 'me')).toBe(false);
    expect(matchesFilter(other, { ...all, owner: 'u2' }, 'me')).toBe(true);
    expect(matchesFilter(other, { ...all, owner: 'u3' }, 'me')).toBe(false);
  });

  it('filters by company and by text over title, company and contact', () => {
    expect(matchesFilter(other, { ...all, companyId: 'c2' }, 'me')).toBe(false);
    expect(matchesFilter(other, { ...all, companyId: 'c1', text: 'acme' }, 'me')).toBe(true);
    expect(matchesFilter(other, { ...all, text: 'pat' }, 'me')).toBe(true);
    expect(matchesFilter(other, { ...all, text: 'zzz' }, 'me')).toBe(false);
  });
});
