/**
 * Whether the PostgreSQL and Redis a multi-instance test needs answer here; on a laptop without them such
 * suites skip with one printed line instead of failing.
 */
import pg from 'pg';
import { Redis } from 'ioredis';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** null when both answer, else what could not be reached. */
export async function postgresAndRedisMissing(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.end();
  } catch {
    return `cannot connect to ${TEST_DATABASE_URL}`;
  }
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch {
    return `cannot connect to ${TEST_REDIS_URL}`;
  } finally {
    redis.disconnect();
  }
}
