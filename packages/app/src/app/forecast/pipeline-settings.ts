import { Deal, STAGES, Stage } from '../core/models';

/** What the server's stage configuration says about one stage (`GET /parse/config` → params.stages). */
export interface StageSettings {
  probability: number;
  won: boolean;
  lost: boolean;
  /** The board shows the column collapsed until opened. */
  folded: boolean;
  /** Days in the stage after which a deal is stale; null = never. */
  staleAfterDays: number | null;
}

export type PipelineSettings = Record<Stage, StageSettings>;

/** The server's defaults, used until (or if never) the configuration arrives. */
export const DEFAULT_SETTINGS: PipelineSettings = {
  lead: { probability: 0.1, won: false, lost: false, folded: false, staleAfterDays: 30 },
  qualified: { probability: 0.25, won: false, lost: false, folded: false, staleAfterDays: 30 },
  proposal: { probability: 0.5, won: false, lost: false, folded: false, staleAfterDays: 30 },
  negotiation: { probability: 0.75, won: false, lost: false, folded: false, staleAfterDays: 30 },
  won: { probability: 1, won: true, lost: false, folded: true, staleAfterDays: null },
  lost: { probability: 0, won: false, lost: true, folded: true, staleAfterDays: null },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Overlays the configured values on the stages this app knows; unknown names and malformed entries are
 * ignored (the server validated the file; an older app simply does not draw stages it has no column for).
 */
export function settingsFromConfig(stages: unknown): PipelineSettings {
  const settings = structuredClone(DEFAULT_SETTINGS);
  if (!Array.isArray(stages)) return settings;
  for (const entry of stages) {
    if (!isRecord(entry) || !(STAGES as readonly unknown[]).includes(entry['name'])) continue;
    const current = settings[entry['name'] as Stage];
    const probability = entry['probability'];
    if (typeof probability === 'number' && probability >= 0 && probability <= 1) current.probability = probability;
    for (const flag of ['won', 'lost', 'folded'] as const) if (typeof entry[flag] === 'boolean') current[flag] = entry[flag];
    const stale = entry['staleAfterDays'];
    if (stale === null || (typeof stale === 'number' && stale > 0)) current.staleAfterDays = stale;
  }
  return settings;
}

/** The deal's own probability when set, else its stage's. */
export function weightedAmount(deal: Deal, settings: PipelineSettings): number {
  return (deal.amount ?? 0) * (deal.probability ?? settings[deal.stage].probability);
}

const DAY_MS = 86_400_000;

/** Idle in its stage for longer than the stage allows (judged from the server-kept stageChangedAt). */
export function isStale(deal: Deal, settings: PipelineSettings, now = new Date()): boolean {
  const limit = settings[deal.stage].staleAfterDays;
  if (limit == null || !deal.stageChangedAt) return false;
  return now.getTime() - deal.stageChangedAt.getTime() > limit * DAY_MS;
}

/** Whole days since the deal entered its stage. */
export function daysInStage(deal: Deal, now = new Date()): number | null {
  return deal.stageChangedAt ? Math.floor((now.getTime() - deal.stageChangedAt.getTime()) / DAY_MS) : null;
}
