/**
 * Starts the whole product on one port: the Parse REST API under the mount path (later GraphQL, LiveQuery
 * and the Angular app beside it). Used by main.ts, the CLI and the integration tests.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type ServerConfig } from './config/config.js';
import { ensureMasterKey } from './config/master-key.js';
import { openStorage } from './storage/open-storage.js';
import { createServices, type Services } from './service/services.js';
import { buildApp, buildRouter } from './rest/app.js';
import { loadCloudCode } from './cloud/load-cloud-code.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { WEBHOOK_CLASS } from './webhooks/schema.js';
import { LiveQueryServer } from './livequery/live-query-server.js';
import type { Lifecycle } from './ops/health.js';
import type { Drain } from './ops/drain.js';
import { createMetrics } from './ops/metrics.js';

export interface RunningServer {
  /** `http://host:port/parse` */
  serverURL: string;
  config: ServerConfig;
  services: Services;
  app: FastifyInstance;
  liveQuery: LiveQueryServer;
  close(): Promise<void>;
}

export async function startServer(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const config = loadConfig(overrides);
  ensureMasterKey(config);
  const storage = await openStorage(config);
  let serverURL = config.serverUrl ?? '';
  const services = await createServices(config, storage, () => serverURL);
  const lifecycle: Lifecycle & { drain?: Drain } = { shuttingDown: false };
  const metrics = createMetrics();
  const logger = config.logLevel === 'silent' ? false : { level: config.logLevel };
  const router = buildRouter(config.mountPath);
  const app = await buildApp({ services, lifecycle, metrics, serverUrl: () => serverURL, logger, router });
  try {
    if (config.cloudCode) await loadCloudCode(config.cloudCode, services, router, app.log);
  } catch (error) {
    await app.close();
    await services.feed.close();
    await services.bus.close();
    await storage.close();
    throw error;
  }
  const webhooks = config.webhooks ? new WebhookDispatcher(services, app.log) : null;
  if (webhooks) {
    webhooks.start();
    services.hooks.register(WEBHOOK_CLASS, { afterWrite: () => webhooks.invalidate() });
  }
  services.rollupFolder.start(app.log);
  const liveQuery = new LiveQueryServer(services, (ip) => services.gate.masterAllowedFrom(ip), metrics);
  liveQuery.attachTo(app.server);
  await app.listen({ port: config.port, host: config.host });
  if (!config.serverUrl) {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    serverURL = `http://${host}:${port}${config.mountPath}`;
  }
  return {
    serverURL,
    config,
    services,
    app,
    liveQuery,
    /**
     * Graceful: leave the load balancer's rotation (/ready → 503), end WebSockets with a reason, stop
     * accepting connections and let in-flight requests finish (Fastify's close), then close the database.
     */
    async close() {
      lifecycle.shuttingDown = true;
      await liveQuery.close();
      await lifecycle.drain?.drain(10_000);
      await app.close();
      await webhooks?.close();
      await services.rollupFolder.close();
      await services.feed.close();
      await services.bus.close();
      await storage.close();
    },
  };
}
