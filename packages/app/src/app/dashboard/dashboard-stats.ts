import { Deal, STAGES, Stage } from '../core/models';
import { STAGE_INFO } from '../core/stages';

export interface StageValue {
  stage: Stage;
  label: string;
  color: string;
  count: number;
  value: number;
  /** 0..1 of the largest stage, for the bar length. */
  share: number;
}

export interface MonthResult {
  count: number;
  value: number;
}

export interface DashboardStats {
  byStage: StageValue[];
  openValue: number;
  openCount: number;
  won: MonthResult;
  lost: MonthResult;
  /** Won / (won + lost) this month, null before anything closed. */
  winRate: number | null;
}

/**
 * A deal has no "closed at" field: a won or lost deal last updated this month counts as closed this month,
 * which holds as long as closed deals are not edited afterwards.
 */
export function dashboardStats(deals: readonly Deal[], now: Date): DashboardStats {
  const monthStart = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  const byStage = new Map<Stage, { count: number; value: number }>(STAGES.map((stage) => [stage, { count: 0, value: 0 }]));
  const won = { count: 0, value: 0 };
  const lost = { count: 0, value: 0 };
  for (const deal of deals) {
    const entry = byStage.get(deal.stage)!;
    entry.count++;
    entry.value += deal.amount ?? 0;
    const closedThisMonth = (deal.updatedAt?.getTime() ?? now.getTime()) >= monthStart;
    if (deal.stage === 'won' && closedThisMonth) {
      won.count++;
      won.value += deal.amount ?? 0;
    } else if (deal.stage === 'lost' && closedThisMonth) {
      lost.count++;
      lost.value += deal.amount ?? 0;
    }
  }
  const open = STAGES.filter((stage) => STAGE_INFO[stage].open);
  const max = Math.max(1, ...open.map((stage) => byStage.get(stage)!.value));
  return {
    byStage: open.map((stage) => ({
      stage,
      label: STAGE_INFO[stage].label,
      color: STAGE_INFO[stage].color,
      ...byStage.get(stage)!,
      share: byStage.get(stage)!.value / max,
    })),
    openValue: open.reduce((sum, stage) => sum + byStage.get(stage)!.value, 0),
    openCount: open.reduce((sum, stage) => sum + byStage.get(stage)!.count, 0),
    won,
    lost,
    winRate: won.count + lost.count > 0 ? won.count / (won.count + lost.count) : null,
  };
}
