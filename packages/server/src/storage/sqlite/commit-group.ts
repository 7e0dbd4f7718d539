/**
 * One outer SQLite transaction that several writes share (group commit). A COMMIT writes every page the
 * transaction dirtied to the WAL — for a deal, its table and index pages, its search-index segment, the stage
 * history and the rollup — and costs more than the writes themselves (~35% of a create's CPU, measured in
 * docs/PERFORMANCE.md). Writes arriving in the same turn of the event loop share those pages and one COMMIT.
 *
 * A write's work runs inside a savepoint of the group, so its failure undoes only its own statements; it is
 * acknowledged only once the group committed (`committed`), so nothing is answered before it is durable.
 */
export class CommitGroup {
  /** Resolves once the group committed; rejects with the error that lost it. */
  readonly committed: Promise<void>;
  /** Resolves when the group ended, either way: what reads and schema changes wait for. */
  readonly ended: Promise<void>;
  private settle!: (error?: unknown) => void;

  constructor() {
    let endedResolve!: () => void;
    this.ended = new Promise<void>((resolve) => (endedResolve = resolve));
    this.committed = new Promise<void>((resolve, reject) => {
      this.settle = (error) => {
        if (error === undefined) resolve();
        else reject(error);
        endedResolve();
      };
    });
    // A group lost before any write awaited it (its only write failed) must not surface as an unhandled rejection.
    this.committed.catch(() => {});
  }

  succeed(): void {
    this.settle();
  }

  fail(error: unknown): void {
    this.settle(error ?? new Error('transaction lost'));
  }
}
