import { Deal } from '../../core/models';

/** Gap between neighbours after a renumbering, and the step past the first/last card. */
export const POSITION_STEP = 1024;
/** Below this gap a midpoint loses meaning (doubles halve ~40 times first): renumber the column instead. */
export const MIN_GAP = 1e-3;

export interface Placement {
  /** The moved deal's new position. */
  position: number;
  /** Other deals of the column whose position must change too (a renumbering); usually empty. */
  renumber: { id: string; position: number }[];
}

/**
 * Where a deal dropped at `index` of a column goes. `column` is the column in board order and may contain
 * the moved deal (a move within the column); `index` counts the column without it, as the drop list does.
 * The new position is the midpoint of the neighbours (±POSITION_STEP past the first/last); when a
 * neighbour has no position yet or the gap is too small, the whole column is renumbered in steps.
 */
export function placeAt(column: readonly Deal[], movingId: string, index: number): Placement {
  const others = column.filter((deal) => deal.id !== movingId);
  const at = Math.max(0, Math.min(index, others.length));
  const before = others[at - 1]?.position;
  const after = others[at]?.position;
  const hasBefore = at > 0;
  const hasAfter = at < others.length;
  if (!hasBefore && !hasAfter) return { position: POSITION_STEP, renumber: [] };
  if (!hasBefore && after != null) return { position: after - POSITION_STEP, renumber: [] };
  if (!hasAfter && before != null) return { position: before + POSITION_STEP, renumber: [] };
  if (before != null && after != null && after - before >= 2 * MIN_GAP) return { position: (before + after) / 2, renumber: [] };
  return renumbered(others, at);
}

function renumbered(others: readonly Deal[], at: number): Placement {
  const renumber: Placement['renumber'] = [];
  let position = 0;
  others.forEach((deal, i) => {
    const wanted = (i + (i >= at ? 2 : 1)) * POSITION_STEP;
    if (deal.position !== wanted) renumber.push({ id: deal.id, position: wanted });
    if (i === at - 1) position = wanted + POSITION_STEP;
  });
  return { position: at === 0 ? POSITION_STEP : position, renumber };
}

/** A position after every deal of the column (a move from the card menu, or while sorted by date). */
export function positionAtEnd(column: readonly Deal[], movingId: string): number {
  const positions = column.filter((d) => d.id !== movingId && d.position != null).map((d) => d.position!);
  return positions.length ? Math.max(...positions) + POSITION_STEP : POSITION_STEP;
}
