/**
 * GraphQL subscriptions on the LiveQuery engine. Each subscription is a LiveQuery `Subscription`
 * (buildSubscription: the caller's class-level check, where matcher and read filter), fed from the same change
 * feed, and each event is classified (`eventOpFor`) and shaped (`eventFrame`) by the LiveQuery code — so a
 * GraphQL subscriber is told exactly what a LiveQuery subscriber with the same session would be.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { ParseObjectJson } from '../codec/row-codec.js';
import type { Auth } from '../security/auth.js';
import type { Services } from '../service/services.js';
import type { ChangeEvent } from '../livequery/change-feed.js';
import { eventFrame, eventOpFor, type EventOp } from '../livequery/event-view.js';
import { buildSubscription, type Subscription } from '../livequery/subscription.js';
import { loadersFor, type GraphQLContext } from './context.js';

export interface LivePayload {
  event: EventOp;
  node: ParseObjectJson;
  original?: ParseObjectJson;
}

/** Events waiting for a subscriber beyond which it is dropped rather than buffered without bound. */
const MAX_QUEUED = 1000;

let nextRequestId = 1;

class LiveStream implements AsyncIterableIterator<LivePayload> {
  private sub: Subscription;
  private readonly queue: LivePayload[] = [];
  private waiting: { resolve: (result: IteratorResult<LivePayload>) => void; reject: (error: unknown) => void } | null = null;
  private failure: unknown = null;
  private done = false;
  /** Rendering is asynchronous (includes); the chain keeps events in write order. */
  private rendering: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private readonly requestId = nextRequestId++;

  constructor(
    private readonly services: Services,
    private readonly ctx: GraphQLContext,
    private readonly query: { className: string; where: Record<string, unknown> },
    private readonly onEnd: (stream: LiveStream) => void,
  ) {
    this.sub = buildSubscription(services, ctx.auth, this.requestId, query);
    this.unsubscribe = services.feed.subscribe((event) => this.deliver(event));
  }

  private deliver(event: ChangeEvent): void {
    if (this.done || this.failure || event.className !== this.query.className) return;
    const sub = this.sub;
    const op = eventOpFor(sub, event);
    if (!op) return;
    this.rendering = this.rendering
      .then(async () => {
        const frame = (await eventFrame(sub, event, op, 'graphql')) as { object: ParseObjectJson; original?: ParseObjectJson };
        this.push({ event: op, node: frame.object, original: frame.original });
      })
      .catch(() => {
        // One event that cannot be rendered is skipped; the stream goes on, as in LiveQuery.
      });
  }

  private push(payload: LivePayload): void {
    if (this.done || this.failure) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: payload, done: false });
      return;
    }
    if (this.queue.length >= MAX_QUEUED) {
      this.fail(new ParseError(ErrorCode.CONNECTION_FAILED, 'Too many undelivered events: subscribe again'));
      return;
    }
    this.queue.push(payload);
  }

  /** Ends the stream with an error the client receives (a dead session, a revoked permission). */
  fail(error: unknown): void {
    if (this.done || this.failure) return;
    const waiting = this.waiting;
    if (!waiting) {
      // Delivered by the next next(), after the events already queued.
      this.failure = error;
      return;
    }
    this.waiting = null;
    this.finish();
    // A rejected next() is what graphql-ws turns into an `error` message for this operation.
    waiting.reject(error);
  }

  /** Sessions or roles changed: the same subscription, re-authorized for who the caller is now. */
  rebind(auth: Auth): void {
    try {
      this.sub = buildSubscription(this.services, auth, this.requestId, this.query);
      this.ctx.auth = auth;
      this.ctx.loaders = loadersFor(auth, this.services, true);
    } catch (error) {
      this.fail(error);
    }
  }

  async next(): Promise<IteratorResult<LivePayload>> {
    const queued = this.queue.shift();
    if (queued) return { value: queued, done: false };
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      this.finish();
      throw failure;
    }
    if (this.done) return { value: undefined, done: true };
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async return(): Promise<IteratorResult<LivePayload>> {
    this.finish();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<LivePayload>> {
    this.finish();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LivePayload> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.unsubscribe();
    this.onEnd(this);
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }
}

/** The live subscriptions of one WebSocket connection, re-authorized together when its session changes. */
export class LiveRegistry {
  private readonly streams = new Set<LiveStream>();

  constructor(private readonly services: Services) {}

  open(ctx: GraphQLContext, className: string, where: Record<string, unknown>): AsyncIterableIterator<LivePayload> {
    const stream = new LiveStream(this.services, ctx, { className, where }, (s) => this.streams.delete(s));
    this.streams.add(stream);
    return stream;
  }

  rebind(auth: Auth): void {
    for (const stream of this.streams) stream.rebind(auth);
  }

  failAll(error: unknown): void {
    for (const stream of [...this.streams]) stream.fail(error);
  }

  get size(): number {
    return this.streams.size;
  }
}
