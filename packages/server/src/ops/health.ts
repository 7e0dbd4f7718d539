/**
 * Liveness and readiness for load balancers and orchestrators: `/health` (and Parse's `/parse/health`) answer
 * while the process runs; `/ready` answers 200 only while the storage responds and the server is not shutting
 * down, so a draining instance leaves the rotation before it stops accepting connections.
 */
import type { FastifyInstance } from 'fastify';
import type { StorageAdapter } from '../storage/adapter.js';
import { TRUE } from '../query/ast.js';
import type { SchemaLookup } from '../schema/compiled.js';

export interface Lifecycle {
  shuttingDown: boolean;
}

export function registerHealth(
  app: FastifyInstance,
  mountPath: string,
  storage: StorageAdapter,
  schema: SchemaLookup,
  lifecycle: Lifecycle,
): void {
  const health = async () => ({ status: 'ok' });
  app.get('/health', health);
  app.get(`${mountPath}/health`, health);
  app.get('/ready', async (_request, reply) => {
    if (lifecycle.shuttingDown) return reply.code(503).send({ status: 'shutting down' });
    try {
      await storage.count(schema.get('_Role')!, TRUE);
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'storage unavailable' });
    }
  });
}
