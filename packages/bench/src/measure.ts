/**
 * Times one scenario against one target: an untimed warm-up, then the timed autocannon run bracketed by
 * /proc snapshots of the server (and of its database backends when it has them).
 */
import autocannon from 'autocannon';
import { cpuTicksBetween, machineCpuTicks, ticksPerSecond, treeCpu, treeRssKb } from './proc.js';
import type { Scenario } from './scenarios.js';
import type { RunningTarget } from './targets/types.js';

export interface LoadOptions {
  connections: number;
  durationS: number;
  warmupS: number;
}

export interface Measurement {
  requests: number;
  seconds: number;
  reqPerSec: number;
  latencyMs: { mean: number; p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  statusCodes: Record<string, number>;
  /** Server process tree CPU (user+system) per completed request. */
  serverCpuMsPerReq: number;
  /** Server CPU as a percentage of one core over the timed run (200 % = both cores of a 2-core box). */
  serverCpuPercent: number;
  /** CPU of the target's external database processes per request; undefined for embedded storage. */
  dbCpuMsPerReq?: number;
  /** The load generator's own CPU use; near 100 % means the client, not the server, set the pace. */
  clientCpuPercent: number;
  /** CPU used by everything else on the machine during the run (% of one core): interference. */
  otherCpuPercent: number;
  serverRssMb: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** autocannon's own histogram has 1 ms resolution; fast servers need finer latencies. */
class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  private size = 0;
  record = (_client: unknown, _status: number, _bytes: number, ms: number): void => {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = ms;
  };
  summary(): Measurement['latencyMs'] {
    const sorted = this.values.slice(0, this.size).sort();
    const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
    return { mean, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  }
}

function run(target: RunningTarget, scenario: Scenario, connections: number, durationS: number, onResponse?: LatencyRecorder) {
  const instance = autocannon({
    url: target.origin,
    connections,
    duration: durationS,
    timeout: 30,
    requests: scenario.requests,
    verifyBody: scenario.verifyBody,
  });
  if (onResponse) instance.on('response', onResponse.record);
  return instance;
}

export async function measure(target: RunningTarget, scenario: Scenario, load: LoadOptions): Promise<Measurement> {
  if (load.warmupS > 0) await run(target, scenario, load.connections, load.warmupS);

  const recorder = new LatencyRecorder();
  const cpuBefore = treeCpu(target.pid);
  const dbBefore = target.externalCpu();
  const clientBefore = process.cpuUsage();
  const machineBefore = machineCpuTicks();
  const wallBefore = performance.now();
  const result = await run(target, scenario, load.connections, load.durationS, recorder);
  const wallMs = performance.now() - wallBefore;
  const client = process.cpuUsage(clientBefore);
  const machineBusyTicks = machineCpuTicks().busy - machineBefore.busy;
  const cpuAfter = treeCpu(target.pid);
  const dbAfter = target.externalCpu();

  const toMs = (ticks: number) => (ticks * 1000) / ticksPerSecond();
  const serverTicks = cpuTicksBetween(cpuBefore, cpuAfter);
  const dbTicks = dbBefore && dbAfter ? cpuTicksBetween(dbBefore, dbAfter) : undefined;
  const clientMs = (client.user + client.system) / 1000;
  const otherMs = toMs(machineBusyTicks - serverTicks - (dbTicks ?? 0)) - clientMs;
  const requests = result.requests.total;
  const perReq = (ms: number) => (requests > 0 ? ms / requests : 0);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    requests,
    seconds: result.duration,
    reqPerSec: requests / result.duration,
    latencyMs: recorder.summary(),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    statusCodes,
    serverCpuMsPerReq: perReq(toMs(serverTicks)),
    serverCpuPercent: (toMs(serverTicks) / wallMs) * 100,
    dbCpuMsPerReq: dbTicks === undefined ? undefined : perReq(toMs(dbTicks)),
    clientCpuPercent: (clientMs / wallMs) * 100,
    otherCpuPercent: Math.max(0, (otherMs / wallMs) * 100),
    serverRssMb: treeRssKb(target.pid) / 1024,
  };
}
