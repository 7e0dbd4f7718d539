/**
 * `POST /batch`: each sub-request runs through the same route table with the caller's auth, and reports
 * its own success or error (Parse's partial-success semantics).
 */
import { ErrorCode, HttpError, ParseError } from '../../errors/parse-error.js';
import type { ApiRequest, HttpMethod, Route } from '../api-types.js';
import type { ApiRouter, Match } from '../router.js';
import { runRoute } from '../run-route.js';

const MAX_BATCH = 1000;
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

interface SubRequest {
  method: HttpMethod;
  path: string;
  body: Record<string, unknown>;
}

function parseRequests(input: Record<string, unknown>): SubRequest[] {
  const requests = input.requests;
  if (!Array.isArray(requests)) throw new ParseError(ErrorCode.INVALID_JSON, 'requests must be an array');
  if (requests.length > MAX_BATCH) throw new ParseError(ErrorCode.INVALID_QUERY, `a batch holds at most ${MAX_BATCH} requests`);
  return requests.map((r: unknown) => {
    const item = r as Record<string, unknown> | null;
    if (!item || typeof item !== 'object' || typeof item.path !== 'string' || typeof item.method !== 'string') {
      throw new ParseError(ErrorCode.INVALID_JSON, 'each batch request needs method and path');
    }
    const method = item.method.toUpperCase();
    if (!METHODS.has(method)) throw new ParseError(ErrorCode.INVALID_JSON, `unsupported batch method ${item.method}`);
    const body = item.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body))
      throw new ParseError(ErrorCode.INVALID_JSON, 'batch body must be an object');
    return { method: method as HttpMethod, path: item.path, body: body as Record<string, unknown> };
  });
}

function errorBody(error: unknown): { code: number; error: string } {
  if (error instanceof ParseError) return error.toJSON();
  if (error instanceof HttpError) return { code: ErrorCode.OPERATION_FORBIDDEN, error: error.message };
  return { code: ErrorCode.INTERNAL_SERVER_ERROR, error: 'Internal server error.' };
}

/**
 * `"transaction": true`: every sub-request in one database transaction — all succeed, or the first error is
 * the answer and nothing was written. After-commit work (LiveQuery events) runs only once it committed.
 */
async function runInTransaction(req: ApiRequest, routed: Array<{ sub: SubRequest; match: Match }>): Promise<unknown[]> {
  const afterCommit: Array<() => void> = [];
  const results = await req.services.storage.transaction(async (tx) => {
    if (req.requestId && !(await tx.claimRequestId(req.requestId, 300_000))) {
      throw new ParseError(ErrorCode.DUPLICATE_REQUEST, 'Duplicate request');
    }
    const out: unknown[] = [];
    for (const { sub, match } of routed) {
      const result = await runRoute(match, {
        ...req,
        method: sub.method,
        params: match.params,
        input: sub.body,
        requestId: undefined,
        tx,
        afterCommit,
      });
      out.push({ success: result.body });
    }
    return out;
  });
  for (const work of afterCommit) work();
  return results;
}

export function batchRoutes(router: ApiRouter, mountPath: string): Route[] {
  /** Sub-request paths carry the mount path, as the SDK sends them (`/parse/classes/Deal`). */
  const stripMount = (path: string): string | null => {
    const bare = path.split('?')[0];
    return bare.startsWith(`${mountPath}/`) ? bare.slice(mountPath.length) : null;
  };
  const handler = async (req: ApiRequest) => {
    // Every path is routed before anything runs: an unroutable one refuses the whole batch, as Parse does.
    const routed = parseRequests(req.input).map((sub) => {
      const routePath = stripMount(sub.path);
      const match = routePath === null ? null : router.match(sub.method, routePath);
      if (!match || match.route.path === '/batch')
        throw new ParseError(ErrorCode.INVALID_JSON, `cannot route batch path ${sub.path}`);
      return { sub, match };
    });
    if (req.input.transaction === true) {
      const outsider = routed.find(({ match }) => !match.route.joinsTransactions);
      if (outsider) throw new ParseError(ErrorCode.INVALID_JSON, `${outsider.sub.path} cannot run inside a transactional batch`);
      return { body: await runInTransaction(req, routed) };
    }
    if (req.requestId && !(await req.services.storage.transaction((tx) => tx.claimRequestId(req.requestId!, 300_000)))) {
      throw new ParseError(ErrorCode.DUPLICATE_REQUEST, 'Duplicate request');
    }
    const results: unknown[] = [];
    for (const { sub, match } of routed) {
      try {
        const result = await runRoute(match, {
          ...req,
          method: sub.method,
          params: match.params,
          input: sub.body,
          requestId: undefined,
        });
        results.push({ success: result.body });
      } catch (error) {
        results.push({ error: errorBody(error) });
      }
    }
    return { body: results };
  };
  return [{ method: 'POST', path: '/batch', handler }];
}
