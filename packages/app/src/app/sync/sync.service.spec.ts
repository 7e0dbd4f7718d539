import { TestBed } from '@angular/core/testing';
import Parse from 'parse';
import { NetworkStatus } from '../core/network-status';
import { fakeRest, offline, savedReply } from '../../testing/fake-rest';
import { wireObject } from '../../testing/parse-fixtures';
import { SyncService } from './sync.service';

describe('SyncService', () => {
  let sync: SyncService;
  let network: NetworkStatus;

  beforeEach(() => {
    sync = TestBed.inject(SyncService);
    network = TestBed.inject(NetworkStatus);
  });

  it('saves straight to the server when it answers', async () => {
    const calls = fakeRest(() => savedReply('c1'));
    const contact = new Parse.Object('Contact');
    contact.set('name', 'Ada');
    expect(await sync.save(contact)).toBe('saved');
    expect(contact.id).toBe('c1');
    expect(calls[0]).toMatchObject({ method: 'POST', path: 'classes/Contact', data: { name: 'Ada' } });
    expect(sync.pending()).toBe(0);
  });

  it('queues the change when the server cannot be reached, and counts it', async () => {
    fakeRest(offline);
    const note = new Parse.Object('Activity');
    note.set('subject', 'Called from the train');
    expect(await sync.save(note)).toBe('queued');
    expect(sync.pending()).toBe(1);
    const [queued] = await sync.queuedCreates('Activity');
    expect(queued.get('subject')).toBe('Called from the train');
  });

  it('throws a refusal instead of queueing it', async () => {
    fakeRest(() => {
      throw new Parse.Error(Parse.Error.OPERATION_FORBIDDEN, 'Permission denied');
    });
    const deal = Parse.Object.fromJSON(wireObject('Deal', 'd1', { stage: 'lead' }));
    deal.set('stage', 'won');
    await expect(sync.save(deal)).rejects.toMatchObject({ code: Parse.Error.OPERATION_FORBIDDEN });
    expect(sync.pending()).toBe(0);
  });

  it('replays the queue on flush and tells the screens to reload', async () => {
    fakeRest(offline);
    const note = new Parse.Object('Activity');
    note.set('subject', 'later');
    await sync.save(note);

    const calls = fakeRest(() => savedReply('a9'));
    const reloaded = vi.fn();
    sync.onReconnect(reloaded);
    await sync.flush();
    expect(
      calls.some((call) => call.method === 'POST' && call.path === 'classes/Activity' && call.data['subject'] === 'later'),
    ).toBe(true);
    expect(sync.pending()).toBe(0);
    expect(reloaded).toHaveBeenCalledOnce();
  });

  it('reads the device copy when the server cannot be reached', async () => {
    fakeRest(() => ({ results: [wireObject('Contact', 'c1', { name: 'Ada' }), wireObject('Contact', 'c2', { name: 'Bob' })] }));
    const first = await sync.find(new Parse.Query('Contact'), 'contacts');
    expect(first.source).toBe('server');
    await Parse.Object.pinAllWithName('contacts', first.objects);

    fakeRest(offline);
    const second = await sync.find(new Parse.Query('Contact').equalTo('name', 'Bob'), 'contacts');
    expect(second.source).toBe('device');
    expect(second.objects.map((object) => object.id)).toEqual(['c2']);
  });

  it('goes to the device copy at once while the browser is offline', async () => {
    const calls = fakeRest(() => ({ results: [] }));
    network.reportReachable(false);
    expect(sync.state()).toBe('offline');
    await sync.find(new Parse.Query('Deal'), 'deals');
    expect(calls.filter((call) => call.path === 'classes/Deal')).toHaveLength(0);
  });
});

describe('SyncService on sign-out', () => {
  it('forgets the device copy and the queue when the user signs out, not when the session expires', async () => {
    const { AuthService } = await import('../auth/auth.service');
    const { Router } = await import('@angular/router');
    TestBed.configureTestingModule({ providers: [{ provide: Router, useValue: { navigate: async () => true } }] });
    const auth = TestBed.inject(AuthService);
    const sync = TestBed.inject(SyncService);
    auth.user.set({ id: 'u1', username: 'ana', email: '' });
    fakeRest(offline);
    const note = new Parse.Object('Activity');
    note.set('subject', 'kept across an expiry');
    await sync.save(note);

    const expire = (auth as unknown as { clearSession(reason: string): Promise<void> }).clearSession.bind(auth);
    await expire('expired');
    expect(sync.pending()).toBe(1);
    auth.user.set({ id: 'u1', username: 'ana', email: '' });
    await expire('logout');
    expect(sync.pending()).toBe(0);
    expect(await sync.queuedCreates('Activity')).toHaveLength(0);
  });
});
