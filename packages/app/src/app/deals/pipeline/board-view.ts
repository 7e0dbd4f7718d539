import { Deal, STAGES, Stage } from '../../core/models';
import { STAGE_INFO, StageInfo } from '../../core/stages';

/** 'all', 'mine', or a user id. */
export type OwnerFilter = string;
export type BoardSort = 'close' | 'updated';

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
  if (sort === 'close') {
    return (a, b) =>
      (time(a.expectedCloseDate) ?? Infinity) - (time(b.expectedCloseDate) ?? Infinity) || a.title.localeCompare(b.title);
  }
  return (a, b) => (time(b.updatedAt) ?? Infinity) - (time(a.updatedAt) ?? Infinity) || a.title.localeCompare(b.title);
}

export function buildColumns(
  deals: readonly Deal[],
  filter: BoardFilter,
  sort: BoardSort,
  meId: string | undefined,
): BoardColumn[] {
  const byStage = new Map<Stage, Deal[]>(STAGES.map((stage) => [stage, []]));
  for (const deal of deals) if (matchesFilter(deal, filter, meId)) byStage.get(deal.stage)!.push(deal);
  const compare = compareDeals(sort);
  return STAGES.map((stage) => {
    const list = byStage.get(stage)!.sort(compare);
    return { stage, info: STAGE_INFO[stage], deals: list, total: list.reduce((sum, deal) => sum + (deal.amount ?? 0), 0) };
  });
}
