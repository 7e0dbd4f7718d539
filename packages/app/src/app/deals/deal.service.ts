import { Injectable, computed, inject, signal } from '@angular/core';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';
import { describeError } from '../core/errors';
import { idOf, toDeal } from '../core/mappers';
import { DataSource, Deal, LoadState, Stage } from '../core/models';
import { MAX_LIMIT } from '../core/query-utils';
import { LiveService } from '../live/live.service';
import { SaveOutcome } from '../sync/sync-state';
import { SyncService } from '../sync/sync.service';
import { DealInput, applyDealInput } from './deal-input';

export function dealQuery(): Parse.Query {
  return new Parse.Query('Deal').include(['company', 'contact', 'assignedTo']).descending('updatedAt').limit(MAX_LIMIT);
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
    return this.saveOrRevert(object, Object.keys(input).map((key) => (key === 'owner' ? 'assignedTo' : key)));
  }

  /** Optimistic: the card moves at once and moves back if the server refuses. */
  moveStage(id: string, stage: Stage): Promise<SaveOutcome> {
    const object = this.require(id);
    object.set('stage', stage);
    this.put(object);
    return this.saveOrRevert(object, ['stage']);
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
      upsert: (object) => {
        this.put(object);
        void this.fillInNames(object);
      },
      remove: (object) => this.drop(object.id),
    });
    this.stopLive.catch(() => (this.stopLive = null));
  }

  /** LiveQuery sends bare pointers; fetch the few records whose names this device has not seen yet. */
  private async fillInNames(object: Parse.Object): Promise<void> {
    const deal = this.byId().get(idOf(object));
    if (!deal) return;
    const missing = [
      deal.company && !deal.company.name ? object.get('company') : null,
      deal.contact && !deal.contact.name ? object.get('contact') : null,
      deal.owner && !deal.owner.name ? object.get('assignedTo') : null,
    ].filter((pointer): pointer is Parse.Object => pointer instanceof Parse.Object);
    if (missing.length === 0) return;
    await Promise.allSettled(missing.map((pointer) => pointer.fetch()));
    if (this.objects.get(idOf(object)) === object) this.put(object);
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
    this.objects.clear();
    this.list.set([]);
    this.status.set('idle');
    this.error.set(null);
    (await stop?.catch(() => null))?.();
  }
}
