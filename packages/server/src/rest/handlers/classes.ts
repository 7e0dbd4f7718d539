/** `/classes/:className[/:objectId]`: thin adapters from HTTP to the object service. */
import type { ApiRequest, ApiResult, Route } from '../api-types.js';

const find = async (req: ApiRequest): Promise<ApiResult> => ({
  body: await req.services.objects.find(req.auth, req.params.className, req.input),
});

const get = async (req: ApiRequest): Promise<ApiResult> => ({
  body: await req.services.objects.get(req.auth, req.params.className, req.params.objectId, req.input),
});

const create = async (req: ApiRequest): Promise<ApiResult> => {
  const result = await req.services.objects.create(req.auth, req.params.className, req.input, { requestId: req.requestId });
  return { status: 201, body: result, location: `/classes/${req.params.className}/${result.objectId}` };
};

const update = async (req: ApiRequest): Promise<ApiResult> => ({
  body: await req.services.objects.update(req.auth, req.params.className, req.params.objectId, req.input, { requestId: req.requestId }),
});

const remove = async (req: ApiRequest): Promise<ApiResult> => {
  await req.services.objects.delete(req.auth, req.params.className, req.params.objectId, { requestId: req.requestId });
  return { body: {} };
};

export const classRoutes: Route[] = [
  { method: 'GET', path: '/classes/:className', handler: find },
  { method: 'POST', path: '/classes/:className', handler: create },
  { method: 'GET', path: '/classes/:className/:objectId', handler: get },
  { method: 'PUT', path: '/classes/:className/:objectId', handler: update },
  { method: 'DELETE', path: '/classes/:className/:objectId', handler: remove },
];
