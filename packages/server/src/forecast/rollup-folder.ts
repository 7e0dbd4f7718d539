/**
 * Runs the rollup fold (rollup.ts, foldRollup) in the background: once per interval, and only when this
 * instance appended deltas since the last fold, so an idle instance sends nothing. Any instance's fold moves
 * every instance's deltas. A fold that fails (database restarting, a deadlock victim) is logged and tried again
 * at the next tick; it loses nothing, because a fold either moves a delta row whole or leaves it where it was,
 * and summaries read both tables meanwhile.
 */

export interface FoldLogger {
  warn(details: object, message: string): void;
}

export const FOLD_INTERVAL_MS = 1_000;

export class RollupFolder {
  private pending = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly fold: () => Promise<void>) {}

  /** A write appended deltas (called from inside its transaction; a rollback makes the next fold a no-op). */
  noteDelta(): void {
    this.pending = true;
  }

  /** Starts folding every `intervalMs`; the timer never keeps the process alive. */
  start(log: FoldLogger, intervalMs = FOLD_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(log), intervalMs);
    this.timer.unref();
  }

  /** One tick: a fold when deltas were written since the last one and no fold is running; resolves when done. */
  tick(log: FoldLogger): Promise<void> {
    if (!this.pending || this.running) return this.running ?? Promise.resolve();
    this.pending = false;
    this.running = this.fold()
      .catch((error: unknown) => {
        this.pending = true;
        log.warn({ err: error }, 'forecast rollup fold failed; retrying at the next tick');
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the timer and waits for a fold in progress, so the database can be closed after it. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
