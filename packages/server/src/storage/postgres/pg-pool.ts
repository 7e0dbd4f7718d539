/**
 * The connection pool. Every connection starts with the adapter's schema as its search_path, passed as a
 * startup option so not one statement can run before it applies (a `SET` after connecting could fail or be
 * overtaken, and the next write would land in another schema). bigint and numeric come back as JS numbers,
 * as SQLite returns them: COUNT(*) is bigint and SUM over integers is numeric, and no count we return nears 2^53.
 *
 * Prepared statements are planned per execution (`plan_cache_mode=force_custom_plan`): a read's permission filter
 * `_rperm && $n` matches every row for a manager and 1/20 of them for a rep, and PostgreSQL's generic plan, which
 * cannot see the array, guesses 1% and picks the GIN index plus a sort — 1.2 s for a manager's pipeline page at
 * 1,000,000 deals instead of 0.5 ms down the (stage, expectedCloseDate) index. Planning such a statement costs
 * about 0.1 ms; the statements stay named, so parsing is still done once (docs/PERFORMANCE.md).
 */
import { Pool, TypeOverrides } from 'pg';

/** Plain identifiers only: the name is used inside a startup option, where quoting rules differ. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export interface PoolOptions {
  connectionString: string;
  schemaName: string;
  poolSize: number;
}

export function assertSchemaName(name: string): void {
  if (!SCHEMA_NAME.test(name)) throw new Error(`invalid PostgreSQL schema name: ${JSON.stringify(name)}`);
}

export function openPool(options: PoolOptions): Pool {
  assertSchemaName(options.schemaName);
  const types = new TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  types.setTypeParser(NUMERIC_OID, Number);
  const pool = new Pool({
    ...withStartupOption(options.connectionString, `-c search_path="${options.schemaName}" -c plan_cache_mode=force_custom_plan`),
    max: options.poolSize,
    types,
    application_name: 'crm-server',
  });
  // An idle connection the server closed: pg-pool has already dropped it and the next checkout opens a fresh
  // one. Without a listener the event would crash the process.
  pool.on('error', () => {});
  return pool;
}

/**
 * pg lets `options` in the connection string override the config's, so when the URL already carries startup
 * options ours are appended there instead of being silently dropped.
 */
function withStartupOption(connectionString: string, option: string): { connectionString: string; options?: string } {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return { connectionString, options: option };
  }
  const existing = url.searchParams.get('options');
  if (existing === null) return { connectionString, options: option };
  url.searchParams.set('options', `${existing} ${option}`);
  return { connectionString: url.toString() };
}
