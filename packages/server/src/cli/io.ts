/**
 * Where the CLI writes, and how it looks there. Commands never touch process.stdout directly, so the tests
 * can run the whole command tree in-process and read what a user would have seen.
 */
import type { Writable } from 'node:stream';
import pc from 'picocolors';
import cliProgress from 'cli-progress';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export type Colors = ReturnType<typeof pc.createColors>;

export interface Progress {
  increment(by?: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { increment() {}, stop() {} };

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

/** NO_COLOR / FORCE_COLOR win; otherwise colour only on a terminal. */
function colorWanted(io: CliIO): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stdout.isTTY);
}

export class Terminal {
  readonly c: Colors;

  constructor(readonly io: CliIO) {
    this.c = pc.createColors(colorWanted(io));
  }

  print(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  ok(text: string): void {
    this.print(`${this.c.green('✔')} ${text}`);
  }

  /** Diagnostics go to stderr so `crm schema export > file` stays clean. */
  note(text: string): void {
    this.io.stderr.write(`${this.c.dim(text)}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${this.c.yellow('warning:')} ${text}\n`);
  }

  error(text: string): void {
    this.io.stderr.write(`${this.c.red('error:')} ${text}\n`);
  }

  /** A bar on stderr while a terminal watches; nothing at all in pipes, logs and tests. */
  progress(label: string, total: number): Progress {
    if (!this.io.stderr.isTTY || total <= 0) return NO_PROGRESS;
    const bar = new cliProgress.SingleBar(
      {
        stream: this.io.stderr,
        format: `${label.padEnd(14)} ${this.c.cyan('{bar}')} {value}/{total} {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      increment: (by = 1) => bar.increment(by),
      stop: () => bar.stop(),
    };
  }
}
