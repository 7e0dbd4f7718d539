/**
 * Test-only: a throw-away PostgreSQL schema on the local test server (127.0.0.1:5432, user postgres,
 * database test). `pg` ships without types in this repo, so the few calls used are typed here.
 */
import { randomBytes } from 'node:crypto';
import { quoteIdent, render, type SqlFragment } from './fragment.js';

interface PgClient {
  connect(): Promise<void>;
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

export interface PgTestDb {
  all(fragment: SqlFragment): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A connected client inside a fresh schema, or undefined (with one printed line) when no server answers. */
export async function openPgTestDb(): Promise<PgTestDb | undefined> {
  const moduleName = 'pg';
  const pg = (await import(moduleName)).default as { Client: new (config: object) => PgClient };
  const client = new pg.Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'test',
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
  } catch (error) {
    console.log(`PostgreSQL unreachable, skipping PostgreSQL tests (${(error as Error).message})`);
    return undefined;
  }
  const schema = quoteIdent(`qc_test_${randomBytes(6).toString('hex')}`);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  return {
    all: async (fragment) => {
      const { text, params } = render(fragment, 'postgres');
      return (await client.query(text, params)).rows;
    },
    close: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
