/**
 * Graceful shutdown's first half: before the HTTP server closes (which drops idle keep-alive connections —
 * including ones whose next request is still unread in the socket), let the requests already sent finish.
 * Waits until nothing has been in flight for a short quiet window, or the grace period ends.
 */
import type { FastifyInstance } from 'fastify';

const QUIET_MS = 150;

export interface Drain {
  drain(graceMs: number): Promise<void>;
}

export function trackInFlight(app: FastifyInstance): Drain {
  let inFlight = 0;
  let lastActivity = Date.now();
  app.addHook('onRequest', (_request, _reply, next) => {
    inFlight += 1;
    lastActivity = Date.now();
    next();
  });
  const finished = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastActivity = Date.now();
  };
  app.addHook('onResponse', (_request, _reply, next) => {
    finished();
    next();
  });
  app.addHook('onRequestAbort', (_request, next) => {
    finished();
    next();
  });
  return {
    async drain(graceMs: number) {
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastActivity < QUIET_MS)) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}
