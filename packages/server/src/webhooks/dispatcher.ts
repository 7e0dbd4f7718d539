/**
 * Delivers webhook events. It listens to the change feed's *local* events only — writes committed by this
 * instance — so with several instances (Redis fan-out hands every event to every instance) each event is
 * delivered once, by the instance that made the write. Delivery never blocks the write: it starts after
 * commit, retries with exponential backoff (network error, timeout, 5xx, 408, 429), and records every
 * delivery in `WebhookDelivery` (one row per event and webhook, updated after each attempt).
 *
 * Restarts: the delivery row (with its payload) is written before the first attempt, as `delivering`; one
 * waiting for a retry is `retrying` with its `nextAttemptAt`. At start each instance claims the `retrying` rows
 * and the `delivering` rows nobody has touched for twice the attempt timeout (their process died mid-attempt)
 * — a conditional update, so only one instance gets each — and resumes them. Delivery is therefore at least
 * once: a receiver that got an attempt whose result was never recorded gets it again, with the same delivery
 * id (`X-CRM-Delivery`), by which it can drop the repeat.
 */
import { randomUUID } from 'node:crypto';
import { MASTER } from '../security/auth.js';
import type { Services } from '../service/services.js';
import type { ChangeEvent } from '../livequery/change-feed.js';
import { and, type Expr } from '../query/ast.js';
import { eventsFor, subscribes, type WebhookEvent } from './events.js';
import { postWebhook, type AttemptResult } from './post.js';
import { DELIVERY_CLASS, WEBHOOK_CLASS } from './schema.js';
import { checkWebhookUrl } from './url-policy.js';

export interface WebhookLogger {
  warn(details: object, message: string): void;
}

interface Webhook {
  objectId: string;
  url: string;
  secret: string;
  events: unknown[];
}

interface Delivery {
  webhookId: string;
  event: string;
  deliveryId: string;
  body: string;
  attempt: number;
  /** The WebhookDelivery row, once written. */
  logId?: string;
}

const CACHE_MS = 5_000;
const RESUME_BATCH = 1_000;

const pointer = (objectId: string) => ({ __type: 'Pointer', className: WEBHOOK_CLASS, objectId });
const isoDate = (ms: number) => ({ __type: 'Date', iso: new Date(ms).toISOString() });

export class WebhookDispatcher {
  /** `none`: the load resolved to no webhook at all, so a change can be dropped without any async work. */
  private cache: { webhooks: Promise<Webhook[]>; at: number; none?: boolean } | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly services: Services,
    private readonly log: WebhookLogger,
  ) {}

  /** Listens for changes, and resumes (in the background) deliveries an earlier run left waiting for a retry. */
  start(): void {
    this.unsubscribe = this.services.feed.subscribe((change, origin) => {
      if (origin.local && !this.knownToHaveNone()) this.track(this.onChange(change));
    });
    this.track(this.resume().then(() => undefined));
  }

  /** A Webhook was saved on this instance: re-read them on the next event (other instances within 5 s). */
  invalidate(): void {
    this.cache = null;
  }

  /** Stops retries and in-flight attempts (recorded as `retrying`, to resume at the next start). */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.shutdown.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.log.warn({ err: error }, 'webhook delivery failed'));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  private async onChange(change: ChangeEvent): Promise<void> {
    const cls = this.services.schema.get(change.className);
    if (!cls) return;
    // Webhooks are rare and cached; turning a change into events (encoding both rows) is not free.
    const webhooks = await this.webhooks();
    if (webhooks.length === 0) return;
    const events = eventsFor(change, cls);
    for (const event of events) {
      for (const webhook of webhooks) {
        if (subscribes(webhook.events, event.name)) this.track(this.attempt(this.newDelivery(webhook, event)));
      }
    }
  }

  private newDelivery(webhook: Webhook, event: WebhookEvent): Delivery {
    const deliveryId = randomUUID();
    const body = JSON.stringify({
      id: deliveryId,
      event: event.name,
      occurredAt: event.occurredAt,
      className: event.className,
      object: event.object,
      ...(event.previous ? { previous: event.previous } : {}),
    });
    return { webhookId: webhook.objectId, event: event.name, deliveryId, body, attempt: 0 };
  }

  private async attempt(delivery: Delivery): Promise<void> {
    if (this.shutdown.signal.aborted) return;
    const { config } = this.services;
    // Written before the first attempt, so an attempt cut off by a crash is found and resumed at the next start.
    if (!delivery.logId) delivery.logId = await this.open(delivery);
    delivery.attempt += 1;
    const webhook = (await this.webhooks()).find((w) => w.objectId === delivery.webhookId);
    let result: AttemptResult;
    if (!webhook) {
      result = { ok: false, retryable: false, error: 'webhook deleted or inactive', durationMs: 0 };
    } else {
      try {
        checkWebhookUrl(webhook.url, config.webhookAllowedHosts);
        result = await postWebhook({
          url: webhook.url,
          body: delivery.body,
          secret: webhook.secret,
          event: delivery.event,
          deliveryId: delivery.deliveryId,
          attempt: delivery.attempt,
          timeoutMs: config.webhookTimeoutMs,
          signal: this.shutdown.signal,
        });
      } catch (error) {
        result = { ok: false, retryable: false, error: (error as Error).message, durationMs: 0 };
      }
    }
    const retry = !result.ok && result.retryable && delivery.attempt < config.webhookMaxAttempts;
    const delay = config.webhookRetryBaseMs * 2 ** (delivery.attempt - 1);
    const nextAttemptAt = retry ? Date.now() + delay : undefined;
    await this.record(delivery, webhook?.url, result, nextAttemptAt);
    if (retry && !this.shutdown.signal.aborted) this.schedule(delivery, delay);
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.attempt(delivery));
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async record(delivery: Delivery, url: string | undefined, result: AttemptResult, nextAttemptAt?: number) {
    const status = result.ok ? 'succeeded' : nextAttemptAt !== undefined ? 'retrying' : 'failed';
    const row: Record<string, unknown> = {
      status,
      attempt: delivery.attempt,
      durationMs: result.durationMs,
      statusCode: result.statusCode ?? { __op: 'Delete' },
      error: result.error ?? { __op: 'Delete' },
      nextAttemptAt: nextAttemptAt !== undefined ? isoDate(nextAttemptAt) : { __op: 'Delete' },
      ...(url ? { url } : {}),
    };
    await this.services.objects.update(MASTER, DELIVERY_CLASS, delivery.logId!, row);
  }

  private async open(delivery: Delivery): Promise<string> {
    const created = await this.services.objects.create(MASTER, DELIVERY_CLASS, {
      status: 'delivering',
      attempt: 0,
      webhook: pointer(delivery.webhookId),
      event: delivery.event,
      deliveryId: delivery.deliveryId,
      payload: delivery.body,
    });
    return created.objectId;
  }

  /** Active webhooks, cached for a few seconds (webhooks change rarely; events can be many). */
  private webhooks(): Promise<Webhook[]> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
      const webhooks = this.loadWebhooks();
      const entry: NonNullable<typeof this.cache> = { webhooks, at: Date.now() };
      this.cache = entry;
      webhooks.then(
        (list) => (entry.none = list.length === 0),
        () => (this.cache = null),
      );
    }
    return this.cache.webhooks;
  }

  /** Most servers have no webhook: every write would otherwise start (and track) a promise chain for nothing. */
  private knownToHaveNone(): boolean {
    return this.cache?.none === true && Date.now() - this.cache.at <= CACHE_MS;
  }

  private async loadWebhooks(): Promise<Webhook[]> {
    const { results } = await this.services.objects.find(MASTER, WEBHOOK_CLASS, {
      where: { active: { $ne: false } },
      limit: 1000,
    });
    return results.map((r) => ({
      objectId: r.objectId as string,
      url: String(r.url),
      secret: String(r.secret ?? ''),
      events: Array.isArray(r.events) ? r.events : [],
    }));
  }

  /** Picks up deliveries an instance left waiting for a retry, or in the middle of an attempt, when it stopped. */
  private async resume(): Promise<number> {
    const cls = this.services.schema.get(DELIVERY_CLASS);
    if (!cls) return 0;
    // No attempt outlives its timeout: a row `delivering` for twice as long belongs to a process that died.
    const staleBefore = isoDate(Date.now() - 2 * this.services.config.webhookTimeoutMs);
    const { results } = await this.services.objects.find(MASTER, DELIVERY_CLASS, {
      where: { $or: [{ status: 'retrying' }, { status: 'delivering', updatedAt: { $lt: staleBefore } }] },
      order: 'nextAttemptAt',
      limit: RESUME_BATCH,
    });
    let resumed = 0;
    for (const row of results) {
      const objectId = row.objectId as string;
      // Claim it: only the instance whose update still matches the row as read resumes it.
      const seen: Expr =
        row.status === 'retrying'
          ? statusIs('retrying')
          : and(statusIs('delivering'), { kind: 'compare', ref: UPDATED_AT, op: 'eq', value: row.updatedAt as string });
      const now = new Date().toISOString();
      const claimed = await this.services.storage.update(cls, objectId, seen, { status: 'delivering', updatedAt: now });
      if (!claimed) continue;
      resumed += 1;
      const delivery: Delivery = {
        webhookId: (row.webhook as { objectId: string } | undefined)?.objectId ?? '',
        event: String(row.event),
        deliveryId: String(row.deliveryId),
        body: String(row.payload ?? ''),
        attempt: Number(row.attempt ?? 0),
        logId: objectId,
      };
      const due = Date.parse((row.nextAttemptAt as { iso?: string } | undefined)?.iso ?? '') || Date.now();
      this.schedule(delivery, Math.max(0, due - Date.now()));
    }
    return resumed;
  }
}

const UPDATED_AT = { field: 'updatedAt', type: 'Date' as const, path: [] as string[] };

const statusIs = (value: string): Expr => ({
  kind: 'compare',
  ref: { field: 'status', type: 'String', path: [] },
  op: 'eq',
  value,
});
