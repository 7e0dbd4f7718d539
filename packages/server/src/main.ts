#!/usr/bin/env node
/** `npm start`: the server with configuration from the environment. */
import { startServer } from './server.js';
import { ConfigError } from './config/config.js';

try {
  const server = await startServer();
  console.log(`CRM server ready: ${server.serverURL} (app id "${server.config.appId}", data in ${server.config.dataDir})`);
  const stop = async (signal: string) => {
    console.log(`${signal}: draining requests and shutting down`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
