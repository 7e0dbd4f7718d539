/**
 * WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside the COMMIT that crosses its
 * threshold — on the event loop — copying the WAL's pages into the database file and ending in an fsync: tens of
 * milliseconds during which no request is served (the p99 of a write load, docs/PERFORMANCE.md). A second
 * connection on a worker thread checkpoints instead, PASSIVE (it never waits for, nor blocks, the writer), and
 * the main connection's automatic checkpoint is turned off while the worker lives.
 *
 * A PASSIVE checkpoint copies pages but never rewinds the log: SQLite starts writing the WAL from its beginning
 * again only when a write transaction begins on a log that is entirely copied. Under a steady write load there is
 * always a newer commit than the last pass, so the log grew without end (2 GB in 25 s of create + update, and
 * every COMMIT 4x slower for it). Once the log passes `restartFrames`, the worker repeats its pass until little
 * is left and asks the writer (`onLogLong`) to copy that remainder itself between two commit groups, which lets
 * the next group rewind the log.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const INTERVAL_MS = 200;
/** 4,096 pages of 4 KiB: a 16 MiB log, the size at which the writer is asked to let it rewind. */
export const RESTART_FRAMES = 4_096;
/** Extra passes before asking the writer: each copies what the commits during the previous one appended. */
const CATCH_UP_PASSES = 3;

// CommonJS source run with `eval`: the same code works from the TypeScript sources (tests) and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
const timer = setInterval(() => {
  if (checkpoint().log < workerData.restartFrames) return;
  for (let i = 0; i < workerData.catchUpPasses; i++) checkpoint();
  parentPort.postMessage('log-long');
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerEvents {
  /** The worker died: the caller turns the connection's own checkpoints back on. */
  onFailure(error: unknown): void;
  /** The log is long and nearly all copied: the writer should checkpoint the rest between two transactions. */
  onLogLong(): void;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  restartFrames?: number;
}

export class Checkpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(file: string, events: CheckpointerEvents, options: CheckpointerOptions = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const workerData = {
      file,
      driver,
      intervalMs: options.intervalMs ?? INTERVAL_MS,
      restartFrames: options.restartFrames ?? RESTART_FRAMES,
      catchUpPasses: CATCH_UP_PASSES,
    };
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    // A sleeping checkpointer must not keep a finished process (a CLI command) alive.
    this.worker.unref();
    this.worker.on('message', () => events.onLogLong());
    this.worker.on('error', (error) => {
      if (!this.stopped) events.onFailure(error);
    });
  }

  /** Closes the worker's connection before the main one closes (the last connection out removes the WAL). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // Waiting for the exit must keep the process alive (an unref'd worker alone would not).
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}
