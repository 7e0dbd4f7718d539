/**
 * Mounts the API documentation: the OpenAPI document under the API's mount path, the REST playground and
 * the schema pages beside the app. Read-only and open to anyone who can reach the server: they show class
 * and field names, never data, permissions or keys.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/services.js';
import type { NavTarget } from './html.js';
import { registerOpenApi } from './openapi-route.js';
import { PLAYGROUND_PATH, registerPlayground } from './playground-page.js';
import { SCHEMA_PATH, registerSchemaDocs } from './schema-page.js';

/** GraphiQL lives at /graphql (its own module); linking to it here is all the two need to know of each other. */
const GRAPHQL_PLAYGROUND = '/graphql';

export async function registerDocs(app: FastifyInstance, services: Services): Promise<void> {
  const nav: NavTarget[] = [
    { href: PLAYGROUND_PATH, label: 'REST playground' },
    { href: GRAPHQL_PLAYGROUND, label: 'GraphQL playground' },
    { href: SCHEMA_PATH, label: 'ER diagram & data dictionary' },
    { href: `${services.config.mountPath}/openapi.json`, label: 'openapi.json' },
  ];
  registerOpenApi(app, services);
  registerPlayground(app, services.config, nav);
  registerSchemaDocs(app, services, nav);
}
