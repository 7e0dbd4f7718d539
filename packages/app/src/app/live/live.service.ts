import { Injectable, signal } from '@angular/core';
import Parse from 'parse';

export interface LiveHandlers {
  /** create, enter and update: the object is (now) visible with these values. */
  upsert(object: Parse.Object): void;
  /** delete and leave: the object is gone for this user. */
  remove(object: Parse.Object): void;
}

type LiveController = { _clearCachedDefaultClient?: () => void };

/** LiveQuery subscriptions over the API's WebSocket; events are handed to the owning store's signals. */
@Injectable({ providedIn: 'root' })
export class LiveService {
  readonly connected = signal(false);
  private listening = false;
  private readonly subscriptions = new Set<{ unsubscribe(): Promise<void> }>();

  async watch(query: Parse.Query, handlers: LiveHandlers): Promise<() => void> {
    this.listenToClient();
    const subscription = await query.subscribe(Parse.User.current()?.getSessionToken());
    this.subscriptions.add(subscription);
    for (const event of ['create', 'enter', 'update'] as const)
      subscription.on(event, (object: Parse.Object) => handlers.upsert(object));
    for (const event of ['delete', 'leave'] as const) subscription.on(event, (object: Parse.Object) => handlers.remove(object));
    return () => {
      this.subscriptions.delete(subscription);
      void subscription.unsubscribe().catch(() => undefined);
    };
  }

  /** On sign-out: the socket was opened with that user's session and must not be reused by the next one. */
  async closeAll(): Promise<void> {
    this.subscriptions.clear();
    if (!this.listening) return;
    try {
      await Parse.LiveQuery.close();
    } catch {
      // already closed
    }
    (Parse.CoreManager.getLiveQueryController() as LiveController)._clearCachedDefaultClient?.();
    this.connected.set(false);
  }

  private listenToClient(): void {
    if (this.listening) return;
    this.listening = true;
    Parse.LiveQuery.on('open', () => this.connected.set(true));
    Parse.LiveQuery.on('close', () => this.connected.set(false));
    Parse.LiveQuery.on('error', () => this.connected.set(false));
  }
}
