import { permissionDenied } from '../errors/parse-error.js';
import type { ApiRequest, ApiResult } from './api-types.js';
import type { Match } from './router.js';

/** Runs a matched route: the master-only check, then the handler. */
export async function runRoute(match: Match, request: ApiRequest): Promise<ApiResult> {
  if (match.route.masterOnly && !request.auth.isMaster) throw permissionDenied();
  return match.route.handler(request);
}
