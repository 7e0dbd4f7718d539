/**
 * GraphQL over WebSocket at `/graphql`, speaking the graphql-ws protocol (subprotocol `graphql-transport-ws`)
 * so any graphql-ws client (and GraphiQL) can subscribe. Implemented here on `ws` rather than with the
 * graphql-ws server so operations run on this process's one graphql-js instance, whatever loads the modules.
 * `connection_init` carries the credentials REST takes as headers, checked by the same AuthGate; every
 * operation goes through the same preparation and limits as HTTP. When a session ends or roles change the
 * connection is re-authenticated: a dead session closes it with 4401.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { execute, subscribe, type ExecutionResult } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Auth } from '../security/auth.js';
import type { Services } from '../service/services.js';
import { hashToken } from '../auth/tokens.js';
import { createContext } from './context.js';
import { formatThrown, RequestRejected, type ErrorLogger } from './errors.js';
import { LiveRegistry } from './live-events.js';
import { formatResult, prepareOperation, type OperationLimits } from './operation.js';
import type { SchemaCache } from './schema-cache.js';

const PATH = '/graphql';
const PROTOCOL = 'graphql-transport-ws';
const MAX_FRAME_BYTES = 1024 * 1024;
const INIT_TIMEOUT_MS = 3000;
const PING_INTERVAL_MS = 12_000;
/** Bytes queued on a socket beyond which the client counts as too slow (it reconnects and resubscribes). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const SHUTDOWN_GRACE_MS = 1000;
/** Operations one connection may have running at once. */
const MAX_OPERATIONS = 100;

/** Close codes of the graphql-ws protocol. */
const Close = {
  BadRequest: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  InitTimeout: 4408,
  SubscriberExists: 4409,
  TooManyInits: 4429,
} as const;

interface Deps {
  services: Services;
  schemas: SchemaCache;
  limits: OperationLimits;
  log: ErrorLogger;
}

type Message = { type: string; id?: unknown; payload?: unknown };

function parseMessage(text: string): Message | null {
  try {
    const message = JSON.parse(text) as unknown;
    if (typeof message !== 'object' || message === null || typeof (message as Message).type !== 'string') return null;
    return message as Message;
  } catch {
    return null;
  }
}

function param(params: unknown, name: string): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const key = Object.keys(params).find((k) => k.toLowerCase() === name);
  const value = key ? (params as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

class SocketSession {
  auth: Auth | null = null;
  sessionToken?: string;
  alive = true;
  private initReceived = false;
  private readonly operations = new Map<string, AsyncIterator<ExecutionResult> | null>();
  private readonly live: LiveRegistry;
  private readonly initTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    private readonly ip: string,
    private readonly deps: Deps,
  ) {
    this.live = new LiveRegistry(deps.services);
    this.initTimer = setTimeout(() => {
      if (!this.initReceived) this.close(Close.InitTimeout, 'Connection initialisation timeout');
    }, INIT_TIMEOUT_MS);
  }

  async receive(text: string): Promise<void> {
    const message = parseMessage(text);
    if (!message) return this.close(Close.BadRequest, 'Invalid message received');
    switch (message.type) {
      case 'connection_init':
        return this.init(message.payload);
      case 'ping':
        return this.send(message.payload === undefined ? { type: 'pong' } : { type: 'pong', payload: message.payload });
      case 'pong':
        return;
      case 'subscribe':
        return this.subscribe(message);
      case 'complete':
        return this.complete(message.id);
      default:
        return this.close(Close.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  private async init(payload: unknown): Promise<void> {
    if (this.initReceived) return this.close(Close.TooManyInits, 'Too many initialisation requests');
    this.initReceived = true;
    clearTimeout(this.initTimer);
    const sessionToken = param(payload, 'x-parse-session-token');
    try {
      this.auth = await this.deps.services.gate.authenticate(
        {
          appId: param(payload, 'x-parse-application-id'),
          clientKey:
            param(payload, 'x-parse-javascript-key') ??
            param(payload, 'x-parse-rest-api-key') ??
            param(payload, 'x-parse-client-key'),
          masterKey: param(payload, 'x-parse-master-key'),
          sessionToken,
        },
        this.ip,
      );
    } catch (error) {
      const dead = error instanceof ParseError && error.code === ErrorCode.INVALID_SESSION_TOKEN;
      return dead ? this.close(Close.Unauthorized, 'Invalid session token') : this.close(Close.Forbidden, 'Forbidden');
    }
    this.sessionToken = this.auth.isMaster ? undefined : sessionToken;
    this.send({ type: 'connection_ack' });
  }

  private async subscribe(message: Message): Promise<void> {
    if (!this.auth) return this.close(Close.Unauthorized, 'Unauthorized');
    const id = message.id;
    if (typeof id !== 'string' || id === '') return this.close(Close.BadRequest, 'Invalid message received');
    if (this.operations.has(id)) return this.close(Close.SubscriberExists, `Subscriber for ${id} already exists`);
    if (this.operations.size >= MAX_OPERATIONS) {
      return this.send({
        id,
        type: 'error',
        payload: [{ message: 'Too many operations on one connection', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
    this.operations.set(id, null);
    try {
      await this.run(id, (message.payload ?? {}) as Record<string, unknown>);
    } catch (error) {
      if (this.operations.has(id)) {
        this.send({
          id,
          type: 'error',
          payload: error instanceof RequestRejected ? error.errors : [formatThrown(error, this.deps.log)],
        });
      }
    } finally {
      this.operations.delete(id);
    }
  }

  private async run(id: string, payload: Record<string, unknown>): Promise<void> {
    const { services, schemas, limits } = this.deps;
    const auth = this.auth!;
    const ready = prepareOperation(schemas.current(), payload, auth, 'WS', limits);
    const args = {
      schema: ready.version.schema,
      document: ready.document,
      operationName: ready.operationName,
      variableValues: ready.variables,
      contextValue: createContext({ auth, services, live: this.live }),
    };
    if (ready.operation.operation !== 'subscription') {
      const result = await execute(args);
      if (this.operations.has(id)) this.finish(id, result);
      return;
    }
    const result = await subscribe(args);
    if (!(Symbol.asyncIterator in result)) {
      if (this.operations.has(id)) this.finish(id, result);
      return;
    }
    const stream = result as AsyncGenerator<ExecutionResult>;
    if (!this.operations.has(id)) {
      await stream.return(undefined);
      return;
    }
    this.operations.set(id, stream);
    for await (const value of stream) {
      if (!this.operations.has(id)) break;
      this.send({ id, type: 'next', payload: formatResult(value, this.deps.log) });
    }
    if (this.operations.get(id) === stream) this.send({ id, type: 'complete' });
  }

  private finish(id: string, result: ExecutionResult): void {
    this.send({ id, type: 'next', payload: formatResult(result, this.deps.log) });
    this.send({ id, type: 'complete' });
  }

  /** The client stops an operation: its stream ends without a `complete` back. */
  private complete(id: unknown): void {
    if (typeof id !== 'string') return;
    const stream = this.operations.get(id);
    this.operations.delete(id);
    void stream?.return?.(undefined);
  }

  /** Sessions or roles changed: re-authenticate; a session that is gone closes the socket. */
  async recheck(tokenHash?: string): Promise<void> {
    const token = this.sessionToken;
    if (!token || (tokenHash && hashToken(token) !== tokenHash)) return;
    try {
      this.auth = await this.deps.services.sessions.resolve(token);
      this.live.rebind(this.auth);
    } catch {
      this.live.failAll(new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token'));
      this.close(Close.Unauthorized, 'Invalid session token');
    }
  }

  send(message: object): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) return this.close(1013, 'Client too slow: reconnect and resubscribe');
    this.socket.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** The socket is gone: every running operation ends. */
  closed(): void {
    clearTimeout(this.initTimer);
    for (const stream of this.operations.values()) void stream?.return?.(undefined);
    this.operations.clear();
  }

  ping(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    if (this.socket.readyState === this.socket.OPEN) this.socket.ping();
  }
}

export class GraphQLSocketServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });
  private readonly sessions = new Set<SocketSession>();
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly deps: Deps) {
    deps.services.sessions.onInvalidate((tokenHash) => {
      for (const session of this.sessions) void session.recheck(tokenHash);
    });
    this.pinger = setInterval(() => {
      for (const session of this.sessions) session.ping();
    }, PING_INTERVAL_MS);
    this.pinger.unref();
  }

  /** Only upgrades to /graphql; other paths (LiveQuery) are left to their own handlers. */
  attachTo(server: HttpServer): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if ((request.url ?? '/').split('?')[0] !== PATH) return;
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
    });
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    if (ws.protocol !== PROTOCOL) {
      ws.close(4406, 'Subprotocol not acceptable');
      return;
    }
    const session = new SocketSession(ws, request.socket.remoteAddress ?? '', this.deps);
    this.sessions.add(session);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return session.close(Close.BadRequest, 'Invalid message received');
      session.receive(data.toString()).catch((error: unknown) => {
        this.deps.log(error);
        session.close(1011, 'Internal server error');
      });
    });
    ws.on('pong', () => (session.alive = true));
    const gone = () => {
      session.closed();
      this.sessions.delete(session);
    };
    ws.on('close', gone);
    ws.on('error', gone);
  }

  get size(): number {
    return this.sessions.size;
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const client of this.wss.clients) client.close(1001, 'Server shutting down');
    // A client that does not answer the close handshake must not hold the shutdown up.
    const stragglers = setTimeout(() => {
      for (const client of this.wss.clients) client.terminate();
    }, SHUTDOWN_GRACE_MS);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    clearTimeout(stragglers);
  }
}
