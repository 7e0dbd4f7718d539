/** `/functions/:functionName` — cloud functions (`Parse.Cloud.run`), answered as `{"result": …}`. */
import type { ApiRequest, ApiResult, Route } from '../api-types.js';

const run = async (req: ApiRequest): Promise<ApiResult> => ({
  body: {
    result: await req.services.functions.run(req.params.functionName, {
      params: req.input,
      auth: req.auth,
      user: req.auth.user,
      master: req.auth.isMaster,
      ip: req.ip,
      installationId: req.installationId,
      services: req.services,
    }),
  },
});

export const functionRoutes: Route[] = [
  { method: 'POST', path: '/functions/:functionName', handler: run },
  { method: 'GET', path: '/functions/:functionName', handler: run },
];
