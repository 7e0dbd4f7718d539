import Parse from 'parse';

/**
 * Collects LiveQuery events and hands them over together, a few times a second at most. A teammate importing
 * a thousand deals sends a thousand events; applied one by one, each would rebuild the board.
 */
export class LiveBatch {
  private readonly upserts = new Map<string, Parse.Object>();
  private readonly removals = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly apply: (upserts: Parse.Object[], removals: string[]) => void,
    private readonly delayMs = 50,
  ) {}

  upsert(object: Parse.Object): void {
    if (!object.id) return;
    this.removals.delete(object.id);
    this.upserts.set(object.id, object);
    this.schedule();
  }

  remove(object: Parse.Object): void {
    if (!object.id) return;
    this.upserts.delete(object.id);
    this.removals.add(object.id);
    this.schedule();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.upserts.clear();
    this.removals.clear();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const upserts = [...this.upserts.values()];
      const removals = [...this.removals];
      this.upserts.clear();
      this.removals.clear();
      this.apply(upserts, removals);
    }, this.delayMs);
  }
}
