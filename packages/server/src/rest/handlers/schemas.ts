/** `/schemas[/:className]` — the Schema API, master key only. */
import type { Route } from '../api-types.js';

export const schemaRoutes: Route[] = [
  { method: 'GET', path: '/schemas', masterOnly: true, handler: async (req) => ({ body: req.services.schemas.list() }) },
  {
    method: 'GET',
    path: '/schemas/:className',
    masterOnly: true,
    handler: async (req) => ({ body: req.services.schemas.get(req.params.className) }),
  },
  {
    method: 'POST',
    path: '/schemas',
    masterOnly: true,
    handler: async (req) => ({ body: await req.services.schemas.create(String(req.input.className ?? ''), req.input) }),
  },
  {
    method: 'POST',
    path: '/schemas/:className',
    masterOnly: true,
    handler: async (req) => ({ body: await req.services.schemas.create(req.params.className, req.input) }),
  },
  {
    method: 'PUT',
    path: '/schemas/:className',
    masterOnly: true,
    handler: async (req) => ({ body: await req.services.schemas.update(req.params.className, req.input) }),
  },
  {
    method: 'DELETE',
    path: '/schemas/:className',
    masterOnly: true,
    handler: async (req) => ({ body: await req.services.schemas.delete(req.params.className) }),
  },
];
