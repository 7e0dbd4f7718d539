import { Injectable, computed, inject, signal } from '@angular/core';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';
import { describeError } from '../core/errors';
import { idOf, toDeal } from '../core/mappers';
import { DataSource, Deal, LoadState, Stage } from '../core/models';
import { MAX_LIMIT } from '../core/query-utils';
import { LiveBatch } from '../live/live-batch';
import { LiveService } from '../live/live.service';
import { SaveOutcome } from '../sync/sync-state';
import { SyncService } from '../sync/sync.service';
import { DealInput, applyDealInput } from './deal-input';

/** Only what the screens show: the names of the linked records, not their whole rows (half the bytes on a big board). */
const DEAL_KEYS = [
  'title',
  'amount',
  'stage',
  'expectedCloseDate',
  'notes',
  'probability',
  'position',
  'stageChangedAt',
  'lostReason',
  'company',
  'contact',
  'assignedTo',
  'company.name',
  'contact.name',
  'assignedTo.username',
];

export function dealQuery(): Parse.Query {
  return new Parse.Query('Deal')
    .include(['company', 'contact', 'assignedTo'])
    .select(...DEAL_KEYS)
    .descending('updatedAt')
    .limit(MAX_LIMIT);
}

/**
 * Every deal the signed-in user may see, kept current by LiveQuery. The server's ACLs decide what "may see"
 * means (a rep's own deals, everything for managers), so the board, dashboard and detail screens all read
 * from this one list.
 */
@Injectable({ providedIn: 'root' })
export class DealService {
  private readonly sync = inject(SyncService);
  private readonly live = inject(LiveService);
  private readonly auth = inject(AuthService);

  private readonly objects = new Map<string, Parse.Object>();
  private readonly list = signal<readonly Deal[]>([]);
  private loading: Promise<void> | null = null;
  private stopLive: Promise<() => void> | null = null;
  private readonly liveEvents = new LiveBatch((upserts, removals) => this.applyLive(upserts, removals));

  readonly deals = this.list.asReadonly();
  readonly byId = computed(() => new Map(this.list().map((deal) => [deal.id, deal])));
  readonly status = signal<LoadState>('idle');
  readonly error = signal<string | null>(null);
  readonly source = signal<DataSource>('server');

  constructor() {
    this.sync.onReconnect(() => {
      if (this.status() !== 'idle') void this.reload();
    });
    this.auth.onSignOut(() => this.reset());
  }

  /** Loads on first use; later calls return at once (the list is kept live). */
  load(): Promise<void> {
    if (this.status() === 'ready') return Promise.resolve();
    return this.reload();
  }

  reload(): Promise<void> {
    this.loading ??= this.fetchAll().finally(() => (this.loading = null));
    return this.loading;
  }

  async get(id: string): Promise<Deal> {
    const known = this.byId().get(id);
    if (known) return known;
    const object = await this.sync.get(dealQuery(), id);
    return this.put(object);
  }

  async create(input: DealInput): Promise<{ deal: Deal; outcome: SaveOutcome }> {
    const object = new Parse.Object('Deal');
    applyDealInput(object, input);
    if (!input.owner) {
      // The server would default it to the creator too; setting it here shows the owner while offline.
      const me = this.auth.userPointer();
      if (me) object.set('assignedTo', me);
    }
    const outcome = await this.sync.save(object);
    return { deal: this.put(object), outcome };
  }

  async update(id: string, input: Partial<DealInput>): Promise<SaveOutcome> {
    const object = this.require(id);
    applyDealInput(object, input);
    return this.saveOrRevert(
      object,
      Object.keys(input).map((key) => (key === 'owner' ? 'assignedTo' : key)),
    );
  }

  /** Optimistic: the card moves at once and moves back if the server refuses. */
  moveStage(id: string, stage: Stage): Promise<SaveOutcome> {
    const object = this.require(id);
    object.set('stage', stage);
    this.put(object);
    return this.saveOrRevert(object, ['stage']);
  }

  /**
   * A drag on the board: the deal takes `position` (and `stage` when it changed columns); a renumbering moves
   * its neighbours too. Optimistic like moveStage: every card moves at once and the moved one goes back if
   * the server refuses. The server records the stage change in the deal's history.
   */
  async place(
    id: string,
    stage: Stage,
    position: number,
    renumber: readonly { id: string; position: number }[] = [],
  ): Promise<SaveOutcome> {
    const object = this.require(id);
    const keys = object.get('stage') === stage ? ['position'] : ['stage', 'position'];
    object.set('stage', stage);
    object.set('position', position);
    const neighbours = renumber.map(({ id: other, position: at }) => {
      const neighbour = this.require(other);
      neighbour.set('position', at);
      this.put(neighbour);
      return neighbour;
    });
    this.put(object);
    // Neighbours first: if one fails the moved card goes back too.
    try {
      await Promise.all(neighbours.map((neighbour) => this.saveOrRevert(neighbour, ['position'])));
    } catch (error) {
      object.revert(...keys);
      this.put(object);
      throw error;
    }
    return this.saveOrRevert(object, keys);
  }

  async remove(id: string): Promise<SaveOutcome> {
    const object = this.require(id);
    const outcome = await this.sync.destroy(object);
    this.drop(id);
    return outcome;
  }

  private async saveOrRevert(object: Parse.Object, keys: string[]): Promise<SaveOutcome> {
    try {
      const outcome = await this.sync.save(object);
      this.put(object);
      return outcome;
    } catch (error) {
      object.revert(...keys);
      this.put(object);
      throw error;
    }
  }

  private require(id: string): Parse.Object {
    const object = this.objects.get(id);
    if (!object) throw new Error('This deal is not loaded any more. Reload the page and try again.');
    return object;
  }

  private async fetchAll(): Promise<void> {
    if (this.list().length === 0) this.status.set('loading');
    this.error.set(null);
    try {
      performance.mark('crm:deals:request');
      const { objects, source } = await this.sync.find(dealQuery(), 'deals');
      performance.mark('crm:deals:response');
      const queued = await this.sync.queuedCreates('Deal');
      this.replaceAll([...objects, ...queued]);
      performance.mark('crm:deals:mapped');
      this.source.set(source);
      this.status.set('ready');
      if (source === 'server') this.startLive();
    } catch (error) {
      this.error.set(describeError(error));
      this.status.set(this.list().length > 0 ? 'ready' : 'error');
    }
  }

  private startLive(): void {
    this.stopLive ??= this.live.watch(new Parse.Query('Deal'), {
      upsert: (object) => this.liveEvents.upsert(object),
      remove: (object) => this.liveEvents.remove(object),
    });
    this.stopLive.catch(() => (this.stopLive = null));
  }

  private applyLive(upserts: Parse.Object[], removals: string[], lookUpNames = true): void {
    const previous = this.byId();
    for (const id of removals) this.objects.delete(id);
    const changed = new Map(upserts.map((object) => [idOf(object), toDeal(object, previous.get(idOf(object)))]));
    for (const object of upserts) this.objects.set(idOf(object), object);
    const gone = new Set(removals);
    this.list.update((list) => {
      const kept = list.filter((deal) => !gone.has(deal.id)).map((deal) => changed.get(deal.id) ?? deal);
      const added = [...changed.values()].filter((deal) => !previous.has(deal.id));
      return [...added, ...kept];
    });
    if (lookUpNames) void this.fillInNames([...changed.values()]);
  }

  /** LiveQuery sends bare pointers: fetch, one query per class, the names this device has not seen yet. */
  private async fillInNames(deals: Deal[]): Promise<void> {
    const wanted: Record<string, { nameKey: string; ids: Set<string> }> = {
      Company: { nameKey: 'name', ids: new Set() },
      Contact: { nameKey: 'name', ids: new Set() },
      _User: { nameKey: 'username', ids: new Set() },
    };
    for (const deal of deals) {
      if (deal.company && !deal.company.name) wanted['Company'].ids.add(deal.company.id);
      if (deal.contact && !deal.contact.name) wanted['Contact'].ids.add(deal.contact.id);
      if (deal.owner && !deal.owner.name) wanted['_User'].ids.add(deal.owner.id);
    }
    const lookups = Object.entries(wanted).filter(([, { ids }]) => ids.size > 0);
    if (lookups.length === 0) return;
    // The SDK shares state between instances of one object, so fetched names show through the deals' pointers.
    await Promise.allSettled(
      lookups.map(([className, { nameKey, ids }]) =>
        new Parse.Query(className)
          .containedIn('objectId', [...ids])
          .select(nameKey)
          .limit(ids.size)
          .find(),
      ),
    );
    const refreshed = deals.map((deal) => this.objects.get(deal.id)).filter((object): object is Parse.Object => !!object);
    this.applyLive(refreshed, [], false);
  }

  private replaceAll(objects: Parse.Object[]): void {
    const previous = this.byId();
    this.objects.clear();
    for (const object of objects) this.objects.set(idOf(object), object);
    this.list.set(objects.map((object) => toDeal(object, previous.get(idOf(object)))));
  }

  private put(object: Parse.Object): Deal {
    const id = idOf(object);
    const previous = this.byId().get(id);
    const deal = toDeal(object, previous);
    this.objects.set(id, object);
    this.list.update((list) => (previous ? list.map((item) => (item.id === id ? deal : item)) : [deal, ...list]));
    return deal;
  }

  private drop(id: string | undefined): void {
    if (!id || !this.objects.delete(id)) return;
    this.list.update((list) => list.filter((deal) => deal.id !== id));
  }

  private async reset(): Promise<void> {
    const stop = this.stopLive;
    this.stopLive = null;
    this.liveEvents.cancel();
    this.objects.clear();
    this.list.set([]);
    this.status.set('idle');
    this.error.set(null);
    (await stop?.catch(() => null))?.();
  }
}
