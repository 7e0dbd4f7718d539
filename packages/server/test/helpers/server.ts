/**
 * Starts a real server for an integration test: our own (in-process, fresh data dir, free port) by default, or
 * parse-server 9.10 on PostgreSQL when CRM_TEST_TARGET=reference, so the same suites can be measured against
 * the reference and then run against ours. Tests talk to either only through HTTP and the `parse` SDK.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { ServerConfig } from '../../src/config/config.js';

export interface TestServer {
  /** `http://127.0.0.1:<port>/parse` */
  serverURL: string;
  appId: string;
  masterKey: string;
  javascriptKey?: string;
  /** Our server's services, for tests that compare two internal paths (absent for the reference target). */
  services?: import('../../src/service/services.js').Services;
  close(): Promise<void>;
}

export type TestTarget = 'ours' | 'reference';

export const TEST_TARGET: TestTarget = process.env.CRM_TEST_TARGET === 'reference' ? 'reference' : 'ours';

/**
 * True when the suite runs against parse-server. Cases that exercise a deliberate extension of ours (polymorphic
 * pointers, stricter validation) use `it.skipIf(isReference)` or branch on it.
 */
export const isReference = TEST_TARGET === 'reference';

/**
 * Overrides for suites about the data API alone: our CRM policy (auth-only CLPs, owner ACLs) off, so both targets
 * have plain Parse semantics with public class-level permissions.
 */
export const DATA_API_ONLY: Partial<ServerConfig> = { crmPolicy: false };

/** Postgres server the reference target creates its throw-away databases on (trust auth). */
const REFERENCE_PG = process.env.CRM_REFERENCE_PG ?? 'postgres://postgres@127.0.0.1:5432';

/** Starting parse-server and creating its schema takes a few seconds; hooks that call startTestServer need this. */
export const START_TIMEOUT_MS = 60_000;

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  return isReference ? startReferenceServer(overrides) : startOurServer(overrides);
}

/**
 * Our storage under test: embedded SQLite by default; CRM_TEST_STORAGE=postgres runs the same suites on
 * PostgreSQL, each server in a fresh schema of the test database that is dropped when it closes.
 */
export const OUR_STORAGE: 'sqlite' | 'postgres' = process.env.CRM_TEST_STORAGE === 'postgres' ? 'postgres' : 'sqlite';
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function dropSchema(schema: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

async function startOurServer(overrides: Partial<ServerConfig>): Promise<TestServer> {
  const { startServer } = await import('../../src/server.js');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-test-'));
  const appId = overrides.appId ?? 'test-app';
  const masterKey = overrides.masterKey ?? randomBytes(12).toString('hex');
  const schema = OUR_STORAGE === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const storage = schema ? { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema } : {};
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    appId,
    masterKey,
    logLevel: 'silent',
    ...storage,
    ...overrides,
  });
  return {
    serverURL: running.serverURL,
    appId,
    masterKey,
    javascriptKey: overrides.javascriptKey,
    services: running.services,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reference target: parse-server 9.10 (root node_modules) on a fresh Postgres database per test file.

interface SchemaFile {
  classes: { className: string; fields: Record<string, { type: string; targetClass?: string; required?: boolean }> }[];
}

const PUBLIC_CLP = {
  find: { '*': true },
  count: { '*': true },
  get: { '*': true },
  create: { '*': true },
  update: { '*': true },
  delete: { '*': true },
  addField: { '*': true },
  protectedFields: { '*': [] },
};

/** Fields every Parse class has; the schema API refuses them in a class definition. */
const BUILT_IN_FIELDS = new Set(['objectId', 'createdAt', 'updatedAt', 'ACL']);

/** parse-server has no polymorphic pointers, so the reference gets the closest declarable type. */
const REFERENCE_TARGET_FOR_UNTYPED_POINTER: Record<string, string> = { 'Activity.relatedTo': 'Deal' };

function crmSchema(): SchemaFile {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return JSON.parse(readFileSync(path.join(here, '../../src/schema/crm.schema.json'), 'utf8')) as SchemaFile;
}

/** The slice of `pg` used here; the package ships no types and adding @types/pg is not worth it for two statements. */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
interface PgModule {
  Client: new (options: { connectionString: string }) => PgClient;
}

async function withAdminDb<T>(fn: (query: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const pg = createRequire(import.meta.url)('pg') as PgModule;
  const client = new pg.Client({ connectionString: `${REFERENCE_PG}/test` });
  await client.connect();
  try {
    return await fn((sql) => client.query(sql));
  } finally {
    await client.end();
  }
}

/**
 * parse-server's shutdown ends its connection pool without waiting for it, and a connection killed by
 * `DROP DATABASE … WITH (FORCE)` surfaces as an uncaught error that makes parse-server exit the process.
 * So wait for its sessions to go away on their own, and force only as a last resort.
 */
async function dropDatabase(database: string): Promise<void> {
  await withAdminDb(async (query) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const result = (await query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = '${database}'`)) as {
        rows: { n: number }[];
      };
      if (result.rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * parse-server 9.10's current defaults for options whose default a later release changes. Setting them keeps its
 * deprecation notices out of the test output and keeps the measured behaviour from shifting under the suites
 * (notably: no request-complexity limits, so deep `$or` nesting reaches the query engine).
 */
const PINNED_DEFAULTS = {
  requestComplexity: {
    includeDepth: -1,
    includeCount: -1,
    subqueryDepth: -1,
    queryDepth: -1,
    graphQLDepth: -1,
    graphQLFields: -1,
    batchRequestLimit: -1,
  },
  protectedFieldsOwnerExempt: true,
  protectedFieldsTriggerExempt: false,
  protectedFieldsSaveResponseExempt: true,
  installation: { duplicateDeviceTokenActionEnforceAuth: false },
  allowAggregationForReadOnlyMasterKey: true,
  pages: { encodePageParamHeaders: false },
  readOnlyMasterKeyIps: ['0.0.0.0/0', '::0'],
  fileUpload: { allowedFileUrlDomains: ['*'] },
};

async function startReferenceServer(overrides: Partial<ServerConfig>): Promise<TestServer> {
  if (overrides.crmPolicy === true) throw new Error('reference: the CRM policy is not modelled; classes get public CLPs');
  const appId = overrides.appId ?? 'test-app';
  const masterKey = overrides.masterKey ?? randomBytes(12).toString('hex');
  const mountPath = overrides.mountPath ?? '/parse';
  const database = `ref_${randomBytes(6).toString('hex')}`;
  await withAdminDb((query) => query(`CREATE DATABASE ${database}`));
  try {
    return await startParseServerOn(database, { appId, masterKey, mountPath, overrides });
  } catch (error) {
    await dropDatabase(database);
    throw error;
  }
}

async function startParseServerOn(
  database: string,
  {
    appId,
    masterKey,
    mountPath,
    overrides,
  }: { appId: string; masterKey: string; mountPath: string; overrides: Partial<ServerConfig> },
): Promise<TestServer> {
  const express = (await import('express')).default;
  const parseServerModule = (await import('parse-server')) as unknown as Record<string, unknown>;
  const ParseServer = resolveParseServerClass(parseServerModule);

  const app = express();
  const httpServer = createServer(app);
  const port = await listen(httpServer);
  const serverURL = `http://127.0.0.1:${port}${mountPath}`;

  // parse-server applies its defaults only to absent keys; an explicit `undefined` (e.g. defaultLimit) breaks it.
  const optional = Object.fromEntries(
    Object.entries({
      javascriptKey: overrides.javascriptKey,
      restAPIKey: overrides.restApiKey,
      maxUploadSize: overrides.bodyLimitBytes !== undefined ? `${Math.ceil(overrides.bodyLimitBytes / 1024)}kb` : undefined,
      defaultLimit: overrides.defaultLimit,
      maxLimit: overrides.maxLimit,
    }).filter(([, value]) => value !== undefined),
  );
  const parseServer = new ParseServer({
    ...optional,
    appId,
    masterKey,
    databaseURI: `${REFERENCE_PG}/${database}`,
    serverURL,
    mountPath,
    allowClientClassCreation: overrides.allowClientClassCreation ?? false,
    // Ours deduplicates by X-Parse-Request-Id out of the box; parse-server only when asked to.
    idempotencyOptions: { paths: ['.*'], ttl: 300 },
    // Keep the SDK inside parse-server from short-circuiting HTTP, so every request is measured on the wire.
    directAccess: false,
    ...PINNED_DEFAULTS,
    silent: process.env.CRM_REFERENCE_LOGS !== '1',
    logLevel: process.env.CRM_REFERENCE_LOGS === '1' ? 'info' : 'error',
  });
  try {
    await parseServer.start();
  } catch (error) {
    httpServer.close();
    throw error;
  }
  app.use(mountPath, parseServer.app);
  // parse-server answers a body-parser error or a 500 and then still passes the error on; express's final handler
  // then destroys the socket, so the next keep-alive request from the same client fails with "other side closed".
  // The answer is what the suites measure, so the already-answered error stops here.
  app.use((error: unknown, _req: unknown, res: { headersSent: boolean }, next: (error?: unknown) => void) => {
    if (!res.headersSent) next(error);
  });

  // handleShutdown() closes the HTTP server parse-server believes it started; here that is ours.
  parseServer.server = httpServer;
  const stop = async (): Promise<void> => {
    const shutdown = parseServer.handleShutdown();
    httpServer.closeAllConnections();
    await shutdown;
  };

  try {
    await createCrmClasses(serverURL, appId, masterKey);
  } catch (error) {
    // The caller drops the database.
    await stop();
    throw error;
  }
  return {
    serverURL,
    appId,
    masterKey,
    javascriptKey: overrides.javascriptKey,
    async close() {
      await stop();
      await dropDatabase(database);
    },
  };
}

interface ParseServerInstance {
  start(): Promise<unknown>;
  readonly app: (req: unknown, res: unknown, next: unknown) => void;
  handleShutdown(): Promise<void>;
  server?: Server;
}
type ParseServerClass = new (options: Record<string, unknown>) => ParseServerInstance;

/** parse-server is CommonJS with `exports.default = class`; through ESM interop that class sits one level down. */
function resolveParseServerClass(mod: Record<string, unknown>): ParseServerClass {
  const outer = mod.default as Record<string, unknown> | ParseServerClass;
  if (typeof outer === 'function') return outer;
  return outer.default as ParseServerClass;
}

async function createCrmClasses(serverURL: string, appId: string, masterKey: string): Promise<void> {
  for (const cls of crmSchema().classes) {
    // _User is built into parse-server with username/email/password already.
    if (cls.className.startsWith('_')) continue;
    const fields: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(cls.fields)) {
      if (BUILT_IN_FIELDS.has(name)) continue;
      const targetClass = def.targetClass ?? REFERENCE_TARGET_FOR_UNTYPED_POINTER[`${cls.className}.${name}`];
      fields[name] = { type: def.type, ...(targetClass ? { targetClass } : {}), ...(def.required ? { required: true } : {}) };
    }
    const response = await fetch(`${serverURL}/schemas/${cls.className}`, {
      method: 'POST',
      headers: { 'X-Parse-Application-Id': appId, 'X-Parse-Master-Key': masterKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ className: cls.className, fields, classLevelPermissions: PUBLIC_CLP }),
    });
    if (!response.ok) throw new Error(`reference: creating ${cls.className} failed: ${response.status} ${await response.text()}`);
  }
}
