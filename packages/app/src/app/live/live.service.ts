import { Injectable, inject, signal } from '@angular/core';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';

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
  /** The socket is open. */
  readonly connected = signal(false);
  /** Classes whose subscription the server has confirmed: changes to them now arrive without reloading. */
  readonly watching = signal<ReadonlySet<string>>(new Set());
  private listening = false;
  private readonly subscriptions = new Set<{ unsubscribe(): Promise<void> }>();

  constructor() {
    inject(AuthService).onSignOut(() => this.closeAll());
  }

  async watch(query: Parse.Query, handlers: LiveHandlers): Promise<() => void> {
    this.listenToClient();
    const subscription = await query.subscribe(Parse.User.current()?.getSessionToken());
    this.subscriptions.add(subscription);
    const className = query.className;
    subscription.on('open', () => this.watching.update((classes) => new Set(classes).add(className)));
    subscription.on('close', () => this.watching.update((classes) => new Set([...classes].filter((name) => name !== className))));
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
    this.watching.set(new Set());
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
    const lost = () => {
      this.connected.set(false);
      this.watching.set(new Set());
    };
    Parse.LiveQuery.on('close', lost);
    Parse.LiveQuery.on('error', lost);
  }
}
