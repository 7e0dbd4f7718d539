import { Deal, STAGES, Stage } from '../../core/models';
import { STAGE_INFO, StageInfo } from '../../core/stages';
import { DEFAULT_SETTINGS, PipelineSettings, StageSettings, isStale, weightedAmount } from '../../forecast/pipeline-settings';

/** 'all', 'mine', or a user id. */
export type OwnerFilter = string;
/** manual: the board order people drag into (Deal.position); close: expected close date; updated: last change. */
export type BoardSort = 'manual' | 'close' | 'updated';

export interface BoardFilter {
  owner: OwnerFilter;
  companyId: string | null;
  text: string;
}

export interface BoardColumn {
  stage: Stage;
  info: StageInfo;
  deals: Deal[];
  total: number;
  /** Σ amount × probability (the deal's own, else the stage's). */
  weighted: number;
  settings: StageSettings;
  /** Deals idle in this stage longer than the stage allows. */
  stale: ReadonlySet<string>;
}

export function matchesFilter(deal: Deal, filter: BoardFilter, meId: string | undefined): boolean {
  if (filter.owner === 'mine' && deal.owner?.id !== meId) return false;
  if (filter.owner !== 'mine' && filter.owner !== 'all' && deal.owner?.id !== filter.owner) return false;
  if (filter.companyId && deal.company?.id !== filter.companyId) return false;
  const text = filter.text.trim().toLowerCase();
  if (text && !`${deal.title} ${deal.company?.name ?? ''} ${deal.contact?.name ?? ''}`.toLowerCase().includes(text)) return false;
  return true;
}

const time = (date: Date | null) => date?.getTime();

/** Close date: soonest first, undated last. Last update: newest first, unsaved (pending) changes on top. */
export function compareDeals(sort: BoardSort): (a: Deal, b: Deal) => number {
  const byClose = (a: Deal, b: Deal) =>
    (time(a.expectedCloseDate) ?? Infinity) - (time(b.expectedCloseDate) ?? Infinity) || a.title.localeCompare(b.title);
  // Deals never placed by hand (no position yet) follow the placed ones, by close date.
  if (sort === 'manual') return (a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || byClose(a, b);
  if (sort === 'close') return byClose;
  return (a, b) => (time(b.updatedAt) ?? Infinity) - (time(a.updatedAt) ?? Infinity) || a.title.localeCompare(b.title);
}

export function buildColumns(
  deals: readonly Deal[],
  filter: BoardFilter,
  sort: BoardSort,
  meId: string | undefined,
  settings: PipelineSettings = DEFAULT_SETTINGS,
  now = new Date(),
): BoardColumn[] {
  const byStage = new Map<Stage, Deal[]>(STAGES.map((stage) => [stage, []]));
  for (const deal of deals) if (matchesFilter(deal, filter, meId)) byStage.get(deal.stage)!.push(deal);
  const compare = compareDeals(sort);
  return STAGES.map((stage) => {
    const list = byStage.get(stage)!.sort(compare);
    return {
      stage,
      info: STAGE_INFO[stage],
      deals: list,
      total: list.reduce((sum, deal) => sum + (deal.amount ?? 0), 0),
      weighted: list.reduce((sum, deal) => sum + weightedAmount(deal, settings), 0),
      settings: settings[stage],
      stale: new Set(list.filter((deal) => isStale(deal, settings, now)).map((deal) => deal.id)),
    };
  });
}
