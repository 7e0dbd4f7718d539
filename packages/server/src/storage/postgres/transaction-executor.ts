/**
 * One transaction's executor, on its own pooled connection. Writes run only for their effect (inserts, rollup
 * appends, the update of a row already read FOR UPDATE) are held back and sent together — one statement of
 * data-modifying CTEs — right before the transaction's next other statement, or at commit; BEGIN goes out only
 * before the first statement that needs a transaction around it. A deal create (row, stage-history row, rollup
 * delta) thus becomes one round trip and no BEGIN/COMMIT at all, since one statement is atomic by itself,
 * instead of five: on this machine each round trip cost the server ~50 µs of CPU (docs/PERFORMANCE.md).
 *
 * The statements of one CTE run on one snapshot and cannot see each other's rows. That is safe here because
 * only writes are held back and any read flushes them first; two writes of one row in one transaction are
 * always separated by its FOR UPDATE read.
 */
import type { PoolClient } from 'pg';
import { ident, join, Param, sql, type SqlFragment } from '../sql/fragment.js';
import { Executor } from './executor.js';
import type { StatementNames } from './statement-names.js';

/** Bounds one combined statement: PostgreSQL takes at most 65,535 parameters. */
const MAX_HELD = 100;
const MAX_HELD_PARAMS = 20_000;

const paramCount = (fragment: SqlFragment) => fragment.tokens.reduce((n, t) => (t instanceof Param ? n + 1 : n), 0);

/** `WITH "w0" AS (a), "w1" AS (b) c`: every statement runs, atomically, in one round trip. */
export function combineWrites(statements: readonly SqlFragment[]): SqlFragment {
  if (statements.length === 1) return statements[0]!;
  const ctes = statements.slice(0, -1).map((statement, i) => sql`${ident(`w${i}`)} AS (${statement})`);
  return sql`WITH ${join(ctes)} ${statements[statements.length - 1]!}`;
}

export class TransactionExecutor extends Executor {
  private begun = false;
  private held: SqlFragment[] = [];
  private heldParams = 0;

  constructor(
    private readonly client: PoolClient,
    names: StatementNames,
  ) {
    super(client, names, true);
  }

  override async effect(fragment: SqlFragment): Promise<void> {
    this.assertOpen();
    this.held.push(fragment);
    this.heldParams += paramCount(fragment);
    if (this.held.length >= MAX_HELD || this.heldParams >= MAX_HELD_PARAMS) await this.settle();
  }

  /** Sends what is held back (and, once, BEGIN before it): the writes' failure surfaces here. */
  private async settle(): Promise<void> {
    if (!this.begun) {
      this.assertOpen();
      await this.client.query('BEGIN');
      this.begun = true;
    }
    await this.sendHeld();
  }

  private async sendHeld(): Promise<void> {
    if (this.held.length === 0) return;
    const statement = combineWrites(this.held);
    this.held = [];
    this.heldParams = 0;
    await super.run(statement);
  }

  protected override async run(fragment: SqlFragment) {
    await this.settle();
    return super.run(fragment);
  }

  override async ddl(fragment: SqlFragment): Promise<void> {
    await this.settle();
    return super.ddl(fragment);
  }

  /** COMMIT; or, when nothing needed a transaction, the held writes as one autocommitted statement. */
  async commit(): Promise<void> {
    if (!this.begun) return this.sendHeld();
    await this.sendHeld();
    await this.client.query('COMMIT');
  }

  /** ROLLBACK what was sent; what was held back is simply dropped. */
  async rollback(): Promise<void> {
    this.held = [];
    if (this.begun) await this.client.query('ROLLBACK');
  }
}
