/**
 * One LiveQuery client connection: its identity (connect frame), its subscriptions, and an ordered, bounded
 * outgoing stream. A client that cannot keep up is disconnected (the SDK reconnects and resubscribes) rather
 * than letting its backlog grow without limit or slow the others down.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { ErrorCode, HttpError, ParseError } from '../errors/parse-error.js';
import { ANONYMOUS, MASTER, type Auth } from '../security/auth.js';
import { secretsEqual } from '../auth/tokens.js';
import type { Services } from '../service/services.js';
import type { ChangeEvent } from './change-feed.js';
import { canShareRendering, eventFrame, eventOpFor, sharedEventFrame, type RenderCache } from './event-view.js';
import { FrameError, parseFrame, type ClientFrame, type SubscriptionQuery } from './protocol.js';
import { buildSubscription, type Subscription } from './subscription.js';

/** Bytes queued on the socket beyond which a client counts as too slow. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export class LiveQueryConnection {
  readonly clientId = randomUUID();
  alive = true;
  private installationId?: string;
  private sessionToken?: string;
  private auth: Auth | null = null;
  private readonly subscriptions = new Map<number, Subscription>();
  /** Events are rendered asynchronously (includes); this chain keeps them in write order. */
  private outgoing: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly services: Services,
    private readonly masterAllowed: boolean,
    private readonly onEventSent: (op: string) => void = () => {},
  ) {}

  get connected(): boolean {
    return this.auth !== null;
  }

  classes(): Set<string> {
    return new Set([...this.subscriptions.values()].map((s) => s.cls.className));
  }

  async receive(text: string): Promise<void> {
    let frame: ClientFrame | null = null;
    try {
      frame = parseFrame(text);
      await this.handle(frame);
    } catch (error) {
      const requestId = frame && 'requestId' in frame ? frame.requestId : null;
      this.send(toErrorFrame(error, requestId));
    }
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (frame.op === 'connect') return this.connect(frame);
    if (!this.auth) throw new FrameError(ErrorCode.INVALID_SESSION_TOKEN, 'Send a connect frame first');
    switch (frame.op) {
      case 'subscribe':
      case 'update':
        return this.subscribe(frame.requestId, frame.query, frame.sessionToken);
      case 'unsubscribe':
        if (!this.subscriptions.delete(frame.requestId)) throw new FrameError(2, 'Subscription not found', frame.requestId);
        return this.send({ op: 'unsubscribed', clientId: this.clientId, requestId: frame.requestId });
      case 'query':
        return this.query(frame.requestId);
    }
  }

  private async connect(frame: Extract<ClientFrame, { op: 'connect' }>): Promise<void> {
    const { config } = this.services;
    if (!frame.applicationId || !secretsEqual(frame.applicationId, config.appId))
      throw new FrameError(ErrorCode.OPERATION_FORBIDDEN, 'Invalid applicationId');
    const keys = [config.javascriptKey, config.restApiKey].filter((k): k is string => !!k);
    const clientKey = frame.javascriptKey ?? frame.clientKey;
    const isMaster = !!frame.masterKey && secretsEqual(frame.masterKey, config.masterKey) && this.masterAllowed;
    if (!isMaster && keys.length && !(clientKey && keys.some((k) => secretsEqual(clientKey, k)))) {
      throw new FrameError(ErrorCode.OPERATION_FORBIDDEN, 'Invalid client key');
    }
    this.installationId = frame.installationId;
    this.sessionToken = frame.sessionToken;
    this.auth = isMaster ? MASTER : await this.authFor(frame.sessionToken);
    this.send({ op: 'connected', clientId: this.clientId, installationId: this.installationId });
  }

  private async authFor(token: string | undefined): Promise<Auth> {
    return token ? this.services.sessions.resolve(token) : ANONYMOUS;
  }

  private async subscribe(requestId: number, query: SubscriptionQuery, token?: string): Promise<void> {
    const sessionToken = token ?? this.sessionToken;
    const auth = token && !this.auth!.isMaster ? await this.authFor(token) : this.auth!;
    const subscription = buildSubscription(this.services, auth, requestId, query, sessionToken);
    this.subscriptions.set(requestId, subscription);
    this.send({ op: 'subscribed', clientId: this.clientId, installationId: this.installationId, requestId });
  }

  /** The SDK's `subscription.find()`: the subscription's query, answered like a REST find for this caller. */
  private async query(requestId: number): Promise<void> {
    const sub = this.subscriptions.get(requestId);
    if (!sub) throw new FrameError(2, 'Subscription not found', requestId);
    const raw: Record<string, unknown> = { where: sub.query.where };
    if (sub.query.keys) raw.keys = sub.query.keys.join(',');
    if (sub.query.include) raw.include = sub.query.include.join(',');
    const { results } = await this.services.objects.find(sub.auth, sub.cls.className, raw);
    this.send({
      op: 'result',
      clientId: this.clientId,
      installationId: this.installationId,
      requestId,
      results: results.map((o) => ({ ...o, className: sub.cls.className })),
    });
  }

  deliver(event: ChangeEvent, cache: RenderCache): void {
    for (const sub of this.subscriptions.values()) {
      if (sub.cls.className !== event.className) continue;
      const op = eventOpFor(sub, event);
      if (!op) continue;
      if (canShareRendering(sub)) {
        // Rendered now, while the shared cache holds this event; sent in order behind any pending frame.
        const frame = sharedEventFrame(sub, event, op, this.clientId, this.installationId, cache);
        this.outgoing = this.outgoing.then(() => {
          this.sendText(frame);
          this.onEventSent(op);
        });
        continue;
      }
      this.outgoing = this.outgoing
        .then(async () => {
          this.send(await eventFrame(sub, event, op, this.clientId, this.installationId));
          this.onEventSent(op);
        })
        .catch(() => {
          // Rendering one event failed (e.g. an include's storage error): skip it, keep the stream going.
        });
    }
  }

  /**
   * Sessions or roles changed: re-authenticate every subscription. Ended sessions lose their subscriptions
   * (with a 209 error frame); the others pick up their current roles.
   */
  async recheck(tokenHash?: string, hashOf?: (token: string) => string): Promise<void> {
    const tokens = new Set(
      [this.sessionToken, ...[...this.subscriptions.values()].map((s) => s.sessionToken)].filter((t): t is string => !!t),
    );
    for (const token of tokens) {
      if (tokenHash && hashOf && hashOf(token) !== tokenHash) continue;
      let auth: Auth | null = null;
      try {
        auth = await this.services.sessions.resolve(token);
      } catch {
        auth = null;
      }
      if (token === this.sessionToken && this.auth && !this.auth.isMaster) this.auth = auth ?? ANONYMOUS;
      for (const [requestId, sub] of this.subscriptions) {
        if (sub.sessionToken !== token || sub.auth.isMaster) continue;
        try {
          if (!auth) throw new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
          if (sameGrants(auth, sub.auth)) continue;
          this.subscriptions.set(requestId, buildSubscription(this.services, auth, requestId, sub.query, token));
        } catch (error) {
          this.subscriptions.delete(requestId);
          this.send(toErrorFrame(error, requestId));
        }
      }
    }
  }

  send(frame: object): void {
    this.sendText(JSON.stringify(frame));
  }

  private sendText(text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(1013, 'Client too slow: reconnect and resubscribe');
      return;
    }
    this.socket.send(text);
  }

  ping(): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.ping();
  }

  close(code: number, reason: string): void {
    this.subscriptions.clear();
    this.socket.close(code, reason);
  }
}

/** Same user and roles: the compiled subscription still holds, nothing to rebuild. */
function sameGrants(a: Auth, b: Auth): boolean {
  return a.user?.objectId === b.user?.objectId && a.roles.length === b.roles.length && a.roles.every((r) => b.roles.includes(r));
}

function toErrorFrame(error: unknown, requestId: number | null): object {
  if (error instanceof FrameError) return error.toFrame();
  if (error instanceof ParseError) return { op: 'error', code: error.code, error: error.message, reconnect: false, requestId };
  if (error instanceof HttpError)
    return { op: 'error', code: ErrorCode.OPERATION_FORBIDDEN, error: error.message, reconnect: false, requestId };
  return { op: 'error', code: ErrorCode.INTERNAL_SERVER_ERROR, error: 'Internal server error.', reconnect: true, requestId };
}
