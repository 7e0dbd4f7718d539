/** What every resolver receives: who is asking, the services REST uses, and this request's pointer loaders. */
import type { Auth } from '../security/auth.js';
import type { Services } from '../service/services.js';
import { PointerLoaders } from './loaders.js';
import type { LiveRegistry } from './live-events.js';

export interface GraphQLContext {
  auth: Auth;
  services: Services;
  loaders: PointerLoaders;
  installationId?: string;
  /** WebSocket operations only: where live subscriptions register for session and role re-checks. */
  live?: LiveRegistry;
}

export interface ContextInput {
  auth: Auth;
  services: Services;
  installationId?: string;
  live?: LiveRegistry;
}

/** A WebSocket operation lives on; its loaders batch but never cache (see LoaderOptions.cache). */
export const loadersFor = (auth: Auth, services: Services, live: boolean): PointerLoaders =>
  new PointerLoaders(auth, services.objects, {
    cache: !live,
    maxBatchSize: Math.max(1, Math.min(1000, services.config.maxLimit)),
  });

export function createContext(input: ContextInput): GraphQLContext {
  return { ...input, loaders: loadersFor(input.auth, input.services, !!input.live) };
}
