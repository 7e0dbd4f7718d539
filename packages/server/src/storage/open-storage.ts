import type { ServerConfig } from '../config/config.js';
import type { StorageAdapter } from './adapter.js';
import { SqliteAdapter } from './sqlite/sqlite-adapter.js';

/** Embedded SQLite by default; PostgreSQL when DATABASE_URL is set. */
export async function openStorage(config: ServerConfig): Promise<StorageAdapter> {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set, but this build has no PostgreSQL adapter yet; unset it to use embedded SQLite');
  }
  return new SqliteAdapter({ dataDir: config.dataDir });
}
