/**
 * Child process: the reference Parse Server at /parse with its LiveQuery server on the same HTTP server
 * (WebSocket upgrades on any path), LiveQuery enabled for Deal. Configuration comes from the environment.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { ParseServer } from 'parse-server';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const port = Number(required('PORT'));
const appId = required('APP_ID');
const masterKey = required('MASTER_KEY');
const serverURL = `http://127.0.0.1:${port}/parse`;
const options = {
  appId,
  masterKey,
  maintenanceKey: randomBytes(24).toString('hex'),
  databaseURI: required('DATABASE_URI'),
  serverURL,
  allowClientClassCreation: false,
  logsFolder: required('LOGS_DIR'),
  logLevel: 'warn',
  // Makes REST writes publish to the (in-process) LiveQuery pub/sub.
  liveQuery: { classNames: ['Deal'] },
};
const server = ParseServer(options);
await server.start();

const app = express();
app.use('/parse', server.app);
const http = app.listen(port, '127.0.0.1');
await ParseServer.createLiveQueryServer(http, { appId, masterKey, serverURL, logLevel: 'ERROR' }, options);

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
const shutdown = () => {
  http.closeAllConnections?.();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
