/** `/classes/:className[/:objectId]`: thin adapters from HTTP to the object service. */
import type { ApiRequest, ApiResult, Route } from '../api-types.js';

const call = (req: ApiRequest) => ({ tx: req.tx, afterCommit: req.afterCommit });
const write = (req: ApiRequest) => ({ ...call(req), requestId: req.requestId, context: req.context });

const find = async (req: ApiRequest): Promise<ApiResult> => ({
  body: await req.services.objects.find(req.auth, req.params.className, req.input, call(req)),
});

const get = async (req: ApiRequest): Promise<ApiResult> => ({
  body: await req.services.objects.get(req.auth, req.params.className, req.params.objectId, req.input, call(req)),
});

const create = async (req: ApiRequest): Promise<ApiResult> => {
  const result = await req.services.objects.create(req.auth, req.params.className, req.input, write(req));
  return { status: 201, body: result, location: `/classes/${req.params.className}/${result.objectId}` };
};

const update = async (req: ApiRequest): Promise<ApiResult> => ({
  body: await req.services.objects.update(req.auth, req.params.className, req.params.objectId, req.input, write(req)),
});

const remove = async (req: ApiRequest): Promise<ApiResult> => {
  await req.services.objects.delete(req.auth, req.params.className, req.params.objectId, write(req));
  return { body: {} };
};

export const classRoutes: Route[] = [
  { method: 'GET', path: '/classes/:className', handler: find, joinsTransactions: true },
  { method: 'POST', path: '/classes/:className', handler: create, joinsTransactions: true },
  { method: 'GET', path: '/classes/:className/:objectId', handler: get, joinsTransactions: true },
  { method: 'PUT', path: '/classes/:className/:objectId', handler: update, joinsTransactions: true },
  { method: 'DELETE', path: '/classes/:className/:objectId', handler: remove, joinsTransactions: true },
];
