/** The runner's side of the client processes (client-worker.ts): spawning, connecting, clock sync, collecting. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup, trackPid } from '../cleanup.js';
import type { ClientAssignment, EventBatch, WorkerReply, WorkerRequest } from './client-worker.js';

const WORKER = fileURLToPath(new URL('./client-worker.ts', import.meta.url));
const REPLY_TIMEOUT_MS = 120_000;

export const wallClock = (): number => performance.timeOrigin + performance.now();

interface Worker {
  child: ChildProcess;
  pid: number;
  /** Global client index of each of this worker's clients. */
  globalIndex: number[];
  /** worker clock − runner clock, ms. */
  offsetMs: number;
  exited: Promise<void>;
}

/** Events of all workers, in one set of arrays, client numbers global and times on the runner's clock. */
export interface CollectedEvents {
  count: number;
  seq: Uint32Array;
  time: Float64Array;
  client: Uint32Array;
  op: Uint8Array;
  oddFrames: number;
  oddSamples: string[];
  closed: number;
  closeSamples: string[];
  /** Worst worker's event-loop delay since the previous collect. */
  loopDelayMs: { p50: number; p99: number; max: number };
}

export class ClientFleet {
  private constructor(
    private readonly workers: Worker[],
    readonly stop: () => Promise<void>,
  ) {}

  get pids(): number[] {
    return this.workers.map((w) => w.pid);
  }

  get clockOffsetsMs(): number[] {
    return this.workers.map((w) => w.offsetMs);
  }

  /** Clients are dealt round-robin to `procs` worker processes. */
  static async start(procs: number, clients: number): Promise<ClientFleet> {
    const workers: Worker[] = [];
    for (let p = 0; p < procs; p++) {
      const child = fork(WORKER, [], {
        // LQBENCH_CLIENT_PROF=<dir> profiles the client processes too (to check they are not the bottleneck).
        execArgv: [
          '--import',
          'tsx',
          ...(process.env.LQBENCH_CLIENT_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.LQBENCH_CLIENT_PROF] : []),
        ],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      if (child.pid === undefined) throw new Error('could not fork a client worker');
      const untrack = trackPid(child.pid);
      const exited = new Promise<void>((resolve) => child.once('exit', () => (untrack(), resolve())));
      const globalIndex: number[] = [];
      for (let i = p; i < clients; i += procs) globalIndex.push(i);
      workers.push({ child, pid: child.pid, globalIndex, offsetMs: 0, exited });
    }
    const stop = onCleanup(`stop ${procs} client workers`, async () => {
      await Promise.all(
        workers.map(async (w) => {
          if (w.child.exitCode !== null || w.child.signalCode !== null) return;
          try {
            w.child.send({ type: 'close' } satisfies WorkerRequest);
          } catch {
            // IPC already closed
          }
          const timer = setTimeout(() => w.child.kill('SIGKILL'), 5_000);
          await w.exited;
          clearTimeout(timer);
        }),
      );
    });
    return new ClientFleet(workers, stop);
  }

  private request<T extends WorkerReply['type']>(
    w: Worker,
    msg: WorkerRequest,
    expect: T,
  ): Promise<Extract<WorkerReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        if (reply.type !== expect) return;
        if (expect === 'clock' && (reply as { id: number }).id !== (msg as { id: number }).id) return;
        cleanup();
        resolve(reply as Extract<WorkerReply, { type: T }>);
      };
      const onExit = () => (cleanup(), reject(new Error(`client worker ${w.pid} exited`)));
      const timer = setTimeout(
        () => (cleanup(), reject(new Error(`client worker ${w.pid}: no "${expect}" reply`))),
        REPLY_TIMEOUT_MS,
      );
      const cleanup = () => {
        clearTimeout(timer);
        w.child.off('message', onMessage);
        w.child.off('exit', onExit);
      };
      w.child.on('message', onMessage);
      w.child.once('exit', onExit);
      w.child.send(msg);
    });
  }

  /** Connects and subscribes every client; `assign(i)` gives client i's URL, token and stage. */
  async connect(
    appId: string,
    assign: (globalIndex: number) => ClientAssignment,
    concurrencyPerWorker: number,
  ): Promise<{ subscribed: number; failed: number; errors: string[]; seconds: number }> {
    const start = performance.now();
    const replies = await Promise.all(
      this.workers.map((w) =>
        this.request(
          w,
          { type: 'connect', appId, clients: w.globalIndex.map(assign), concurrency: concurrencyPerWorker, timeoutMs: 30_000 },
          'connected',
        ),
      ),
    );
    return {
      subscribed: replies.reduce((n, r) => n + r.subscribed, 0),
      failed: replies.reduce((n, r) => n + r.failed, 0),
      errors: replies.flatMap((r) => r.errors).slice(0, 5),
      seconds: (performance.now() - start) / 1000,
    };
  }

  /** Offset of each worker's wall clock from ours, from the round trip with the smallest delay. */
  async syncClocks(rounds = 15): Promise<void> {
    let id = 0;
    for (const w of this.workers) {
      let best = { rtt: Infinity, offset: 0 };
      for (let r = 0; r < rounds; r++) {
        const t0 = wallClock();
        const reply = await this.request(w, { type: 'clock', id: ++id }, 'clock');
        const t1 = wallClock();
        if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: reply.t - (t0 + t1) / 2 };
      }
      w.offsetMs = best.offset;
    }
  }

  async collect(): Promise<CollectedEvents> {
    const batches: EventBatch[] = await Promise.all(this.workers.map((w) => this.request(w, { type: 'collect' }, 'events')));
    const count = batches.reduce((n, b) => n + b.count, 0);
    const out: CollectedEvents = {
      count,
      seq: new Uint32Array(count),
      time: new Float64Array(count),
      client: new Uint32Array(count),
      op: new Uint8Array(count),
      oddFrames: 0,
      oddSamples: [],
      closed: 0,
      closeSamples: [],
      loopDelayMs: { p50: 0, p99: 0, max: 0 },
    };
    let at = 0;
    batches.forEach((b, k) => {
      const w = this.workers[k]!;
      out.seq.set(b.seq, at);
      out.op.set(b.op, at);
      for (let i = 0; i < b.count; i++) {
        out.time[at + i] = b.time[i]! - w.offsetMs;
        out.client[at + i] = w.globalIndex[b.client[i]!]!;
      }
      at += b.count;
      out.oddFrames += b.oddFrames;
      out.oddSamples.push(...b.oddSamples);
      out.closed += b.closed;
      out.closeSamples.push(...b.closeSamples);
      out.loopDelayMs = {
        p50: Math.max(out.loopDelayMs.p50, b.loopDelayMs.p50),
        p99: Math.max(out.loopDelayMs.p99, b.loopDelayMs.p99),
        max: Math.max(out.loopDelayMs.max, b.loopDelayMs.max),
      };
    });
    return out;
  }
}
