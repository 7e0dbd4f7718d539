import { signal } from '@angular/core';
import Parse from 'parse';
import { LiveHandlers, LiveService } from '../app/live/live.service';

/** Stands in for LiveQuery: tests push server events through `emit`. */
export class FakeLive implements Pick<LiveService, 'watch' | 'closeAll' | 'connected' | 'watching'> {
  readonly connected = signal(true);
  readonly watching = signal<ReadonlySet<string>>(new Set());
  readonly watched: { className: string; handlers: LiveHandlers }[] = [];

  async watch(query: Parse.Query, handlers: LiveHandlers): Promise<() => void> {
    this.watched.push({ className: query.className, handlers });
    return () => undefined;
  }

  async closeAll(): Promise<void> {}

  emit(className: string, event: 'upsert' | 'remove', object: Parse.Object): void {
    for (const watcher of this.watched) if (watcher.className === className) watcher.handlers[event](object);
  }
}

export const provideFakeLive = () => {
  const live = new FakeLive();
  return { live, provider: { provide: LiveService, useValue: live } };
};
