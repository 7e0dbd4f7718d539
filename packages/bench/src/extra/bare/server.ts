/**
 * Child process: the "bare" server of bench:write-ceiling — node:http + better-sqlite3 and nothing else,
 * answering just the requests of the create + update scenario (and a GET for its pre-flight). It is a
 * measuring stick for what this machine can do, not a product: sessions are a preloaded Map, there are no
 * hooks, no class-level permissions, no LiveQuery, no logging.
 *
 * Environment: PORT, BARE_CONFIG (JSON file: appId, dbFile, fields = ours' Deal fields, sessions = token → userId),
 * BARE_GROUP_COMMIT=1 to share commits between the writes of one event-loop turn, as ours does,
 * BARE_FORECAST=1 to write, as ours does with every deal, its stage-history and forecast-rollup rows.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  BadRequest,
  changeRow,
  contributionRow,
  grants,
  historyRow,
  newObjectId,
  newRow,
  storedValue,
  wireObject,
  type Fields,
} from './deal-row.js';
import { openDealStore } from './deal-store.js';

interface BareConfig {
  appId: string;
  dbFile: string;
  fields: Fields;
  sessions: Record<string, string>;
}

const config = JSON.parse(readFileSync(process.env.BARE_CONFIG ?? '', 'utf8')) as BareConfig;
const port = Number(process.env.PORT);
const sessions = new Map(Object.entries(config.sessions));
const FORECAST = process.env.BARE_FORECAST === '1';
const store = openDealStore(config.dbFile, { forecast: FORECAST });
const COLLECTION = '/parse/classes/Deal';
const OBJECT_PREFIX = `${COLLECTION}/`;
const NOT_FOUND = '{"code":101,"error":"Object not found."}';
const GROUP_COMMIT = process.env.BARE_GROUP_COMMIT === '1';

/** One write, answered by `then` once committed: alone, or in a commit group (BARE_GROUP_COMMIT=1). */
function write<T>(work: () => T, then: (result: T) => void): void {
  if (GROUP_COMMIT) store.joinGroup(work, then);
  else then(store.transaction(work));
}

function send(res: ServerResponse, status: number, body: string, location?: string): void {
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  };
  if (location) headers.Location = location;
  res.writeHead(status, headers);
  res.end(body);
}

function create(res: ServerResponse, userId: string, body: unknown): void {
  const now = new Date().toISOString();
  const objectId = newObjectId();
  const row = newRow(body, config.fields, now, objectId);
  write(
    () => {
      store.insert(row);
      if (!FORECAST) return;
      if (row.stage !== null) store.insertHistory(historyRow(row, userId, newObjectId()));
      store.appendDelta(contributionRow(row));
    },
    () => send(res, 201, JSON.stringify({ objectId, createdAt: now }), `http://127.0.0.1:${port}${OBJECT_PREFIX}${objectId}`),
  );
}

function update(res: ServerResponse, objectId: string, userId: string, body: unknown): void {
  const keys = typeof body === 'object' && body !== null ? Object.keys(body) : [];
  if (keys.length !== 1 || keys[0] !== 'amount') throw new BadRequest(105, 'the bare server only updates amount');
  const field = config.fields.amount;
  if (!field) throw new BadRequest(105, 'Deal has no amount field');
  const amount = storedValue('amount', field, (body as { amount: unknown }).amount) as number | null;
  const updatedAt = new Date().toISOString();
  write(
    () => {
      if (FORECAST) {
        const was = store.forecastColumns(objectId);
        if (was === undefined || !grants(String(was._wperm), userId)) return false;
        store.updateAmount(objectId, amount, updatedAt);
        const delta = changeRow(contributionRow(was), contributionRow({ ...was, amount }));
        if (delta) store.appendDelta(delta);
        return true;
      }
      const wperm = store.writePermission(objectId);
      if (wperm === undefined || !grants(wperm, userId)) return false;
      store.updateAmount(objectId, amount, updatedAt);
      return true;
    },
    (found) => (found ? send(res, 200, JSON.stringify({ updatedAt })) : send(res, 404, NOT_FOUND)),
  );
}

function read(res: ServerResponse, objectId: string, userId: string): void {
  const row = store.read(objectId);
  if (!row || !grants(String(row._rperm), userId)) send(res, 404, NOT_FOUND);
  else send(res, 200, JSON.stringify(wireObject(row, config.fields)));
}

function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
  const path = (req.url ?? '').split('?', 1)[0]!;
  if (path === '/parse/health') return send(res, 200, '{"status":"ok"}');
  if (req.headers['x-parse-application-id'] !== config.appId) return send(res, 403, '{"error":"unauthorized"}');
  const token = req.headers['x-parse-session-token'];
  const userId = typeof token === 'string' ? sessions.get(token) : undefined;
  if (!userId) return send(res, 400, '{"code":209,"error":"Invalid session token"}');
  let body: unknown;
  try {
    body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    return send(res, 400, '{"code":107,"error":"Invalid JSON"}');
  }
  const objectId = path.startsWith(OBJECT_PREFIX) ? path.slice(OBJECT_PREFIX.length) : undefined;
  try {
    if (req.method === 'POST' && path === COLLECTION) create(res, userId, body);
    else if (req.method === 'PUT' && objectId) update(res, objectId, userId, body);
    else if (req.method === 'GET' && objectId) read(res, objectId, userId);
    else send(res, 404, '{"code":1,"error":"not served by the bare server"}');
  } catch (error) {
    if (error instanceof BadRequest) send(res, 400, JSON.stringify({ code: error.code, error: error.message }));
    else {
      console.error(error);
      send(res, 500, '{"code":1,"error":"Internal server error."}');
    }
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => handle(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
});
server.listen(port, '127.0.0.1');

const shutdown = () => {
  server.close(() => {
    void store.close().then(() => process.exit(0));
  });
  // Idle keep-alive connections of the load generator would otherwise hold close() open.
  server.closeAllConnections();
};
// The runner holds our stdin open; EOF means it is gone, and an orphaned server must not linger.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
