import { deal } from '../../../testing/deal-fixtures';
import { MIN_GAP, POSITION_STEP, placeAt, positionAtEnd } from './board-order';

const at = (id: string, position: number | null) => deal(id, { position });

describe('placeAt', () => {
  const column = [at('a', 1024), at('b', 2048), at('c', 3072)];

  it('takes the midpoint of the neighbours', () => {
    expect(placeAt(column, 'x', 1)).toEqual({ position: 1536, renumber: [] });
    expect(placeAt(column, 'x', 2)).toEqual({ position: 2560, renumber: [] });
  });

  it('steps past the first and the last card', () => {
    expect(placeAt(column, 'x', 0)).toEqual({ position: 1024 - POSITION_STEP, renumber: [] });
    expect(placeAt(column, 'x', 3)).toEqual({ position: 3072 + POSITION_STEP, renumber: [] });
    expect(placeAt([], 'x', 0)).toEqual({ position: POSITION_STEP, renumber: [] });
  });

  it('counts the index without the moved card when it moves within its column', () => {
    // c dragged to the top: neighbours are (none, a).
    expect(placeAt(column, 'c', 0).position).toBe(0);
    // a dragged between b and c: the list without a is [b, c], index 1.
    expect(placeAt(column, 'a', 1).position).toBe(2560);
  });

  it('renumbers the column when the gap is too small', () => {
    const tight = [at('a', 1), at('b', 1 + MIN_GAP), at('c', 5000)];
    const placement = placeAt(tight, 'x', 1);
    expect(placement.position).toBe(2048);
    expect(placement.renumber).toEqual([
      { id: 'a', position: 1024 },
      { id: 'b', position: 3072 },
      { id: 'c', position: 4096 },
    ]);
  });

  it('renumbers when a neighbour has no position yet, leaving unchanged cards out', () => {
    const placement = placeAt([at('a', 1024), at('b', null)], 'x', 1);
    expect(placement).toEqual({ position: 2048, renumber: [{ id: 'b', position: 3072 }] });
    expect(placeAt([at('a', null)], 'x', 0)).toEqual({ position: 1024, renumber: [{ id: 'a', position: 2048 }] });
  });
});

describe('positionAtEnd', () => {
  it('goes one step past the highest position, ignoring the moved deal', () => {
    expect(positionAtEnd([at('a', 10), at('b', 5000), at('m', 9000)], 'm')).toBe(5000 + POSITION_STEP);
    expect(positionAtEnd([at('a', null)], 'm')).toBe(POSITION_STEP);
  });
});
