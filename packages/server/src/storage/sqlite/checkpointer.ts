/**
 * WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside the COMMIT that crosses its
 * threshold — on the event loop — copying the WAL's pages into the database file and ending in an fsync: tens of
 * milliseconds during which no request is served (the p99 of a write load, docs/PERFORMANCE.md). A second
 * connection on a worker thread checkpoints instead, PASSIVE (it never waits for, nor blocks, the writer), and
 * the main connection's automatic checkpoint is turned off while the worker lives.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const INTERVAL_MS = 200;

// CommonJS source run with `eval`: the same code works from the TypeScript sources (tests) and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerEvents {
  /** The worker died: the caller turns the connection's own checkpoints back on. */
  onFailure(error: unknown): void;
}

export class Checkpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(file: string, events: CheckpointerEvents) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: INTERVAL_MS } });
    // A sleeping checkpointer must not keep a finished process (a CLI command) alive.
    this.worker.unref();
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
