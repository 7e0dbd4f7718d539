/**
 * A loopback relay in front of PostgreSQL that records every statement a client executes, with its parameters
 * exactly as sent. bench:pg-write-ceiling puts it between our server and PostgreSQL to learn the statements one
 * REST create and one update send: no server change, no server log to find and parse, and the texts and values
 * are the bytes on the wire rather than a reconstruction. Only the client's side is decoded (frontend messages
 * Parse, Bind and Query of protocol 3.0); PostgreSQL's replies pass through untouched.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { onCleanup } from '../cleanup.js';

export interface Executed {
  /** The client connection it ran on (accept order). */
  conn: number;
  /** Order over all connections. */
  seq: number;
  text: string;
  /** Text-format parameters, null for SQL NULL, `binary` when sent in binary format (none are, from pg). */
  params: (string | null | { binary: string })[];
  /** A simple-protocol Query (BEGIN, COMMIT, DDL) rather than Parse/Bind. */
  simple: boolean;
}

export interface CaptureProxy {
  port: number;
  executed: Executed[];
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

const cstring = (buf: Buffer, at: number): [string, number] => {
  const end = buf.indexOf(0, at);
  return [buf.toString('utf8', at, end), end + 1];
};

/** Decodes one connection's frontend byte stream into executed statements. */
class FrontendTap {
  private pending: Buffer = Buffer.alloc(0);
  private startup = true;
  /** Statement name → text, per connection ('' is the unnamed statement, replaced by every unnamed Parse). */
  private readonly prepared = new Map<string, string>();

  constructor(private readonly onExecute: (text: string, params: Executed['params'], simple: boolean) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (this.startup) {
        // Startup-phase messages carry no type byte; encryption requests come before the real startup message.
        if (this.pending.length < 8 || this.pending.length < this.pending.readInt32BE(0)) return;
        const code = this.pending.readInt32BE(4);
        this.pending = this.pending.subarray(this.pending.readInt32BE(0));
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.startup = false;
        continue;
      }
      if (this.pending.length < 5 || this.pending.length < 1 + this.pending.readInt32BE(1)) return;
      const length = this.pending.readInt32BE(1);
      this.message(String.fromCharCode(this.pending[0]!), this.pending.subarray(5, 1 + length));
      this.pending = this.pending.subarray(1 + length);
    }
  }

  private message(type: string, body: Buffer): void {
    if (type === 'Q') this.onExecute(cstring(body, 0)[0], [], true);
    else if (type === 'P') {
      const [name, at] = cstring(body, 0);
      this.prepared.set(name, cstring(body, at)[0]);
    } else if (type === 'B') {
      const [, afterPortal] = cstring(body, 0);
      const [statement, afterName] = cstring(body, afterPortal);
      let at = afterName;
      const formatCount = body.readInt16BE(at);
      const formats = Array.from({ length: formatCount }, (_, i) => body.readInt16BE(at + 2 + 2 * i));
      at += 2 + 2 * formatCount;
      const paramCount = body.readInt16BE(at);
      at += 2;
      const params: Executed['params'] = [];
      for (let i = 0; i < paramCount; i++) {
        const length = body.readInt32BE(at);
        at += 4;
        if (length < 0) {
          params.push(null);
          continue;
        }
        const bytes = body.subarray(at, at + length);
        at += length;
        const binary = (formatCount === 1 ? formats[0] : formats[i]) === 1;
        params.push(binary ? { binary: bytes.toString('hex') } : bytes.toString('utf8'));
      }
      this.onExecute(this.prepared.get(statement) ?? `(unknown statement ${statement})`, params, false);
    }
  }
}

/** Starts the relay on a free loopback port; it is closed at cleanup too. */
export async function startCaptureProxy(pgHost = '127.0.0.1', pgPort = 5432): Promise<CaptureProxy> {
  const executed: Executed[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    const conn = connections++;
    const upstream = createConnection({ host: pgHost, port: pgPort });
    sockets.add(client).add(upstream);
    const tap = new FrontendTap((text, params, simple) => executed.push({ conn, seq: executed.length, text, params, simple }));
    client.on('data', (chunk: Buffer) => {
      tap.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const close = onCleanup(`close the PostgreSQL capture relay on port ${port}`, async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port, executed, close };
}
