import type { ServerConfig } from '../config/config.js';
import type { StorageAdapter } from './adapter.js';
import { SqliteAdapter } from './sqlite/sqlite-adapter.js';
import { PostgresAdapter } from './postgres/postgres-adapter.js';

/** Embedded SQLite by default; PostgreSQL when DATABASE_URL is set. */
export async function openStorage(config: ServerConfig): Promise<StorageAdapter> {
  if (config.databaseUrl) return new PostgresAdapter({ connectionString: config.databaseUrl, schemaName: config.databaseSchema });
  return new SqliteAdapter({ dataDir: config.dataDir });
}
