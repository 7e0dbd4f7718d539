import { Page, PagedList, PageRequest } from './paged-list';

type Row = { id: string };
const rows = (from: number, count: number): Row[] => Array.from({ length: count }, (_, i) => ({ id: String(from + i) }));

describe('PagedList', () => {
  it('loads the first page, then more, and knows when it is done', async () => {
    const fetch = vi.fn(async ({ skip, limit }: PageRequest): Promise<Page<Row>> => ({
      items: rows(skip, Math.min(limit, 5 - skip)),
      total: 5,
      source: 'server',
    }));
    const list = new PagedList<Row>(fetch, { field: 'name', direction: 'asc' }, 3);
    await list.load();
    expect(list.items().map((r) => r.id)).toEqual(['0', '1', '2']);
    expect(list.hasMore()).toBe(true);
    await list.loadMore();
    expect(list.items()).toHaveLength(5);
    expect(list.hasMore()).toBe(false);
  });

  it('lets only the latest search write its answer', async () => {
    let resolveSlow!: (page: Page<Row>) => void;
    const fetch = vi.fn((request: PageRequest) =>
      request.term === 'slow'
        ? new Promise<Page<Row>>((resolve) => (resolveSlow = resolve))
        : Promise.resolve({ items: [{ id: 'fast' }], total: 1, source: 'server' as const }),
    );
    const list = new PagedList<Row>(fetch, { field: 'name', direction: 'asc' });
    const slow = list.search('slow');
    await list.search('fast');
    resolveSlow({ items: [{ id: 'stale' }], total: 1, source: 'server' });
    await slow;
    expect(list.items()).toEqual([{ id: 'fast' }]);
  });

  it('reports errors and keeps going without a count offline', async () => {
    const list = new PagedList<Row>(
      async () => {
        throw new Error('boom');
      },
      { field: 'name', direction: 'asc' },
    );
    await list.load();
    expect(list.status()).toBe('error');
    expect(list.error()).toBe('boom');

    const offline = new PagedList<Row>(
      async () => ({ items: rows(0, 2), total: null, source: 'device' }),
      { field: 'name', direction: 'asc' },
      2,
    );
    await offline.load();
    expect(offline.hasMore()).toBe(true);
  });

  it('applies local edits with the total', async () => {
    const list = new PagedList<Row>(async () => ({ items: rows(0, 2), total: 2, source: 'server' }), {
      field: 'name',
      direction: 'asc',
    });
    await list.load();
    list.upsert({ id: 'new' });
    list.remove('0');
    expect(list.items().map((r) => r.id)).toEqual(['new', '1']);
    expect(list.total()).toBe(2);
  });
});
