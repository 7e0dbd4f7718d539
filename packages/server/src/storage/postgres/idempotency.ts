/**
 * `_Idempotency`: request ids claimed by writes, until they expire. Expiry uses the database clock, so
 * instances with skewed clocks agree on it.
 *
 * A claim is one upsert: it inserts the id, or takes over an expired claim of it, and otherwise changes
 * nothing. When another open transaction has just claimed the same id, the upsert waits on that row's lock
 * and then sees the claim if it committed, or takes the id if it rolled back — so of two concurrent claims
 * exactly one succeeds. Expired rows of other ids are purged separately, skipping locked rows, so a claim
 * never waits on cleanup.
 */
import { keyword, sql, type SqlFragment } from '../sql/fragment.js';

const NOW_MS = keyword('(extract(epoch FROM clock_timestamp()) * 1000)::bigint');

export const createIdempotencyTable: SqlFragment = sql`CREATE TABLE IF NOT EXISTS "_Idempotency" ("reqId" TEXT PRIMARY KEY NOT NULL, "expiresAt" BIGINT NOT NULL)`;

export const createExpiryIndex: SqlFragment = sql`CREATE INDEX IF NOT EXISTS "_Idempotency:expiresAt" ON "_Idempotency" ("expiresAt")`;

export const claim = (requestId: string, ttlMs: number): SqlFragment =>
  sql`INSERT INTO "_Idempotency" AS "c" ("reqId", "expiresAt") VALUES (${requestId}, ${NOW_MS} + ${Math.ceil(ttlMs)}) ON CONFLICT ("reqId") DO UPDATE SET "expiresAt" = excluded."expiresAt" WHERE "c"."expiresAt" < ${NOW_MS}`;

export const purgeExpired: SqlFragment = sql`DELETE FROM "_Idempotency" WHERE "reqId" IN (SELECT "reqId" FROM "_Idempotency" WHERE "expiresAt" < ${NOW_MS} FOR UPDATE SKIP LOCKED)`;
