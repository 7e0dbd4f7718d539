/**
 * What every command shares: the storage flags on top of the server's own configuration (so `crm` always
 * acts on the database `npm start` would use), and services opened for one command and closed after it.
 */
import { loadConfig, type ServerConfig } from '../config/config.js';
import { openStorage } from '../storage/open-storage.js';
import { createServices, type Services } from '../service/services.js';
import type { CliIO, Terminal } from './io.js';

export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
}

export interface CliContext {
  io: CliIO;
  term: Terminal;
}

export function cliConfig(options: GlobalOptions, io: CliIO, extra: Partial<ServerConfig> = {}): ServerConfig {
  return loadConfig(
    {
      logLevel: 'silent',
      ...extra,
      dataDir: options.dataDir,
      databaseUrl: options.databaseUrl,
      databaseSchema: options.databaseSchema,
    },
    io.env,
  );
}

/** Where the data lives, for messages: "SQLite in ./data" or "PostgreSQL schema public". */
export function describeStore(config: ServerConfig): string {
  if (!config.databaseUrl) return `SQLite in ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname} (schema ${config.databaseSchema ?? 'public'})`;
}

export async function withServices<T>(options: GlobalOptions, io: CliIO, work: (services: Services) => Promise<T>): Promise<T> {
  const config = cliConfig(options, io);
  const storage = await openStorage(config);
  let services: Services | undefined;
  try {
    services = await createServices(config, storage, () => config.serverUrl ?? '');
    return await work(services);
  } finally {
    await services?.feed.close();
    await services?.bus.close();
    await storage.close();
  }
}
