import { Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';
import { isConnectionError } from '../core/errors';
import { DataSource } from '../core/models';
import { NetworkStatus } from '../core/network-status';
import { eventuallyQueue, queuedCreates, stampQueuedUpdates } from './eventually-queue';
import { SaveOutcome, SyncState } from './sync-state';
import { whenIdle } from '../core/idle';

export type PinName = 'deals' | 'contacts' | 'companies' | 'activities';
const PIN_NAMES: PinName[] = ['deals', 'contacts', 'companies', 'activities'];
const PIN_SLICE = 100;

export interface Found {
  objects: Parse.Object[];
  source: DataSource;
}

/**
 * Offline support in one place: reads fall back to the device copy (Parse local datastore), writes that cannot
 * reach the server go to the SDK's eventually-queue, and the queue is replayed when the connection returns.
 */
@Injectable({ providedIn: 'root' })
export class SyncService {
  private readonly network = inject(NetworkStatus);
  private readonly queue = eventuallyQueue();
  private readonly replaying = signal(false);
  private readonly reconnectHandlers = new Set<() => void>();
  private replay: Promise<void> | null = null;

  /** Changes made offline that the server has not received yet. */
  readonly pending = signal(0);
  readonly state = computed<SyncState>(() => (!this.network.online() ? 'offline' : this.replaying() ? 'syncing' : 'online'));
  readonly online = this.network.online;

  constructor() {
    // On an explicit sign-out the device keeps nothing; after an expired session the same user may sign in
    // again and still send what is queued.
    inject(AuthService).onSignOut((reason) => (reason === 'logout' ? this.forgetDevice() : undefined));
    let wasOnline: boolean | undefined;
    effect(() => {
      const online = this.network.online();
      const reconnected = online && wasOnline === false;
      wasOnline = online;
      if (online) untracked(() => void this.flush(reconnected));
    });
  }

  /** Runs after queued changes were replayed on reconnect, so that screens can reload what others changed meanwhile. */
  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  async find(query: Parse.Query, pin: PinName): Promise<Found> {
    if (this.network.online()) {
      try {
        const objects = await query.find();
        this.pinInBackground(pin, objects);
        return { objects, source: 'server' };
      } catch (error) {
        if (!isConnectionError(error)) throw error;
      }
    }
    return { objects: await query.fromLocalDatastore().find(), source: 'device' };
  }

  async get(query: Parse.Query, id: string): Promise<Parse.Object> {
    if (this.network.online()) {
      try {
        return await query.get(id);
      } catch (error) {
        if (!isConnectionError(error)) throw error;
      }
    }
    return query.fromLocalDatastore().get(id);
  }

  /** Saves now when possible; otherwise queues the change. Refusals by the server are thrown, never queued. */
  async save(object: Parse.Object): Promise<SaveOutcome> {
    if (this.network.online()) {
      try {
        await object.save();
        return 'saved';
      } catch (error) {
        if (!isConnectionError(error)) throw error;
      }
    }
    await object.saveEventually();
    return this.afterQueueing(object.id !== undefined && !object.dirty());
  }

  async destroy(object: Parse.Object): Promise<SaveOutcome> {
    if (this.network.online()) {
      try {
        await object.destroy();
        return 'saved';
      } catch (error) {
        if (!isConnectionError(error)) throw error;
      }
    }
    await object.destroyEventually();
    return this.afterQueueing(false);
  }

  queuedCreates(className: string): Promise<Parse.Object[]> {
    return queuedCreates(className, this.queue);
  }

  /** Replays the queue once at a time; a second caller waits for the running replay. */
  flush(reconnected = false): Promise<void> {
    this.replay ??= this.replayQueue(reconnected).finally(() => (this.replay = null));
    return this.replay;
  }

  /** A signed-out device keeps nothing of the previous user. */
  async forgetDevice(): Promise<void> {
    await this.queue.clear();
    this.pending.set(0);
    await Promise.all(PIN_NAMES.map((name) => Parse.Object.unPinAllObjectsWithName(name).catch(() => undefined)));
  }

  private async afterQueueing(savedAnyway: boolean): Promise<SaveOutcome> {
    // saveEventually starts the SDK's own poller; this service replays instead, so nothing is sent twice.
    this.queue.stopPoll();
    if (savedAnyway) return 'saved';
    await stampQueuedUpdates(this.queue);
    this.pending.set(await this.queue.length());
    return 'queued';
  }

  private async replayQueue(reconnected: boolean): Promise<void> {
    const waiting = await this.queue.length();
    this.pending.set(waiting);
    if (waiting > 0) {
      this.replaying.set(true);
      try {
        await stampQueuedUpdates(this.queue);
        await this.queue.sendQueue();
      } catch (error) {
        console.warn('Replaying offline changes failed; will retry on the next reconnect', error);
      } finally {
        this.pending.set(await this.queue.length());
        this.replaying.set(false);
      }
    }
    if (reconnected || waiting > 0) for (const handler of this.reconnectHandlers) handler();
  }

  /**
   * Keeps a copy for offline use once the screen has rendered and the browser is idle, a slice at a time:
   * pinning serializes every object on the main thread, and a thousand deals in one go would freeze the board.
   */
  private pinInBackground(pin: PinName, objects: Parse.Object[]): void {
    const slices: Parse.Object[][] = [];
    for (let i = 0; i < objects.length; i += PIN_SLICE) slices.push(objects.slice(i, i + PIN_SLICE));
    const next = () => {
      const slice = slices.shift();
      if (!slice) return;
      Parse.Object.pinAllWithName(pin, slice)
        .catch((error) => console.warn(`Could not keep ${pin} for offline use`, error))
        .finally(() => whenIdle(next, 3000));
    };
    whenIdle(next, 3000);
  }
}
