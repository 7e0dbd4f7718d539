import { Injectable, computed, inject, signal } from '@angular/core';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';
import { describeError } from '../core/errors';
import { idOf, toActivity } from '../core/mappers';
import { Activity, LoadState, RelatedClass } from '../core/models';
import { pointer } from '../core/query-utils';
import { LiveBatch } from '../live/live-batch';
import { LiveService } from '../live/live.service';
import { SaveOutcome } from '../sync/sync-state';
import { SyncService } from '../sync/sync.service';
import { ActivityInput, applyActivityInput } from './activity-input';

export interface RelatedKey {
  className: RelatedClass;
  id: string;
}

const TIMELINE_LIMIT = 500;
const MINE_LIMIT = 1000;

/**
 * One store for every activity loaded on this device: the user's open work and the timelines of the records
 * they opened. Screens filter it, so completing a task on a deal also updates the Activities list and the
 * dashboard without another request.
 */
@Injectable({ providedIn: 'root' })
export class ActivityService {
  private readonly sync = inject(SyncService);
  private readonly live = inject(LiveService);
  private readonly auth = inject(AuthService);

  private readonly objects = new Map<string, Parse.Object>();
  private readonly store = signal<ReadonlyMap<string, Activity>>(new Map());
  private readonly timelines = new Map<string, RelatedKey[]>();
  private queueMerged = false;
  private stopLive: Promise<() => void> | null = null;
  private readonly liveEvents = new LiveBatch((upserts, removals) => {
    for (const id of removals) this.drop(id);
    this.merge(upserts);
  });

  readonly all = computed(() => [...this.store().values()]);
  readonly mineStatus = signal<LoadState>('idle');
  readonly mineError = signal<string | null>(null);
  readonly myOpen = computed(() => {
    const me = this.auth.user()?.id;
    return this.all().filter(
      (activity) => !activity.completedAt && (activity.createdBy?.id === me || (activity.pending && !activity.createdBy)),
    );
  });

  constructor() {
    this.sync.onReconnect(() => void this.reloadAfterReconnect());
    this.auth.onSignOut(() => this.reset());
  }

  async loadMine(): Promise<void> {
    const me = this.auth.userPointer();
    if (!me) return;
    if (this.mineStatus() === 'idle' || this.mineStatus() === 'error') this.mineStatus.set('loading');
    this.mineError.set(null);
    try {
      const query = new Parse.Query('Activity')
        .equalTo('createdBy', me)
        .doesNotExist('completedAt')
        .include('relatedTo')
        .ascending('dueDate')
        .limit(MINE_LIMIT);
      const { objects, source } = await this.sync.find(query, 'activities');
      this.merge(objects);
      await this.mergeQueued();
      this.mineStatus.set('ready');
      if (source === 'server') this.startLive();
    } catch (error) {
      this.mineError.set(describeError(error));
      this.mineStatus.set('error');
    }
  }

  /** The activities of a deal, a contact, or all of a company's contacts and deals. */
  async loadFor(scope: string, related: RelatedKey[]): Promise<void> {
    this.timelines.set(scope, related);
    const byClass = new Map<RelatedClass, string[]>();
    for (const key of related) byClass.set(key.className, [...(byClass.get(key.className) ?? []), key.id]);
    // One query per class: a pointer column holding two classes is compared per class.
    const found = await Promise.all(
      [...byClass].map(([className, ids]) => {
        const query = new Parse.Query('Activity')
          .containedIn(
            'relatedTo',
            ids.map((id) => pointer(className, id)),
          )
          .include('relatedTo')
          .descending('createdAt')
          .limit(TIMELINE_LIMIT);
        return this.sync.find(query, 'activities');
      }),
    );
    this.merge(found.flatMap((result) => result.objects));
    await this.mergeQueued();
    if (found.some((result) => result.source === 'server')) this.startLive();
  }

  forgetTimeline(scope: string): void {
    this.timelines.delete(scope);
  }

  async log(input: ActivityInput): Promise<{ activity: Activity; outcome: SaveOutcome }> {
    const object = new Parse.Object('Activity');
    applyActivityInput(object, input);
    const me = this.auth.userPointer();
    if (me) object.set('createdBy', me);
    const outcome = await this.sync.save(object);
    const user = this.auth.user();
    // Names the new entry has no included pointers for yet.
    const known = { related: input.related, createdBy: user && { id: user.id, name: user.username } };
    return { activity: this.put(object, known), outcome };
  }

  /** Optimistic tick: the checkbox flips at once and flips back if the server refuses. */
  async setDone(id: string, done: boolean): Promise<SaveOutcome> {
    const object = this.objects.get(id);
    if (!object) throw new Error('This activity is not loaded any more.');
    if (done) object.set('completedAt', new Date());
    else object.unset('completedAt');
    this.put(object);
    try {
      const outcome = await this.sync.save(object);
      this.put(object);
      return outcome;
    } catch (error) {
      object.revert('completedAt');
      this.put(object);
      throw error;
    }
  }

  async remove(id: string): Promise<SaveOutcome> {
    const object = this.objects.get(id);
    if (!object) return 'saved';
    const outcome = await this.sync.destroy(object);
    this.drop(id);
    return outcome;
  }

  private async mergeQueued(): Promise<void> {
    if (this.queueMerged) return;
    this.queueMerged = true;
    this.merge(await this.sync.queuedCreates('Activity'));
  }

  private merge(objects: Parse.Object[]): void {
    if (objects.length === 0) return;
    const next = new Map(this.store());
    for (const object of objects) {
      const id = idOf(object);
      this.objects.set(id, object);
      next.set(id, toActivity(object, next.get(id)));
    }
    this.store.set(next);
  }

  private put(object: Parse.Object, fallback?: Partial<Activity>): Activity {
    const id = idOf(object);
    const previous = this.store().get(id) ?? (fallback as Activity | undefined);
    const activity = toActivity(object, previous);
    this.objects.set(id, object);
    const next = new Map(this.store());
    next.set(id, activity);
    this.store.set(next);
    return activity;
  }

  private drop(id: string | undefined): void {
    if (!id || !this.objects.delete(id)) return;
    const next = new Map(this.store());
    next.delete(id);
    this.store.set(next);
  }

  private startLive(): void {
    this.stopLive ??= this.live.watch(new Parse.Query('Activity'), {
      upsert: (object) => this.liveEvents.upsert(object),
      remove: (object) => this.liveEvents.remove(object),
    });
    this.stopLive.catch(() => (this.stopLive = null));
  }

  /** The queue has created the offline entries on the server under new ids: drop the local copies, reload. */
  private async reloadAfterReconnect(): Promise<void> {
    for (const [id, object] of this.objects) if (!object.id) this.drop(id);
    this.queueMerged = true;
    const reloads: Promise<void>[] = [...this.timelines].map(([scope, related]) => this.loadFor(scope, related));
    if (this.mineStatus() !== 'idle') reloads.push(this.loadMine());
    await Promise.allSettled(reloads);
  }

  private async reset(): Promise<void> {
    const stop = this.stopLive;
    this.stopLive = null;
    this.liveEvents.cancel();
    this.objects.clear();
    this.store.set(new Map());
    this.timelines.clear();
    this.queueMerged = false;
    this.mineStatus.set('idle');
    (await stop?.catch(() => null))?.();
  }
}
