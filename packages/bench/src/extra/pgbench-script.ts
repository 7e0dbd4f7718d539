/**
 * Captured statements (pg-capture-proxy.ts) → a pgbench script that replays them, and pgbench's report → numbers.
 *
 * pgbench reads `:name` anywhere in a SQL command as a variable, even inside a string literal, so no value is
 * ever written into the script: each `$n` becomes a variable. Ids that must be new per run of the script are
 * drawn there with `\set`; every other value (timestamps, the ACL JSON `{"…":{"read":true}}`, `role:managers`
 * in the permission arrays) is passed verbatim with `-D name=value`, which pgbench binds as a parameter without
 * reading it. A NULL parameter becomes the literal NULL (a pgbench variable cannot hold SQL NULL), an empty string
 * the literal '' (pgbench refuses an empty `-D`).
 */
import type { Executed } from './pg-capture-proxy.js';

export interface Transaction {
  conn: number;
  statements: Executed[];
  committed: boolean;
  /**
   * One statement sent without BEGIN: the server's write of several rows held back into one statement of CTEs
   * (storage/postgres/transaction-executor.ts), atomic by itself — a deal create.
   */
  autocommit?: boolean;
}

/** Statements that write, for telling an autocommitted write apart from a plain read. */
const WRITES = /^\s*(WITH\b[\s\S]*\b(INSERT|UPDATE|DELETE)\b|INSERT|UPDATE|DELETE)/i;

/**
 * BEGIN … COMMIT/ROLLBACK groups per connection, and writes sent on their own (autocommitted), in the order
 * they ended; the other statements run outside a transaction (reads) apart.
 */
export function splitTransactions(executed: readonly Executed[]): { transactions: Transaction[]; outside: Executed[] } {
  const open = new Map<number, Executed[]>();
  const transactions: Transaction[] = [];
  const outside: Executed[] = [];
  for (const e of executed) {
    const word = e.simple ? e.text.trim().toUpperCase() : '';
    const current = open.get(e.conn);
    if (word === 'BEGIN') open.set(e.conn, []);
    else if (word === 'COMMIT' || word === 'ROLLBACK') {
      if (current) transactions.push({ conn: e.conn, statements: current, committed: word === 'COMMIT' });
      open.delete(e.conn);
    } else if (current) current.push(e);
    else if (WRITES.test(e.text)) transactions.push({ conn: e.conn, statements: [e], committed: true, autocommit: true });
    else outside.push(e);
  }
  return { transactions, outside };
}

/** Wide enough that no two runs of the script practically ever draw one id (p ≈ 1e-5 at 400,000 rows). */
export const ID_RANGE = [1_000_000_000_000_000, 8_999_999_999_999_999] as const; // 16 digits, below 2^53

export interface PgbenchScript {
  text: string;
  /** `-D name=value` pairs. */
  defines: [string, string][];
}

/**
 * The script: one `\set` per fresh id, then each transaction as BEGIN; statements; COMMIT (an autocommitted
 * write as itself). `freshIds` maps a
 * captured value (the deal's objectId, its history row's) to the variable drawn for it.
 */
export function pgbenchScript(transactions: readonly Transaction[], freshIds: ReadonlyMap<string, string>): PgbenchScript {
  const constants = new Map<string, string>();
  const lines = [...new Set(freshIds.values())].map((name) => `\\set ${name} random(${ID_RANGE[0]}, ${ID_RANGE[1]})`);
  for (const tx of transactions) {
    if (!tx.autocommit) lines.push('BEGIN;');
    for (const statement of tx.statements) lines.push(`${scriptStatement(statement, freshIds, constants)};`);
    if (!tx.autocommit) lines.push('COMMIT;');
  }
  return { text: `${lines.join('\n')}\n`, defines: [...constants].map(([value, name]) => [name, value]) };
}

function scriptStatement(statement: Executed, freshIds: ReadonlyMap<string, string>, constants: Map<string, string>): string {
  const { text, params } = statement;
  // `::type` casts are the only colons pgbench leaves alone; anything else would be taken for a variable.
  if (/:[\p{L}\p{N}_]/u.test(text.replace(/::+/g, ''))) throw new Error(`pgbench would read a variable in: ${text}`);
  if (text.includes(';')) throw new Error(`a statement with a semicolon cannot be replayed as one command: ${text}`);
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === undefined) throw new Error(`no value for $${n} in: ${text}`);
    if (value === null) return 'NULL';
    if (value === '') return "''"; // pgbench refuses `-D name=`
    if (typeof value !== 'string') throw new Error(`binary parameter $${n} in: ${text}`);
    const fresh = freshIds.get(value);
    if (fresh) return `:${fresh}`;
    for (const id of freshIds.keys())
      if (value.includes(id)) throw new Error(`parameter $${n} embeds the per-request id ${id}: ${value}`);
    let name = constants.get(value);
    if (!name) constants.set(value, (name = `v${constants.size + 1}`));
    return `:${name}`;
  });
}

export interface PgbenchReport {
  tps: number;
  transactions: number;
  failed: number;
  latencyMs: number;
}

/** The summary pgbench 15 prints (`tps = … (without initial connection time)`). */
export function parsePgbench(output: string): PgbenchReport {
  const number = (pattern: RegExp, what: string, fallback?: number) => {
    const match = pattern.exec(output);
    if (match) return Number(match[1]);
    if (fallback !== undefined) return fallback;
    throw new Error(`pgbench printed no ${what}:\n${output}`);
  };
  return {
    tps: number(/^tps = ([\d.]+) \(without initial connection time\)/m, 'tps'),
    transactions: number(/^number of transactions actually processed: (\d+)/m, 'transaction count'),
    failed: number(/^number of failed transactions: (\d+)/m, 'failure count', 0),
    latencyMs: number(/^latency average = ([\d.]+) ms/m, 'average latency'),
  };
}
