import { groupHits } from './search.service';

describe('groupHits', () => {
  it('groups ranked hits by class, best group first, and links each to its page', () => {
    const groups = groupHits([
      { className: 'Deal', objectId: 'd1', title: 'Orion', subtitle: 'lead', score: 16 },
      { className: 'Contact', objectId: 'c1', title: 'Orion Vega', subtitle: 'o@v.test', score: 8 },
      { className: 'Deal', objectId: 'd2', title: '', score: 1 },
      { className: 'Activity', objectId: 'a1', title: 'call', score: 1 },
    ]);
    expect(groups.map((g) => [g.className, g.label, g.results.map((r) => r.id)])).toEqual([
      ['Deal', 'Deals', ['d1', 'd2']],
      ['Contact', 'Contacts', ['c1']],
    ]);
    expect(groups[0].results[0].link).toEqual(['/deals', 'd1']);
    expect(groups[0].results[1].title).toBe('(untitled)');
    expect(groups[1].results[0]).toMatchObject({ subtitle: 'o@v.test', link: ['/contacts', 'c1'] });
  });

  it('no hits, no groups', () => {
    expect(groupHits([])).toEqual([]);
  });
});
