/**
 * Child process: the reference Parse Server, mounted at /parse on an express app. Configuration comes
 * from the environment so the runner controls ports, keys and the database.
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
const serverURL = `http://127.0.0.1:${port}/parse`;
const server = ParseServer({
  appId: required('APP_ID'),
  masterKey: required('MASTER_KEY'),
  // Required by the option types; the benchmark never uses it, so an unknowable value is safest.
  maintenanceKey: randomBytes(24).toString('hex'),
  databaseURI: required('DATABASE_URI'),
  serverURL,
  allowClientClassCreation: false,
  logsFolder: required('LOGS_DIR'),
  // Request logging would make the reference pay for console I/O the product does not do.
  logLevel: 'warn',
});
await server.start();

const app = express();
app.use('/parse', server.app);
const http = app.listen(port, '127.0.0.1');

// The runner holds our stdin open; EOF means it is gone, and an orphaned server must not linger.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
const shutdown = () => http.close(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
