import Parse from 'parse';

/** `pipelineSummary`'s answer (server: src/forecast/pipeline-summary.ts). */
export interface StageSummary {
  stage: string | null;
  label: string;
  probability: number;
  won: boolean;
  lost: boolean;
  configured: boolean;
  count: number;
  amount: number;
  weightedAmount: number;
}

export interface PipelineSummary {
  from: string | null;
  to: string | null;
  stages: StageSummary[];
  open: { count: number; amount: number; weightedAmount: number };
  wonCount: number;
  lostCount: number;
  winRate: number | null;
  avgCycleDays: number | null;
}

export interface Period {
  from: Date;
  to: Date;
  label: string;
}

/** The calendar quarter holding `now`, local time: [first day, first day of the next quarter). */
export function quarterOf(now: Date): Period {
  const q = Math.floor(now.getMonth() / 3);
  return {
    from: new Date(now.getFullYear(), q * 3, 1),
    to: new Date(now.getFullYear(), q * 3 + 3, 1),
    label: `Q${q + 1} ${now.getFullYear()}`,
  };
}

/** Runs the server's forecast over the deals this user may see (the server applies their ACLs). */
export function fetchSummary(period: Pick<Period, 'from' | 'to'>): Promise<PipelineSummary> {
  return Parse.Cloud.run('pipelineSummary', { from: period.from, to: period.to }) as Promise<PipelineSummary>;
}

/** Open stages with deals in the period, for the panel's rows (closed stages are in the win rate). */
export function openRows(summary: PipelineSummary): StageSummary[] {
  return summary.stages.filter((s) => !s.won && !s.lost && s.count > 0);
}
