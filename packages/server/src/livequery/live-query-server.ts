/**
 * The LiveQuery endpoint: WebSocket upgrades on the API's own port (at the mount path, as the SDK derives it
 * from the server URL, and at `/`), every committed change routed to the connections subscribed to its class,
 * protocol-level pings every 10 s (a client that misses one is dropped), and re-authentication whenever
 * sessions or roles change.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Services } from '../service/services.js';
import { hashToken } from '../auth/tokens.js';
import { LiveQueryConnection } from './connection.js';
import type { RenderCache } from './event-view.js';
import type { Metrics } from '../ops/metrics.js';

const PING_INTERVAL_MS = 10_000;
const MAX_FRAME_BYTES = 1024 * 1024;

export class LiveQueryServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly connections = new Set<LiveQueryConnection>();
  private readonly pinger: NodeJS.Timeout;
  private readonly unsubscribeFeed: () => void;

  constructor(
    private readonly services: Services,
    private readonly masterAllowedFrom: (ip: string) => boolean,
    private readonly metrics: Metrics,
  ) {
    this.unsubscribeFeed = services.feed.subscribe((event) => {
      const cache: RenderCache = new Map();
      for (const connection of this.connections) connection.deliver(event, cache);
    });
    services.sessions.onInvalidate((tokenHash) => {
      for (const connection of this.connections) void connection.recheck(tokenHash, hashToken);
    });
    this.pinger = setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.pinger.unref();
  }

  /** Paths that carry LiveQuery; anything else (e.g. GraphQL subscriptions) is left to its own handler. */
  accepts(path: string): boolean {
    const mount = this.services.config.mountPath;
    return path === '/' || path === mount || path === `${mount}/`;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws, request.socket.remoteAddress ?? ''));
  }

  attachTo(server: HttpServer): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '/').split('?')[0];
      if (this.accepts(path)) this.handleUpgrade(request, socket, head);
    });
  }

  private attach(ws: WebSocket, ip: string): void {
    const connection = new LiveQueryConnection(ws, this.services, this.masterAllowedFrom(ip), (op) =>
      this.metrics.liveEvents.inc({ op }),
    );
    this.connections.add(connection);
    this.metrics.liveConnections.inc();
    ws.once('close', () => this.metrics.liveConnections.dec());
    ws.on('message', (data, isBinary) => {
      if (isBinary)
        return connection.send({ op: 'error', code: 1, error: 'Frames must be text', reconnect: false, requestId: null });
      void connection.receive(data.toString());
    });
    ws.on('pong', () => (connection.alive = true));
    ws.on('close', () => this.connections.delete(connection));
    ws.on('error', () => this.connections.delete(connection));
  }

  private ping(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.close(1001, 'No answer to ping');
        this.connections.delete(connection);
        continue;
      }
      connection.alive = false;
      connection.ping();
      // Sessions also end by expiring, which no one announces: re-check them at every heartbeat.
      void connection.recheck();
    }
  }

  get size(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    this.unsubscribeFeed();
    for (const connection of this.connections) connection.close(1001, 'Server shutting down');
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
