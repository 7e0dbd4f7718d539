/**
 * Spawning and stopping a server child. Output goes straight to a log file (not through the runner)
 * so the runner spends no CPU relaying it while it also drives the load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { onCleanup, trackPid } from '../cleanup.js';

const STOP_GRACE_MS = 5_000;

export interface ServerChild {
  readonly pid: number;
  readonly exited: Promise<number | null>;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export function spawnServer(
  label: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
): ServerChild {
  const fd = openSync(logFile, 'a');
  // stdin stays a pipe: a child of ours that watches it can exit when the runner dies abruptly.
  const child: ChildProcess = spawn(command, args, { env, stdio: ['pipe', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not spawn ${label}: ${command} ${args.join(' ')}`);
  const pid = child.pid;
  const untrack = trackPid(pid);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', (error) => console.error(`${label}: ${error.message}`));

  const stopNow = async (): Promise<void> => {
    child.stdin?.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), STOP_GRACE_MS)));
      if ((await Promise.race([exited, grace])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
      clearTimeout(timer);
    }
    untrack();
  };
  const stop = onCleanup(`stop ${label} (pid ${pid})`, stopNow);

  const logTail = (lines = 30): string => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };
  return { pid, exited, logTail, stop };
}

/** Polls GET /parse/health until it answers {"status":"ok"}, the child dies, or the timeout passes. */
export async function waitForHealth(origin: string, child: ServerChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`server exited (code ${exitCode}) before becoming healthy`);
    try {
      const res = await fetch(`${origin}/parse/health`, { signal: AbortSignal.timeout(2_000) });
      const text = await res.text();
      if (res.ok && (JSON.parse(text) as { status?: string }).status === 'ok') return;
      last = `HTTP ${res.status} ${text.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`GET /parse/health not ok after ${timeoutMs / 1000} s (last: ${last})`);
}
