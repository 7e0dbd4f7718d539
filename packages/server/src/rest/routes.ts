/** Every API route, in one list (batch adds itself, since it dispatches into this list). */
import type { Route } from './api-types.js';
import { classRoutes } from './handlers/classes.js';
import { schemaRoutes } from './handlers/schemas.js';
import { aggregateRoutes } from './handlers/aggregate.js';
import { functionRoutes } from './handlers/functions.js';
import { configRoutes } from './handlers/config.js';
import { accountRoutes, sessionRoutes, userRoutes } from './handlers/users.js';

export const apiRoutes: Route[] = [
  ...userRoutes,
  ...sessionRoutes,
  ...accountRoutes,
  ...classRoutes,
  ...schemaRoutes,
  ...aggregateRoutes,
  ...functionRoutes,
  ...configRoutes,
];
