import { describe, expect, it } from 'vitest';
import { scoreObject } from './rank.js';
import type { SearchField } from '../storage/adapter.js';

const DEAL: SearchField[] = [
  { field: 'title', weight: 'A' },
  { field: 'notes', weight: 'D' },
];

describe('scoreObject', () => {
  it('a title that is the query beats a title that starts with it, which beats a mention in notes', () => {
    const exact = scoreObject({ title: 'Orion' }, DEAL, ['orion']);
    const starts = scoreObject({ title: 'Orion renewal' }, DEAL, ['orion']);
    const notes = scoreObject({ title: 'Renewal', notes: 'like Orion' }, DEAL, ['orion']);
    expect(exact).toBeGreaterThan(starts);
    expect(starts).toBeGreaterThan(notes);
    expect(notes).toBeGreaterThan(0);
  });

  it('whole words count more than prefixes; fields and accents as the index sees them', () => {
    expect(scoreObject({ title: 'Acme' }, DEAL, ['acm'])).toBeLessThan(scoreObject({ title: 'Acm' }, DEAL, ['acm']));
    expect(scoreObject({ title: 'José' }, DEAL, ['jose'])).toBe(16);
    expect(scoreObject({ title: 'x', other: 'orion' }, DEAL, ['orion'])).toBe(0);
    expect(scoreObject({ title: 42 }, DEAL, ['42'])).toBe(0);
    expect(scoreObject({ title: 'Orion' }, DEAL, [])).toBe(0);
  });
});
