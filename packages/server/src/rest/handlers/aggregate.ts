/** `/aggregate/:className` — distinct and pipelines, master key only. */
import type { Route } from '../api-types.js';

export const aggregateRoutes: Route[] = [
  {
    method: 'GET',
    path: '/aggregate/:className',
    masterOnly: true,
    handler: async (req) => ({ body: await req.services.aggregate.run(req.params.className, req.input) }),
  },
];
