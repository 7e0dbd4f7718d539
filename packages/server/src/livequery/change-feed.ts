/**
 * Object changes, published after their transaction commits. In one process listeners are called directly;
 * with REDIS_URL every instance publishes to and listens on one Redis channel, so a subscriber connected to
 * instance A hears about a write made through instance B. Events carry stored rows (not wire JSON) so each
 * subscriber's view is built by the same security code as a REST read.
 */
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Row } from '../storage/adapter.js';

export interface ChangeEvent {
  className: string;
  kind: 'create' | 'update' | 'delete';
  /** The object before the write (update, delete), all columns. */
  before: Row | null;
  /** The object after the write (create, update), all columns. */
  after: Row | null;
  /** When the write was acknowledged (ms since epoch), for delivery-latency figures. */
  at: number;
}

/**
 * `local`: the write committed in this process. Work that must happen once per write whatever the number of
 * instances (webhook delivery) listens to local events only.
 */
export type ChangeListener = (event: ChangeEvent, origin: { local: boolean }) => void;

export interface PublishOptions {
  /** false: deliver to this instance's listeners only (classes no LiveQuery subscriber can watch). */
  fanOut?: boolean;
}

export interface ChangeFeed {
  publish(event: ChangeEvent, options?: PublishOptions): void;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

export class LocalChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  publish(event: ChangeEvent, _options?: PublishOptions): void {
    this.deliver(event, true);
  }

  protected deliver(event: ChangeEvent, local: boolean): void {
    const origin = { local };
    for (const listener of this.listeners) {
      try {
        listener(event, origin);
      } catch {
        // A failing subscriber must not affect the writer or other subscribers.
      }
    }
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/** Fan-out through Redis pub/sub; events from this instance are delivered locally at once, not echoed back. */
export class RedisChangeFeed extends LocalChangeFeed {
  private readonly origin = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;

  private constructor(
    url: string,
    private readonly channel: string,
  ) {
    super();
    this.pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: true });
  }

  static async connect(url: string, channel: string): Promise<RedisChangeFeed> {
    const feed = new RedisChangeFeed(url, channel);
    await Promise.all([feed.pub.connect(), feed.sub.connect()]);
    await feed.sub.subscribe(channel);
    feed.sub.on('message', (_channel: string, message: string) => {
      const { origin, event } = JSON.parse(message) as { origin: string; event: ChangeEvent };
      if (origin !== feed.origin) feed.deliver(event, false);
    });
    return feed;
  }

  override publish(event: ChangeEvent, options: PublishOptions = {}): void {
    this.deliver(event, true);
    if (options.fanOut === false) return;
    this.pub.publish(this.channel, JSON.stringify({ origin: this.origin, event })).catch(() => {
      // Redis unreachable: local subscribers were served; remote ones will resync on reconnect.
    });
  }

  override async close(): Promise<void> {
    await super.close();
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
