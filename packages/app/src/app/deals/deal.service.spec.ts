import { TestBed } from '@angular/core/testing';
import Parse from 'parse';
import { FakeLive, provideFakeLive } from '../../testing/fake-live';
import { fakeRest, offline } from '../../testing/fake-rest';
import { serverObject, wireObject } from '../../testing/parse-fixtures';
import { DealService } from './deal.service';

const board = () => ({
  results: [
    {
      ...wireObject('Deal', 'd1', { title: 'Big', stage: 'lead', amount: 100 }),
      company: { __type: 'Object', className: 'Company', objectId: 'c1', name: 'Acme' },
    },
    wireObject('Deal', 'd2', { title: 'Small', stage: 'won', amount: 5 }),
  ],
});

describe('DealService', () => {
  let deals: DealService;
  let live: FakeLive;

  beforeEach(() => {
    const fake = provideFakeLive();
    live = fake.live;
    TestBed.configureTestingModule({ providers: [fake.provider] });
    deals = TestBed.inject(DealService);
  });

  it('loads every visible deal with names of linked records, then listens for changes', async () => {
    const calls = fakeRest(board);
    await deals.load();
    expect(deals.status()).toBe('ready');
    expect(deals.deals().map((deal) => [deal.id, deal.stage, deal.company?.name])).toEqual([
      ['d1', 'lead', 'Acme'],
      ['d2', 'won', undefined],
    ]);
    expect(calls[0].data).toMatchObject({ include: 'company,contact,assignedTo', order: '-updatedAt', limit: 10000 });
    expect(live.watched.map((w) => w.className)).toEqual(['Deal']);
  });

  it('moves a card at once and keeps it there when the server agrees', async () => {
    fakeRest(board);
    await deals.load();
    let release!: (value: unknown) => void;
    const calls = fakeRest(() => new Promise((resolve) => (release = resolve)));
    const move = deals.moveStage('d1', 'proposal');
    expect(deals.byId().get('d1')?.stage).toBe('proposal');
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    release({ updatedAt: '2026-05-02T00:00:00.000Z' });
    expect(await move).toBe('saved');
    expect(calls[0]).toMatchObject({ method: 'PUT', path: 'classes/Deal/d1', data: { stage: 'proposal' } });
  });

  it('moves the card back when the server refuses', async () => {
    fakeRest(board);
    await deals.load();
    fakeRest(() => {
      throw new Parse.Error(Parse.Error.OBJECT_NOT_FOUND, 'Object not found.');
    });
    await expect(deals.moveStage('d1', 'won')).rejects.toMatchObject({ code: 101 });
    expect(deals.byId().get('d1')?.stage).toBe('lead');
  });

  it('applies live events from other users', async () => {
    fakeRest(board);
    await deals.load();
    fakeRest(() => ({}));
    const acme = { __type: 'Pointer', className: 'Company', objectId: 'c1' };
    live.emit('Deal', 'upsert', serverObject('Deal', 'd1', { title: 'Big', stage: 'negotiation', amount: 100, company: acme }));
    live.emit('Deal', 'upsert', serverObject('Deal', 'd3', { title: 'New one', stage: 'lead' }));
    live.emit('Deal', 'remove', serverObject('Deal', 'd2', {}));
    await vi.waitFor(() => expect(deals.byId().has('d3')).toBe(true));
    expect(deals.deals().map((deal) => [deal.id, deal.stage])).toEqual([
      ['d3', 'lead'],
      ['d1', 'negotiation'],
    ]);
    // the live event carried a bare pointer: the name seen before is kept
    expect(deals.byId().get('d1')?.company).toEqual({ id: 'c1', name: 'Acme' });
  });

  it('looks up unknown company names for a burst of live deals in one query', async () => {
    fakeRest(board);
    await deals.load();
    const calls = fakeRest(({ path }) =>
      path === 'classes/Company' ? { results: [wireObject('Company', 'c9', { name: 'Globex' })] } : { results: [] },
    );
    const globex = { __type: 'Pointer', className: 'Company', objectId: 'c9' };
    for (let i = 0; i < 20; i++)
      live.emit('Deal', 'upsert', serverObject('Deal', `n${i}`, { title: `Imported ${i}`, stage: 'lead', company: globex }));
    await vi.waitFor(() => expect(deals.byId().get('n0')?.company?.name).toBe('Globex'));
    expect(calls.filter((call) => call.path === 'classes/Company')).toHaveLength(1);
    expect(calls[0].data['where']).toEqual({ objectId: { $in: ['c9'] } });
    expect(deals.deals()).toHaveLength(22);
  });

  it('shows an error state when nothing could be loaded', async () => {
    fakeRest(() => {
      throw new Parse.Error(Parse.Error.INTERNAL_SERVER_ERROR, 'boom');
    });
    await deals.load();
    expect(deals.status()).toBe('error');
    expect(deals.error()).toBe('boom');
  });

  it('creates a deal owned by the signed-in user even offline', async () => {
    fakeRest(board);
    await deals.load();
    fakeRest(offline);
    const { deal, outcome } = await deals.create({
      title: 'Offline deal',
      amount: 10,
      stage: 'lead',
      company: null,
      contact: null,
      owner: null,
      expectedCloseDate: null,
      notes: '',
    });
    expect(outcome).toBe('queued');
    expect(deal.pending).toBe(true);
    expect(deals.deals()[0].title).toBe('Offline deal');
  });
});
