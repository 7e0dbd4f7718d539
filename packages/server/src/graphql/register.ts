/**
 * Mounts GraphQL on the REST app: `/graphql` over HTTP (and GraphiQL for browsers), its assets, and
 * graphql-ws subscriptions on the same port. CORS comes from the app's onRequest hook like every route.
 * Register after the REST rate limiter so log-in and sign-up mutations are limited with the same settings.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Services } from '../service/services.js';
import { registerGraphQLHttp, type AccountLimiter } from './http.js';
import { graphqlOptionsFrom, type GraphQLOptions } from './options.js';
import { registerPlaygroundAssets } from './playground.js';
import { SchemaCache } from './schema-cache.js';
import { GraphQLSocketServer } from './ws.js';

function accountLimiter(app: FastifyInstance, perMinute: number): AccountLimiter | undefined {
  if (perMinute <= 0 || !app.hasDecorator('rateLimit')) return undefined;
  const hook = app.rateLimit({
    max: perMinute,
    timeWindow: 60_000,
    errorResponseBuilder: () => new ParseError(ErrorCode.REQUEST_LIMIT_EXCEEDED, 'Too many requests, try again later.', 429),
  });
  return async (request, reply) => {
    await hook.call(app, request, reply);
  };
}

export async function registerGraphQL(
  app: FastifyInstance,
  services: Services,
  options: Partial<GraphQLOptions> = {},
): Promise<void> {
  const { config } = services;
  const limits = { ...graphqlOptionsFrom(), ...options, defaultLimit: config.defaultLimit, maxLimit: config.maxLimit };
  const schemas = new SchemaCache(services);
  registerGraphQLHttp(app, { services, schemas, limits, limitAccounts: accountLimiter(app, config.authRateLimitPerMinute) });
  if (limits.playground) registerPlaygroundAssets(app);
  const log = (error: unknown) => app.log.error({ err: error }, 'graphql operation failed');
  const sockets = new GraphQLSocketServer({ services, schemas, limits, log });
  sockets.attachTo(app.server);
  // Before Fastify waits for connections to drain: open WebSockets would hold it forever.
  app.addHook('preClose', async () => {
    await sockets.close();
  });
}
