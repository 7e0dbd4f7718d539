import { DOCUMENT, DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import Parse from 'parse';

const HEALTH_PROBE_MS = 5000;

/**
 * Online means both that the browser has a network and that our server answers; either can fail alone (a
 * laptop on a dead Wi-Fi still says online, a restarting server answers nothing).
 */
@Injectable({ providedIn: 'root' })
export class NetworkStatus {
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly browserOnline = signal(this.window?.navigator.onLine ?? true);
  private readonly serverReachable = signal(true);
  private probe: ReturnType<typeof setInterval> | undefined;

  readonly online = computed(() => this.browserOnline() && this.serverReachable());

  constructor() {
    const onOnline = () => {
      this.browserOnline.set(true);
      void this.checkServer();
    };
    const onOffline = () => this.browserOnline.set(false);
    this.window?.addEventListener('online', onOnline);
    this.window?.addEventListener('offline', onOffline);
    inject(DestroyRef).onDestroy(() => {
      this.window?.removeEventListener('online', onOnline);
      this.window?.removeEventListener('offline', onOffline);
      this.stopProbe();
    });
  }

  /** Fed by the REST hooks with the outcome of every API call. */
  reportReachable(reachable: boolean): void {
    if (reachable === this.serverReachable()) return;
    this.serverReachable.set(reachable);
    if (reachable) this.stopProbe();
    else this.startProbe();
  }

  /** Asks the server directly; the answer flows back through `reportReachable`. */
  async checkServer(): Promise<boolean> {
    try {
      await Parse.CoreManager.getRESTController().request('GET', 'health', {}, {});
      return true;
    } catch {
      return false;
    }
  }

  private startProbe(): void {
    this.probe ??= setInterval(() => {
      if (this.browserOnline()) void this.checkServer();
    }, HEALTH_PROBE_MS);
  }

  private stopProbe(): void {
    clearInterval(this.probe);
    this.probe = undefined;
  }
}
