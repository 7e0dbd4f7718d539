/**
 * Runs rendered fragments on the pool or on one transaction's client: hot statements are named (prepared
 * once per connection), driver errors are translated, and a transaction's executor refuses work once the
 * transaction has ended, since its client may already be serving another request.
 */
import type { Pool, PoolClient, QueryResult } from 'pg';

/** The pool, or one transaction's client. */
type Queryable = Pool | PoolClient;
import type { Row } from '../adapter.js';
import { render, type SqlFragment } from '../sql/fragment.js';
import { isStalePlan, translatePgError } from './pg-errors.js';
import type { StatementNames } from './statement-names.js';

export class Executor {
  private ended = false;

  constructor(
    private readonly target: Queryable,
    private readonly names: StatementNames,
    readonly inTransaction: boolean,
  ) {}

  async rows(fragment: SqlFragment): Promise<Row[]> {
    return (await this.run(fragment)).rows;
  }

  /** Rows the statement inserted, updated or deleted. */
  async changes(fragment: SqlFragment): Promise<number> {
    return (await this.run(fragment)).rowCount ?? 0;
  }

  /** Runs a write for its effect only; a transaction's executor may hold it back (TransactionExecutor). */
  async effect(fragment: SqlFragment): Promise<void> {
    await this.run(fragment);
  }

  /** DDL: never prepared, so it goes through the simple protocol. */
  async ddl(fragment: SqlFragment): Promise<void> {
    const { text, params } = render(fragment, 'postgres');
    if (params.length) throw new Error('DDL takes no parameters');
    this.assertOpen();
    await this.target.query(text);
  }

  end(): void {
    this.ended = true;
  }

  protected async run(fragment: SqlFragment): Promise<QueryResult<Row>> {
    const { text, params } = render(fragment, 'postgres');
    this.assertOpen();
    try {
      return await this.target.query<Row>({ name: this.names.nameFor(text), text, values: params });
    } catch (error) {
      if (!isStalePlan(error)) throw translatePgError(error);
      this.names.invalidate();
      // Inside a transaction the error has already aborted it; the caller's retry will use the new name.
      if (this.inTransaction) throw error;
      try {
        return await this.target.query<Row>({ name: this.names.nameFor(text), text, values: params });
      } catch (retryError) {
        throw translatePgError(retryError);
      }
    }
  }

  protected assertOpen(): void {
    if (this.ended) throw new Error('this transaction has already ended');
  }
}
