/**
 * Cache invalidation between server instances that share one PostgreSQL database: schema changes, role
 * membership and ended sessions made on one instance must be seen by the others at once. PostgreSQL's
 * LISTEN/NOTIFY carries them (docs/DECISIONS.md: the data they describe lives there, notifications are sent on
 * commit, and no other service is needed). Embedded SQLite serves one process, so its bus is local only.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export type Invalidation = { kind: 'schema' } | { kind: 'roles' } | { kind: 'sessions'; tokenHash?: string };

export type InvalidationHandler = (message: Invalidation) => void;

export interface InvalidationBus {
  /** Tells the other instances; local caches are the caller's to clear. */
  publish(message: Invalidation): void;
  subscribe(handler: InvalidationHandler): void;
  close(): Promise<void>;
}

export class LocalInvalidationBus implements InvalidationBus {
  publish(): void {}
  subscribe(): void {}
  async close(): Promise<void> {}
}

export class PgNotifyBus implements InvalidationBus {
  private readonly origin = randomUUID();
  private readonly handlers: InvalidationHandler[] = [];
  private closed = false;

  private constructor(
    private readonly listener: pg.Client,
    private readonly sender: pg.Pool,
    private readonly channel: string,
  ) {}

  /** One channel per PostgreSQL schema, so installs sharing a database do not hear each other. */
  static async connect(connectionString: string, schemaName = 'public'): Promise<PgNotifyBus> {
    const channel = `crm_invalidate_${schemaName}`.slice(0, 63);
    const listener = new pg.Client({ connectionString });
    await listener.connect();
    const bus = new PgNotifyBus(listener, new pg.Pool({ connectionString, max: 2 }), channel);
    listener.on('notification', (note) => bus.receive(note.payload ?? ''));
    listener.on('error', () => {
      // The listening connection broke: caches may go stale until restart; writes and reads still work.
    });
    await listener.query(`LISTEN "${channel}"`);
    return bus;
  }

  publish(message: Invalidation): void {
    if (this.closed) return;
    const payload = JSON.stringify({ origin: this.origin, message });
    this.sender.query('SELECT pg_notify($1, $2)', [this.channel, payload]).catch(() => {
      // Best effort: another instance's cache entries still expire on their own (sessions within seconds).
    });
  }

  subscribe(handler: InvalidationHandler): void {
    this.handlers.push(handler);
  }

  private receive(payload: string): void {
    try {
      const { origin, message } = JSON.parse(payload) as { origin: string; message: Invalidation };
      if (origin === this.origin) return;
      for (const handler of this.handlers) handler(message);
    } catch {
      // Not ours.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener.end().catch(() => {});
    await this.sender.end().catch(() => {});
  }
}
