/**
 * The HTTP adapter. Request lifecycle (see docs/ARCHITECTURE.md):
 *   onRequest: CORS headers → body parser (any content type as JSON, Parse-style errors) →
 *   handler: readRequestMeta (SDK `_method`, `_ApplicationId`… unwrapped) → AuthGate.authenticate →
 *   router match → runRoute (master-only check) → handler → reply; errors → toErrorReply.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Services } from '../service/services.js';
import { ErrorCode, HttpError, ParseError } from '../errors/parse-error.js';
import type { ApiRequest, HttpMethod } from './api-types.js';
import { ApiRouter } from './router.js';
import { readRequestMeta } from './request-meta.js';
import { runRoute } from './run-route.js';
import { apiRoutes } from './routes.js';
import { batchRoutes } from './handlers/batch.js';
import { applyCors } from './cors.js';
import { toErrorReply } from './error-reply.js';
import { registerAccountPages } from './account-pages.js';
import { registerDocs } from '../docs/index.js';
import { registerStaticApp } from './static-app.js';
import { registerHealth, type Lifecycle } from '../ops/health.js';
import { registerMetrics, type Metrics } from '../ops/metrics.js';
import { trackInFlight, type Drain } from '../ops/drain.js';
import { authRateLimiter } from './rate-limit.js';
import { registerGraphQL } from '../graphql/register.js';

export interface AppOptions {
  services: Services;
  lifecycle: Lifecycle & { drain?: Drain };
  metrics: Metrics;
  /** Public URL of the API root, for Location headers; resolved after listen when the port is dynamic. */
  serverUrl: () => string;
  logger?: boolean | { level: string };
  /** The route table (cloud code dispatches into the same one); built here when absent. */
  router?: ApiRouter;
}

/** Every API route, batch included; shared by HTTP, batch sub-requests and cloud code's in-process SDK. */
export function buildRouter(mountPath: string): ApiRouter {
  const router = new ApiRouter().add(apiRoutes);
  return router.add(batchRoutes(router, mountPath));
}

export async function buildApp({
  services,
  lifecycle,
  metrics,
  serverUrl,
  logger = false,
  router = buildRouter(services.config.mountPath),
}: AppOptions): Promise<FastifyInstance> {
  const { config } = services;
  // maxParamLength: long ids must reach the handler and get Parse's 101, not a framework 414.
  const app = Fastify({
    logger,
    bodyLimit: config.bodyLimitBytes,
    // The type is Fastify's own union (boolean, hop count or addresses); the cast only picks an overload.
    trustProxy: (config.trustProxy ?? false) as boolean,
    routerOptions: { maxParamLength: 100_000 },
    // A caller's X-Request-Id (or one we make) follows the request through every log line as reqId.
    requestIdHeader: 'x-request-id',
  });
  const mount = config.mountPath;

  app.addHook('onRequest', (_request, reply, done) => {
    applyCors(reply);
    done();
  });
  lifecycle.drain = trackInFlight(app);

  // Every body is JSON whatever its declared type: the SDK sends text/plain, curl users send nothing.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body as string);
    } catch {
      // JSON.parse refuses an empty or blank body, which means {} here; checked only then (trim copies).
      if ((body as string).trim() === '') return done(null, {});
      return done(new ParseError(ErrorCode.INVALID_JSON, 'Invalid JSON body'), undefined);
    }
    done(null, parsed);
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorReply(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ code: ErrorCode.INVALID_JSON, error: `Cannot ${request.method} ${request.url.split('?')[0]}` });
  });

  app.options('*', async (_request, reply) => reply.code(200).send());
  registerHealth(app, mount, services.storage, services.schema, lifecycle);
  registerMetrics(
    app,
    metrics,
    (request) => services.gate.masterAllowedFrom(request.ip) || request.headers['x-parse-master-key'] === config.masterKey,
  );
  registerAccountPages(app, services);
  await registerDocs(app, services);
  await registerStaticApp(app, config);
  const limitAuth = await authRateLimiter(app, config.authRateLimitPerMinute);
  await registerGraphQL(app, services);

  const dispatch = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const meta = readRequestMeta(request.method, request.headers, request.body);
    await limitAuth(request, reply, meta.method);
    const auth = await services.gate.authenticate(meta, request.ip);
    const path = request.url.slice(mount.length).split('?')[0];
    const match = router.match(meta.method, path);
    if (!match) throw new HttpError(404, `Cannot ${meta.method} ${mount}${path}`);
    const input =
      meta.method === 'GET' || meta.method === 'DELETE' ? { ...(request.query as object), ...meta.payload } : meta.payload;
    const apiRequest: ApiRequest = {
      method: meta.method,
      auth,
      params: match.params,
      input,
      installationId: meta.installationId,
      requestId: meta.requestId,
      clientVersion: meta.clientVersion,
      context: meta.context,
      ip: request.ip,
      services,
    };
    const result = await runRoute(match, apiRequest);
    if (result.location) reply.header('Location', `${serverUrl()}${result.location}`);
    reply.code(result.status ?? 200);
    return result.body;
  };

  for (const [path, methods] of router.paths()) {
    const httpMethods = [...new Set<HttpMethod>([...methods, 'POST'])];
    app.route({ method: httpMethods, url: `${mount}${path}`, handler: dispatch });
  }
  return app;
}
