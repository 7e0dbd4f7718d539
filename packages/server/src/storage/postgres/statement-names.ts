/**
 * Names for prepared statements. Given a name, node-postgres parses a statement once per connection and later
 * only binds and executes it, so the server plans a hot statement once per connection instead of per call.
 * The name is a hash of the text, because pg refuses one name for two texts.
 *
 * A prepared statement lives in its connection's memory until the connection closes, and statement texts are
 * not a closed set (IN lists vary in length), so a text is named only on its second use and at most
 * MAX_NAMED texts are named per generation; the rest run unnamed, planned per call as before.
 */
import { createHash } from 'node:crypto';

const MAX_NAMED = 1000;
const MAX_SEEN_ONCE = 10_000;

export class StatementNames {
  private generation = 0;
  private readonly named = new Map<string, string>();
  private readonly seenOnce = new Set<string>();

  nameFor(text: string): string | undefined {
    const known = this.named.get(text);
    if (known !== undefined) return known;
    if (this.named.size >= MAX_NAMED) return undefined;
    if (!this.seenOnce.has(text)) {
      if (this.seenOnce.size >= MAX_SEEN_ONCE) this.seenOnce.clear();
      this.seenOnce.add(text);
      return undefined;
    }
    this.seenOnce.delete(text);
    const name = `crm${this.generation}_${createHash('sha1').update(text).digest('hex')}`;
    this.named.set(text, name);
    return name;
  }

  /**
   * Moves to fresh names. Needed when a prepared SELECT's result columns may have changed type (a column was
   * dropped and re-added): the server refuses to reuse such a statement, and pg cannot un-prepare one.
   */
  invalidate(): void {
    this.generation += 1;
    this.named.clear();
    this.seenOnce.clear();
  }
}
