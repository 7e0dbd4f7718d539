/**
 * Schema migrations (init, saveSchema, deleteClass) run one at a time per PostgreSQL schema, across every
 * instance sharing the database. `CREATE ... IF NOT EXISTS` alone is not enough: two sessions creating the
 * same table at once can both pass the check and one then fails on the catalog's unique index. The lock is
 * transaction-scoped, so COMMIT or ROLLBACK releases it, and an instance that dies mid-migration cannot
 * leave it held.
 */
import { sql, type SqlFragment } from '../sql/fragment.js';

/** First half of the two-part advisory key ('CRM'), so our locks cannot collide with other applications'. */
const LOCK_CLASS = 0x43524d;

export const migrationLock = (schemaName: string): SqlFragment =>
  sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${schemaName}))`;
