/**
 * The contract between the HTTP adapter and the route handlers. Handlers see a normalized request (the
 * SDK's POST-with-_method habit already unwrapped, auth already resolved) and return data, never touching
 * Fastify; batch sub-requests run through the very same handlers.
 */
import type { Auth } from '../security/auth.js';
import type { Services } from '../service/services.js';
import type { StorageTx } from '../storage/adapter.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  method: HttpMethod;
  auth: Auth;
  params: Record<string, string>;
  /** Query parameters for reads (query string merged with the SDK's JSON body), payload for writes. */
  input: Record<string, unknown>;
  installationId?: string;
  requestId?: string;
  clientVersion?: string;
  ip: string;
  services: Services;
  /** Set inside a transactional batch: the handlers' service calls join this transaction. */
  tx?: StorageTx;
  afterCommit?: Array<() => void>;
  /** Parse's cloud code context (`_context` / X-Parse-Cloud-Context), handed to the write's triggers. */
  context?: Record<string, unknown>;
}

export interface ApiResult {
  status?: number;
  body: unknown;
  /** Path below the server URL for a Location header (`/classes/Deal/abc`). */
  location?: string;
}

export type Handler = (request: ApiRequest) => Promise<ApiResult>;

export interface Route {
  method: HttpMethod;
  /** find-my-way path below the mount path, e.g. `/classes/:className/:objectId`. */
  path: string;
  handler: Handler;
  /** Master key required (Parse answers 403 `Permission denied` otherwise). */
  masterOnly?: boolean;
  /** The handler passes `tx` to its service calls, so it may run inside a transactional batch. */
  joinsTransactions?: boolean;
}
