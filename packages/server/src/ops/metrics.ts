/**
 * Prometheus metrics at GET /metrics (prom-client): process defaults, HTTP requests by route and status, and
 * LiveQuery connections and events. Readable from the master-key addresses or with the master key, since route
 * names and volumes are operational detail, not public.
 */
import client from 'prom-client';
import type { FastifyInstance } from 'fastify';

export interface Metrics {
  registry: client.Registry;
  liveConnections: client.Gauge;
  liveEvents: client.Counter;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    liveConnections: new client.Gauge({
      name: 'crm_livequery_connections',
      help: 'Open LiveQuery WebSocket connections',
      registers: [registry],
    }),
    liveEvents: new client.Counter({
      name: 'crm_livequery_events_total',
      help: 'LiveQuery events sent to subscribers',
      labelNames: ['op'],
      registers: [registry],
    }),
  };
}

export function registerMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  allowed: (request: { ip: string; headers: Record<string, unknown> }) => boolean,
): void {
  const duration = new client.Histogram({
    name: 'crm_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics.registry],
  });
  // One child per (method, route, status), looked up by a plain string: prom-client hashes a labels object on
  // every observe, which cost more than the rest of this hook.
  const children = new Map<string, client.Histogram.Internal<'method' | 'route' | 'status'>>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = duration.labels({ method: request.method, route, status: String(reply.statusCode) });
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', async (request, reply) => {
    if (!allowed(request)) return reply.code(403).send({ error: 'unauthorized' });
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
