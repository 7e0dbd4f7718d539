import { Deal } from '../core/models';
import { dashboardStats } from './dashboard-stats';

const now = new Date(2026, 4, 20);

function deal(stage: Deal['stage'], amount: number | null, updatedAt = new Date(2026, 4, 10)): Deal {
  return {
    id: Math.random().toString(36),
    title: '',
    amount,
    stage,
    company: null,
    contact: null,
    owner: null,
    expectedCloseDate: null,
    notes: '',
    probability: null,
    position: null,
    stageChangedAt: null,
    lostReason: '',
    createdAt: null,
    updatedAt,
    pending: false,
  };
}

describe('dashboardStats', () => {
  it('sums open stages and this month’s won and lost deals', () => {
    const stats = dashboardStats(
      [
        deal('lead', 100),
        deal('lead', null),
        deal('proposal', 400),
        deal('won', 1000),
        deal('won', 500, new Date(2026, 3, 30)),
        deal('lost', 300),
      ],
      now,
    );
    expect(stats.openValue).toBe(500);
    expect(stats.openCount).toBe(3);
    expect(stats.byStage.map((s) => s.stage)).toEqual(['lead', 'qualified', 'proposal', 'negotiation']);
    expect(stats.byStage.find((s) => s.stage === 'proposal')!.share).toBe(1);
    expect(stats.won).toEqual({ count: 1, value: 1000 });
    expect(stats.lost).toEqual({ count: 1, value: 300 });
    expect(stats.winRate).toBe(0.5);
  });

  it('has no win rate before anything closed', () => {
    expect(dashboardStats([deal('lead', 10)], now).winRate).toBeNull();
  });
});
