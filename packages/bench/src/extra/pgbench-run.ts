/**
 * Runs pgbench and accounts for the CPU it cost: every process named `postgres` (backends, WAL writer,
 * checkpointer, autovacuum…) and pgbench itself. pgbench's backends exit when it does, taking their counters
 * with them, so their CPU is read back from the postmaster's total of waited-for children (cutime + cstime);
 * pgbench's is read the same way from this process, whose only child it is while it runs.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { trackPid } from '../cleanup.js';
import { machineCpuTicks, ticksPerSecond } from '../proc.js';
import { parsePgbench, type PgbenchReport } from './pgbench-script.js';

interface Stat {
  comm: string;
  ppid: number;
  /** utime + stime */
  own: number;
  /** cutime + cstime: children that exited and were waited for */
  children: number;
}

function stat(pid: string): Stat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is "(postgres)" and could itself hold spaces or parentheses: the numbers follow the last ')'.
    const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return {
      comm: raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')')),
      ppid: Number(rest[1]),
      own: Number(rest[11]) + Number(rest[12]),
      children: Number(rest[13]) + Number(rest[14]),
    };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** CPU ticks (jiffies) PostgreSQL has used so far, exited backends included once the postmaster has reaped them. */
function postgresCpuTicks(): number {
  const postgres = new Map<number, Stat>();
  for (const pid of readdirSync('/proc')) {
    const s = /^\d+$/.test(pid) ? stat(pid) : undefined;
    if (s?.comm === 'postgres') postgres.set(Number(pid), s);
  }
  let ticks = 0;
  // The postmaster is the one whose parent is not postgres; only it reaps backends.
  for (const s of postgres.values()) ticks += s.own + (postgres.has(s.ppid) ? 0 : s.children);
  return ticks;
}

const toMs = (ticks: number) => (ticks * 1000) / ticksPerSecond();
export const postgresCpuMs = () => toMs(postgresCpuTicks());
const reapedChildTicks = () => stat('self')?.children ?? 0;

export interface PgbenchRun extends PgbenchReport {
  /** Wall time of the whole pgbench process (connecting included). */
  seconds: number;
  pgCpuMs: number;
  pgbenchCpuMs: number;
  /** Everything the machine did meanwhile, both cores, in CPU ms. */
  machineBusyMs: number;
  output: string;
}

function spawnPgbench(args: string[], env: Record<string, string>, timeoutS: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('pgbench', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const untrack = child.pid === undefined ? () => false : trackPid(child.pid);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.once('error', (error) => {
      clearTimeout(timer);
      untrack();
      reject(new Error(`pgbench could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      untrack();
      if (code === 0) resolve(output);
      else reject(new Error(`pgbench ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.trim().slice(-3000)}`));
    });
  });
}

/** One pgbench run with the CPU bracket around it; nothing else of ours may run children meanwhile. */
export async function runPgbench(args: string[], env: Record<string, string>, timeoutS: number): Promise<PgbenchRun> {
  const pg0 = postgresCpuTicks();
  const self0 = reapedChildTicks();
  const machine0 = machineCpuTicks().busy;
  const t0 = performance.now();
  const output = await spawnPgbench(args, env, timeoutS);
  const seconds = (performance.now() - t0) / 1000;
  // The backends exit after pgbench closes its connections; give the postmaster a moment to reap them.
  await new Promise((r) => setTimeout(r, 500));
  return {
    ...parsePgbench(output),
    seconds,
    pgCpuMs: toMs(postgresCpuTicks() - pg0),
    pgbenchCpuMs: toMs(reapedChildTicks() - self0),
    machineBusyMs: toMs(machineCpuTicks().busy - machine0),
    output,
  };
}
