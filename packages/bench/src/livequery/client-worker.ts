/**
 * Child process holding a share of the benchmark's LiveQuery subscribers: raw `ws` clients (no SDK), each
 * sending `connect` then `subscribe` to Deal where {stage}. Event frames are read minimally — the op and the
 * write's sequence number (the `notes` value "lq:<seq>" of the new object version), found by byte search, no
 * JSON.parse — and recorded with their arrival time into typed arrays the runner collects over IPC.
 *
 * IPC (process.send / 'message', advanced serialization):
 *   ← {type:'connect', appId, clients:[{url, token, stage}], concurrency}  → {type:'connected', ...}
 *   ← {type:'clock', id}                                                     → {type:'clock', id, t}
 *   ← {type:'collect'}                                                       → {type:'events', ...} (and reset)
 *   ← {type:'close'}                                                         → closes every socket, exits
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface ClientAssignment {
  url: string;
  token: string;
  stage: string;
}

export type WorkerRequest =
  | { type: 'connect'; appId: string; clients: ClientAssignment[]; concurrency: number; timeoutMs: number }
  | { type: 'clock'; id: number }
  | { type: 'collect' }
  | { type: 'close' };

export interface EventBatch {
  type: 'events';
  count: number;
  seq: Uint32Array;
  time: Float64Array;
  /** Index of the receiving client within this worker's assignment list. */
  client: Uint32Array;
  op: Uint8Array;
  /** Frames that were not events of ours (error frames, frames without a sequence number, ...). */
  oddFrames: number;
  oddSamples: string[];
  /** Sockets that closed or failed after subscribing. */
  closed: number;
  closeSamples: string[];
  loopDelayMs: { p50: number; p99: number; max: number };
}

export type WorkerReply =
  | { type: 'connected'; subscribed: number; failed: number; errors: string[]; ms: number }
  | { type: 'clock'; id: number; t: number }
  | EventBatch
  | { type: 'closed' };

export const OP_CODES = { enter: 1, leave: 2, update: 3, create: 4, delete: 5 } as const;
export const OP_NAMES = ['?', 'enter', 'leave', 'update', 'create', 'delete'] as const;

const wallClock = (): number => performance.timeOrigin + performance.now();

const OP_KEY = Buffer.from('"op":"');
const OBJECT_KEY = Buffer.from('"object":');
const NOTES_KEY = Buffer.from('"notes":"lq:');
const QUOTE = 0x22;

function opCodeOf(data: Buffer): { code: number; name: string } {
  const at = data.indexOf(OP_KEY);
  if (at < 0) return { code: 0, name: '' };
  const start = at + OP_KEY.length;
  const end = data.indexOf(QUOTE, start);
  const name = data.toString('latin1', start, end < 0 ? start : end);
  return { code: (OP_CODES as Record<string, number>)[name] ?? 0, name };
}

/** The "lq:<seq>" of the object (not of `original`, which follows it), or -1. */
function seqOf(data: Buffer): number {
  const objectAt = data.indexOf(OBJECT_KEY);
  if (objectAt < 0) return -1;
  const at = data.indexOf(NOTES_KEY, objectAt);
  if (at < 0) return -1;
  let n = 0;
  let i = at + NOTES_KEY.length;
  for (; i < data.length; i++) {
    const c = data[i]!;
    if (c === QUOTE) break;
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return i === at + NOTES_KEY.length ? -1 : n;
}

class EventLog {
  count = 0;
  seq = new Uint32Array(1 << 16);
  time = new Float64Array(1 << 16);
  client = new Uint32Array(1 << 16);
  op = new Uint8Array(1 << 16);

  push(seq: number, time: number, client: number, op: number): void {
    if (this.count === this.seq.length) this.grow();
    const i = this.count++;
    this.seq[i] = seq;
    this.time[i] = time;
    this.client[i] = client;
    this.op[i] = op;
  }

  private grow(): void {
    const size = this.seq.length * 2;
    const seq = new Uint32Array(size);
    seq.set(this.seq);
    const time = new Float64Array(size);
    time.set(this.time);
    const client = new Uint32Array(size);
    client.set(this.client);
    const op = new Uint8Array(size);
    op.set(this.op);
    Object.assign(this, { seq, time, client, op });
  }
}

let log = new EventLog();
let oddFrames = 0;
let oddSamples: string[] = [];
let closed = 0;
let closeSamples: string[] = [];
const sockets: WebSocket[] = [];
let closing = false;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const noteOdd = (text: string) => {
  oddFrames++;
  if (oddSamples.length < 5) oddSamples.push(text.slice(0, 300));
};

function connectOne(index: number, a: ClientAssignment, appId: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(a.url, { perMessageDeflate: false, skipUTF8Validation: true });
    sockets[index] = ws;
    let subscribed = false;
    const timer = setTimeout(() => fail(`no "subscribed" within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      if (!subscribed) {
        ws.terminate();
        reject(new Error(`client ${index} (${a.stage}): ${why}`));
      }
    };
    ws.on('open', () => ws.send(JSON.stringify({ op: 'connect', applicationId: appId, sessionToken: a.token })));
    ws.on('error', (error) => (subscribed ? noteClose(index, `error ${error.message}`) : fail(error.message)));
    ws.on('close', (code, reason) =>
      subscribed ? noteClose(index, `close ${code} ${reason.toString()}`) : fail(`closed ${code} ${reason.toString()}`),
    );
    ws.on('message', (raw: WebSocket.RawData, isBinary: boolean) => {
      const t = wallClock();
      const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      const { code, name } = opCodeOf(data);
      if (subscribed && code !== 0) {
        const seq = seqOf(data);
        if (seq < 0) return noteOdd(data.toString());
        log.push(seq, t, index, code);
        return;
      }
      if (isBinary) return noteOdd('(binary frame)');
      if (name === 'connected') {
        ws.send(
          JSON.stringify({
            op: 'subscribe',
            requestId: 1,
            query: { className: 'Deal', where: { stage: a.stage } },
            sessionToken: a.token,
          }),
        );
      } else if (name === 'subscribed' && !subscribed) {
        subscribed = true;
        clearTimeout(timer);
        resolve();
      } else if (name === 'error') {
        if (subscribed) noteOdd(data.toString());
        else fail(`error frame ${data.toString().slice(0, 300)}`);
      } else {
        noteOdd(data.toString());
      }
    });
  });
}

function noteClose(index: number, why: string): void {
  if (closing) return;
  closed++;
  if (closeSamples.length < 5) closeSamples.push(`client ${index}: ${why}`);
}

async function connectAll(msg: Extract<WorkerRequest, { type: 'connect' }>): Promise<WorkerReply> {
  const start = performance.now();
  let next = 0;
  let subscribed = 0;
  const errors: string[] = [];
  const lane = async () => {
    while (next < msg.clients.length) {
      const i = next++;
      try {
        await connectOne(i, msg.clients[i]!, msg.appId, msg.timeoutMs);
        subscribed++;
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(msg.concurrency, msg.clients.length) }, lane));
  return { type: 'connected', subscribed, failed: errors.length, errors: errors.slice(0, 5), ms: performance.now() - start };
}

function collect(): EventBatch {
  const l = log;
  const batch: EventBatch = {
    type: 'events',
    count: l.count,
    seq: l.seq.slice(0, l.count),
    time: l.time.slice(0, l.count),
    client: l.client.slice(0, l.count),
    op: l.op.slice(0, l.count),
    oddFrames,
    oddSamples,
    closed,
    closeSamples,
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  };
  log = new EventLog();
  oddFrames = 0;
  oddSamples = [];
  closed = 0;
  closeSamples = [];
  loopDelay.reset();
  return batch;
}

async function closeAll(): Promise<void> {
  closing = true;
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (!ws || ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 2_000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1000, 'bench done');
        }),
    ),
  );
}

const reply = (message: WorkerReply) => process.send!(message);

process.on('message', (msg: WorkerRequest) => {
  switch (msg.type) {
    case 'connect':
      void connectAll(msg).then(reply);
      break;
    case 'clock':
      reply({ type: 'clock', id: msg.id, t: wallClock() });
      break;
    case 'collect':
      reply(collect());
      break;
    case 'close':
      void closeAll().then(() => {
        reply({ type: 'closed' });
        process.disconnect();
        setTimeout(() => process.exit(0), 100).unref();
      });
      break;
  }
});
// The runner is gone (crash, kill): never outlive it.
process.on('disconnect', () => process.exit(0));
