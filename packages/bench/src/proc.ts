/**
 * Server-side resource accounting from /proc. CPU is summed over the whole process tree so a server
 * that forks workers is not flattered by measuring only its parent.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** Jiffies per second; utime/stime in /proc are expressed in these. */
export function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

interface StatLine {
  pid: number;
  ppid: number;
  cpuTicks: number;
}

function readStat(pid: number): StatLine | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses; the remaining fields follow the last ')'.
    const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): ppid is field 4, utime field 14, stime field 15.
    return { pid, ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export type CpuSnapshot = Map<number, number>;

export function cpuSnapshot(pids: readonly number[]): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) snapshot.set(pid, stat.cpuTicks);
  }
  return snapshot;
}

/** Processes that appeared in between count in full; ones that exited are lost (rare with pooled connections). */
export function cpuTicksBetween(before: CpuSnapshot, after: CpuSnapshot): number {
  let ticks = 0;
  for (const [pid, value] of after) ticks += value - (before.get(pid) ?? 0);
  return ticks;
}

export function treeCpu(rootPid: number): CpuSnapshot {
  return cpuSnapshot(processTree(rootPid));
}

export function rssKbOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function treeRssKb(rootPid: number): number {
  return processTree(rootPid).reduce((sum, pid) => sum + rssKbOf(pid), 0);
}

/** Postgres backends serving one database; their title is "postgres: <user> <db> <client> <state>". */
export function postgresBackendsOf(database: string): number[] {
  const needle = ` ${database} `;
  return allPids().filter((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      return cmdline.startsWith('postgres:') && cmdline.includes(needle);
    } catch {
      return false;
    }
  });
}

/** Machine-wide jiffies from /proc/stat, summed over all cores. */
export function machineCpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * Share of all cores busy over a short window. Unlike the load average this does not remember the
 * previous target's run, so it only flags work that is not ours.
 */
export async function machineBusyPercent(windowMs = 1_000): Promise<number> {
  const before = machineCpuTicks();
  await new Promise((r) => setTimeout(r, windowMs));
  const after = machineCpuTicks();
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : 0;
}

/** Waits (up to maxWaitS) for a second in which the machine is at most `quietPercent` busy. */
export async function waitForQuiet(maxWaitS: number, quietPercent: number): Promise<{ waitedS: number; busy: number }> {
  const start = performance.now();
  let busy = await machineBusyPercent();
  while (busy > quietPercent && performance.now() - start < maxWaitS * 1000) busy = await machineBusyPercent();
  return { waitedS: (performance.now() - start) / 1000, busy };
}
