/**
 * The private SDK's REST controller: instead of HTTP to its own URL, every SDK request is routed straight
 * into the server's route table — the same handlers, services and permission checks as a client request,
 * with no network hop, no master-key IP check and no dependence on SERVER_URL being reachable.
 *
 * Auth: `useMasterKey` → master; `sessionToken` → that session; neither → the auth of the request the
 * trigger or function is running for (Parse Server would use no auth at all; see docs/CLOUD-CODE.md).
 */
import { ErrorCode, HttpError, ParseError } from '../errors/parse-error.js';
import { ANONYMOUS, MASTER, type Auth } from '../security/auth.js';
import type { Services } from '../service/services.js';
import type { ApiRequest, HttpMethod } from '../rest/api-types.js';
import type { ApiRouter } from '../rest/router.js';
import { runRoute } from '../rest/run-route.js';
import { cloudScope, type CloudScope } from './cloud-scope.js';
import type { Parse } from './private-sdk.js';

interface SdkRequestOptions {
  useMasterKey?: boolean;
  sessionToken?: string;
  installationId?: string;
  context?: Record<string, unknown>;
  returnStatus?: boolean;
}

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'DELETE']);

export function inProcessController(sdk: Parse, router: ApiRouter, services: Services, log: (error: unknown) => void) {
  const toSdkError = (error: unknown): Error => {
    if (error instanceof ParseError) return new sdk.Error(error.code, error.message);
    if (error instanceof HttpError) return new sdk.Error(ErrorCode.OPERATION_FORBIDDEN, error.message);
    log(error);
    return new sdk.Error(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.');
  };

  async function authFor(options: SdkRequestOptions, scope: CloudScope | undefined): Promise<Auth> {
    const useMasterKey = options.useMasterKey ?? (sdk.CoreManager.get('USE_MASTER_KEY') as boolean | undefined);
    if (useMasterKey) return MASTER;
    const token = options.sessionToken;
    if (typeof token === 'string' && token !== '') {
      if (scope?.auth.sessionToken === token) return scope.auth;
      // Resolving another session reads storage, which a write's open SQLite transaction would block.
      if (scope?.tx)
        throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, "Inside a before trigger, use the caller's session or useMasterKey.");
      return services.sessions.resolve(token);
    }
    return scope?.auth ?? ANONYMOUS;
  }

  async function request(method: string, path: string, data: unknown, options: SdkRequestOptions = {}): Promise<unknown> {
    try {
      const scope = cloudScope.getStore();
      const verb = method.toUpperCase() as HttpMethod;
      const routePath = `/${path.replace(/^\/+/, '')}`.split('?')[0];
      const match = METHODS.has(verb) ? router.match(verb, routePath) : null;
      if (!match) throw new HttpError(404, `Cannot ${verb} ${routePath}`);
      const input = data && typeof data === 'object' && !Array.isArray(data) ? { ...(data as Record<string, unknown>) } : {};
      if (scope?.tx && !joinsTransaction(match.route, input)) {
        throw new ParseError(ErrorCode.INVALID_JSON, `${routePath} cannot run inside a write's transaction (a before trigger)`);
      }
      const apiRequest: ApiRequest = {
        method: verb,
        auth: await authFor(options, scope),
        params: match.params,
        input,
        installationId: options.installationId,
        ip: scope?.ip ?? '127.0.0.1',
        services,
        tx: scope?.tx,
        afterCommit: scope?.afterCommit,
        context: options.context,
      };
      const result = await runRoute(match, apiRequest);
      if (options.returnStatus) return { ...(result.body as object), _status: result.status ?? 200, _headers: {} };
      return result.body;
    } catch (error) {
      throw toSdkError(error);
    }
  }

  return {
    request,
    ajax(): Promise<never> {
      return Promise.reject(new sdk.Error(ErrorCode.COMMAND_UNAVAILABLE, 'Raw HTTP requests are not available to cloud code.'));
    },
    handleError(error: unknown): Promise<never> {
      return Promise.reject(toSdkError(error));
    },
  };
}

/** Object routes join a transaction; a batch does too (its sub-requests inherit it) unless it opens its own. */
function joinsTransaction(route: { path: string; joinsTransactions?: boolean }, input: Record<string, unknown>): boolean {
  return route.joinsTransactions === true || (route.path === '/batch' && input.transaction !== true);
}
