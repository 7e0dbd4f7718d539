import { Injectable, inject } from '@angular/core';
import { APP_CONFIG } from './app-config';
import { NetworkStatus } from './network-status';
import { setupParse } from './parse-setup';
import { SessionEvents } from './session-events';

/** Runs once before the first route resolves, so guards can already ask the SDK for the current user. */
@Injectable({ providedIn: 'root' })
export class ParseBootstrap {
  private readonly config = inject(APP_CONFIG);
  private readonly network = inject(NetworkStatus);
  private readonly session = inject(SessionEvents);

  start(): void {
    setupParse(this.config, {
      reachable: (reachable) => this.network.reportReachable(reachable),
      sessionExpired: () => this.session.expired.next(),
    });
  }
}
