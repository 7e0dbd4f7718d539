/**
 * `npm run bench:livequery`: N raw-WebSocket LiveQuery subscribers (spread over the five stages and over
 * client processes) and an open-loop stream of stage changes through REST; measures delivery latency per
 * event from the write's acknowledgement, events/s, and the server's CPU and RSS — for one instance of ours,
 * two instances of ours behind Redis, and parse-server's LiveQuery. See docs/PERFORMANCE.md.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupAll, installExitHandlers } from '../cleanup.js';
import { describeMachine } from '../machine.js';
import { PERFORMANCE_DOC } from '../perf-doc.js';
import {
  cpuSnapshot,
  cpuTicksBetween,
  machineBusyPercent,
  machineCpuTicks,
  processTree,
  rssKbOf,
  ticksPerSecond,
  waitForQuiet,
  type CpuSnapshot,
} from '../proc.js';
import { createRestClient } from '../rest.js';
import { serverRevision } from '../revision.js';
import { renderMarkdown, renderText, type Table } from '../table.js';
import { checkDelivery, concatEvents, latencies, type DeliveryCheck, type LatencyFigures } from './analyze.js';
import { LQ_USAGE, LqUsageError, parseLqArgs, type LqArgs, type LqTargetName } from './args.js';
import { ClientFleet, type CollectedEvents } from './clients.js';
import { renderProfile, summariseProfileDir, type ProfileSummary } from './profile.js';
import { LQ_STAGES, setUpData } from './setup.js';
import { buildServer, REPO_ROOT, startLqTarget, type LqTarget } from './targets.js';
import { Writer } from './writer.js';

const GOAL_P99_MS = 50;
const GOAL_TARGETS: ReadonlySet<LqTargetName> = new Set(['ours', 'ours-redis']);
const BUSY_PERCENT = 15;
const DISTURBED_PERCENT = 20;
const DRAIN_TIMEOUT_MS = 15_000;
const VERIFY_TIMEOUT_MS = 10_000;
const CONNECTS_IN_FLIGHT_PER_WORKER = 25;
const RESULTS_DIR = join(REPO_ROOT, 'packages/bench/results');

interface RunFigures {
  writesScheduled: number;
  writesSkipped: number;
  writesPerSecond: number;
  maxInFlight: number;
  scheduleLagMs: number;
  delivery: DeliveryCheck;
  latency: LatencyFigures;
  eventsPerSecond: number;
  windowS: number;
  drainS: number;
  serverCpuMs: number;
  serverCpuPercent: number;
  cpuUsPerEvent: number;
  dbCpuPercent?: number;
  dbCpuMsPerWrite?: number;
  rssIdleMb: number;
  rssPeakMb: number;
  rssPerInstanceMb: number[];
  clientCpuPercent: number[];
  clientLoopDelayMs: CollectedEvents['loopDelayMs'];
  otherCpuPercent: number;
  oddFrames: number;
  closedSockets: number;
}

/** One write rate on one target. */
interface RateResult {
  rate: number;
  loadavgBefore: string;
  figures?: RunFigures;
  valid: boolean;
  /** Wrong, missing or extra events, failed writes, lost sockets: the figures cannot be trusted. */
  problems: string[];
  /** The server could not take the load as specified (writes skipped, late or timed out): a result, not an error. */
  overload: string[];
  warnings: string[];
}

interface LqTargetResult {
  name: LqTargetName;
  description?: string;
  loadavgBefore: string;
  busyBeforePercent: number;
  error?: string;
  setupSeconds?: number;
  connect?: { subscribed: number; failed: number; seconds: number; errors: string[] };
  verify?: DeliveryCheck;
  /** Problems found before any rate was measured (verification); they invalidate every rate. */
  problems: string[];
  clockOffsetsMs?: number[];
  rates: RateResult[];
  profiles?: ProfileSummary[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const toMs = (ticks: number) => (ticks * 1000) / ticksPerSecond();

function serverCpu(pids: readonly number[]): CpuSnapshot {
  return cpuSnapshot(pids.flatMap((pid) => processTree(pid)));
}
const serverRssKb = (pids: readonly number[]) => pids.map((pid) => processTree(pid).reduce((n, p) => n + rssKbOf(p), 0));

/**
 * Collects events until at least `due` arrived and nothing new came for `settleMs` (late extras and events of
 * writes that timed out are caught too), or until `timeoutMs`.
 */
async function gather(
  fleet: ClientFleet,
  due: number,
  timeoutMs: number,
  settleMs: number,
): Promise<{ events: CollectedEvents; timedOut: boolean; lastArrivalAt: number }> {
  const start = performance.now();
  const parts: CollectedEvents[] = [];
  let count = 0;
  let lastGrowth = start;
  let timedOut = false;
  for (;;) {
    const part = await fleet.collect();
    parts.push(part);
    const now = performance.now();
    if (part.count > 0) {
      count += part.count;
      lastGrowth = now;
    }
    if (count >= due && now - lastGrowth >= settleMs) break;
    if (now - start > timeoutMs) {
      timedOut = true;
      break;
    }
    await sleep(100);
  }
  return { events: concatEvents(parts), timedOut, lastArrivalAt: lastGrowth };
}

function loud(text: string): void {
  console.log(`\n${'!'.repeat(78)}\n!!! ${text.split('\n').join('\n!!! ')}\n${'!'.repeat(78)}`);
}

function deliveryProblems(what: string, d: DeliveryCheck, events: CollectedEvents, drainTimedOut = false): string[] {
  const p: string[] = [];
  if (d.failedWrites > 0) p.push(`${what}: ${d.failedWrites} of ${d.writes} writes failed (${d.failedSamples.join('; ')})`);
  if (d.missing > 0 && !drainTimedOut) p.push(`${what}: ${d.missing} of ${d.expected} expected events never arrived`);
  if (d.extra > 0) p.push(`${what}: ${d.extra} events beyond the expected ${d.expected}`);
  if (d.wrong > 0) p.push(`${what}: ${d.wrong} wrong events (${d.wrongSamples.join('; ')})`);
  if (events.oddFrames > 0) p.push(`${what}: ${events.oddFrames} unexpected frames (${events.oddSamples.join(' | ')})`);
  if (events.closed > 0)
    p.push(`${what}: ${events.closed} subscriber sockets closed or failed (${events.closeSamples.join('; ')})`);
  return p;
}

interface StreamContext {
  target: LqTarget;
  fleet: ClientFleet;
  writer: Writer;
  clientStage: string[];
  instanceOf: (client: number) => number;
  rssIdle: number[];
  preProblems: string[];
}

/** One write rate: warm-up then timed writes on one schedule; CPU from the first timed write until the last event. */
async function measureRate(ctx: StreamContext, rate: number, args: LqArgs, log: (line: string) => void): Promise<RateResult> {
  const { target, fleet, writer, clientStage, instanceOf } = ctx;
  const result: RateResult = {
    rate,
    loadavgBefore: loadavg(),
    valid: false,
    problems: [...ctx.preProblems],
    overload: [],
    warnings: [],
  };
  if (args.waitQuietS > 0) {
    const quiet = await waitForQuiet(args.waitQuietS, BUSY_PERCENT);
    log(`  waited ${quiet.waitedS.toFixed(0)} s for a quiet machine (${Math.round(quiet.busy)}% busy)`);
    result.loadavgBefore = loadavg();
  }
  const perStage = new Map<string, number>();
  for (const s of clientStage) perStage.set(s, (perStage.get(s) ?? 0) + 1);
  const firstRecord = writer.records.length;
  const dbPids = await target.dbPids();
  let cpuBefore: CpuSnapshot = new Map();
  let dbBefore: CpuSnapshot = new Map();
  let clientsBefore: CpuSnapshot[] = [];
  let selfBefore = process.cpuUsage();
  let machineBefore = machineCpuTicks();
  let timedStart = 0;
  let rssPeak = ctx.rssIdle.slice();
  const sampler = setInterval(() => {
    const now = serverRssKb(target.serverPids);
    if (now.reduce((a, b) => a + b, 0) > rssPeak.reduce((a, b) => a + b, 0)) rssPeak = now;
  }, 250);
  const fleetPids = fleet.pids;
  log(`  writing ${rate}/s for ${args.warmupS} s warm-up + ${args.durationS} s timed (load average ${result.loadavgBefore})...`);
  let stream: Awaited<ReturnType<Writer['stream']>>;
  try {
    stream = await writer.stream(rate, args.warmupS, args.durationS, () => {
      timedStart = performance.now();
      cpuBefore = serverCpu(target.serverPids);
      dbBefore = cpuSnapshot(dbPids);
      clientsBefore = fleetPids.map((pid) => cpuSnapshot([pid]));
      selfBefore = process.cpuUsage();
      machineBefore = machineCpuTicks();
    });
  } finally {
    clearInterval(sampler);
  }
  const records = writer.records.slice(firstRecord);
  const due = records
    .filter((w) => w.status === 200)
    .reduce((n, w) => n + (perStage.get(w.from) ?? 0) + (perStage.get(w.to) ?? 0), 0);
  const drainStart = performance.now();
  // The window ends when the last events were seen (polled every 100 ms).
  const gathered = await gather(fleet, due, DRAIN_TIMEOUT_MS, 1_000);
  const windowEnd = gathered.lastArrivalAt;
  const cpuAfter = serverCpu(target.serverPids);
  const dbAfter = cpuSnapshot(await target.dbPids());
  const clientsAfter = fleetPids.map((pid) => cpuSnapshot([pid]));
  const self = process.cpuUsage(selfBefore);
  const machineAfter = machineCpuTicks();
  const events = gathered.events;

  const windowMs = windowEnd - timedStart;
  const serverMs = toMs(cpuTicksBetween(cpuBefore, cpuAfter));
  const dbMs = toMs(cpuTicksBetween(dbBefore, dbAfter));
  const clientMs = clientsBefore.map((b, k) => toMs(cpuTicksBetween(b, clientsAfter[k]!)));
  const selfMs = (self.user + self.system) / 1000;
  const machineMs = toMs(machineAfter.busy - machineBefore.busy);
  const delivery = checkDelivery(writer.records, records, events, clientStage);
  const timed = records.filter((w) => w.phase === 'timed');
  const latency = latencies(timed, 'timed', events, instanceOf, target.wsUrls.length);
  const hasDb = target.name !== 'ours';
  const r: RunFigures = {
    writesScheduled: stream.scheduled,
    writesSkipped: stream.skipped,
    writesPerSecond: timed.filter((w) => w.status === 200).length / args.durationS,
    maxInFlight: stream.maxInFlight,
    scheduleLagMs: stream.lateMs,
    delivery,
    latency,
    eventsPerSecond: latency.events / args.durationS,
    windowS: windowMs / 1000,
    drainS: (performance.now() - drainStart) / 1000,
    serverCpuMs: serverMs,
    serverCpuPercent: (serverMs / windowMs) * 100,
    cpuUsPerEvent: latency.events > 0 ? (serverMs * 1000) / latency.events : 0,
    dbCpuPercent: hasDb ? (dbMs / windowMs) * 100 : undefined,
    dbCpuMsPerWrite: hasDb && timed.length ? dbMs / timed.length : undefined,
    rssIdleMb: ctx.rssIdle.reduce((a, b) => a + b, 0) / 1024,
    rssPeakMb: rssPeak.reduce((a, b) => a + b, 0) / 1024,
    rssPerInstanceMb: rssPeak.map((kb) => kb / 1024),
    clientCpuPercent: clientMs.map((ms) => (ms / windowMs) * 100),
    clientLoopDelayMs: events.loopDelayMs,
    otherCpuPercent: Math.max(0, ((machineMs - serverMs - dbMs - selfMs - clientMs.reduce((a, b) => a + b, 0)) / windowMs) * 100),
    oddFrames: events.oddFrames,
    closedSockets: events.closed,
  };
  result.figures = r;
  const died = target.unexpectedExit();
  if (died) result.problems.push(`${died}: ${target.logTail().split('\n').slice(-3).join(' / ')}`);
  const drainTimedOut = gathered.timedOut;
  result.problems.push(...deliveryProblems('stream', delivery, events, drainTimedOut));
  if (drainTimedOut && delivery.missing > 0) {
    result.overload.push(
      `${delivery.missing} of ${delivery.expected} events still undelivered ${DRAIN_TIMEOUT_MS / 1000} s after the last write was answered`,
    );
  }
  if (delivery.timedOutWrites > 0) result.overload.push(`${delivery.timedOutWrites} writes got no answer within 10 s`);
  if (stream.skipped > 0)
    result.overload.push(`${stream.skipped} writes skipped: ${stream.maxInFlight} writes were already in flight`);
  if (r.writesPerSecond < rate * 0.95)
    result.overload.push(`only ${r.writesPerSecond.toFixed(0)} of ${rate} writes/s were acknowledged in the timed phase`);
  if (Math.max(...r.clientCpuPercent) > 85 || r.clientLoopDelayMs.p99 > 50) {
    result.warnings.push(
      `client processes busy (CPU ${r.clientCpuPercent.map((c) => `${Math.round(c)}%`).join('/')}, event-loop delay p99 ` +
        `${r.clientLoopDelayMs.p99.toFixed(1)} ms): part of the latency may be the clients'`,
    );
  }
  if (r.otherCpuPercent > DISTURBED_PERCENT)
    result.warnings.push(`other processes used ${Math.round(r.otherCpuPercent)}% of a core during the run (shared machine)`);
  result.valid = result.problems.length === 0;
  const l = latency.fromAck;
  log(
    `  ${r.writesPerSecond.toFixed(0)} writes/s, ${Math.round(r.eventsPerSecond)} events/s; delivery after ack p50 ${l.p50.toFixed(1)} ms ` +
      `p99 ${l.p99.toFixed(1)} ms (max ${l.max.toFixed(0)}), after send p99 ${latency.fromSend.p99.toFixed(1)} ms; PUT p50 ${latency.write.p50.toFixed(1)} ms; ` +
      `server CPU ${Math.round(r.serverCpuPercent)}% = ${r.cpuUsPerEvent.toFixed(1)} us/event; RSS ${Math.round(r.rssIdleMb)} -> ${Math.round(r.rssPeakMb)} MB; ` +
      `clients ${r.clientCpuPercent.map((c) => `${Math.round(c)}%`).join('/')}; other ${Math.round(r.otherCpuPercent)}% [${status(result)}]`,
  );
  for (const p of result.problems.slice(ctx.preProblems.length)) log(`  problem: ${p}`);
  for (const o of result.overload) log(`  overload: ${o}`);
  for (const w of result.warnings) log(`  warning: ${w}`);
  return result;
}

async function benchTarget(name: LqTargetName, args: LqArgs, appId: string, masterKey: string): Promise<LqTargetResult> {
  const log = (line: string) => console.log(line);
  log(`\n=== ${name} ===`);
  const result: LqTargetResult = {
    name,
    loadavgBefore: loadavg(),
    busyBeforePercent: await machineBusyPercent(),
    problems: [],
    rates: [],
  };
  log(`  load average ${result.loadavgBefore}; machine ${Math.round(result.busyBeforePercent)}% busy`);
  let target: LqTarget | undefined;
  let fleet: ClientFleet | undefined;
  let writer: Writer | undefined;
  try {
    target = await startLqTarget[name]({ appId, masterKey, cpuProf: args.cpuProf, log });
    result.description = target.description;
    log(`  ${target.description}`);
    const rest = createRestClient(target.writeOrigin, appId, masterKey);
    const data = await setUpData(rest, args.deals);
    result.setupSeconds = data.seconds;
    log(`  set up 11 users, 2 roles, ${args.deals} deals in ${data.seconds.toFixed(1)} s`);

    // Client i: stage i mod 5, manager token (i div 5) mod 5, instance i mod #instances.
    const clientStage = Array.from({ length: args.clients }, (_, i) => LQ_STAGES[i % LQ_STAGES.length]!);
    const instances = target.wsUrls.length;
    const instanceOf = (i: number) => i % instances;
    fleet = await ClientFleet.start(Math.min(args.clientProcs, args.clients), args.clients);
    const conn = await fleet.connect(
      appId,
      (i) => ({
        url: target!.wsUrls[instanceOf(i)]!,
        token: data.managerTokens[Math.floor(i / LQ_STAGES.length) % data.managerTokens.length]!,
        stage: clientStage[i]!,
      }),
      CONNECTS_IN_FLIGHT_PER_WORKER,
    );
    result.connect = conn;
    log(
      `  ${conn.subscribed}/${args.clients} clients subscribed in ${conn.seconds.toFixed(1)} s (${args.clientProcs} client processes)`,
    );
    if (conn.subscribed !== args.clients) {
      throw new Error(`only ${conn.subscribed} of ${args.clients} clients got "subscribed" (${conn.errors.join('; ')})`);
    }
    await fleet.syncClocks();
    result.clockOffsetsMs = fleet.clockOffsetsMs;
    const rssIdle = serverRssKb(target.serverPids);

    // Verification: two single writes, each must reach exactly the subscribers of its two stages.
    writer = new Writer({
      origin: target.writeOrigin,
      appId,
      sessionToken: data.adminToken,
      deals: data.deals,
      stages: LQ_STAGES,
      seed: 42,
    });
    await fleet.collect(); // discard anything that came before
    const verifyParts: CollectedEvents[] = [];
    for (const [deal, to] of [
      [0, 'qualified'],
      [1, 'won'],
    ] as const) {
      const from = data.deals[deal]!.stage;
      const record = await writer.write('verify', deal, to)!;
      const due = clientStage.filter((s) => s === from || s === to).length;
      const { events } = await gather(fleet, due, VERIFY_TIMEOUT_MS, 300);
      verifyParts.push(events);
      log(
        `  verify write #${record.seq} (${from} -> ${to}): HTTP ${record.status}, ${events.count} events for ${due} subscribers`,
      );
    }
    const verifyEvents = concatEvents(verifyParts);
    result.verify = checkDelivery(writer.records, writer.records, verifyEvents, clientStage);
    result.problems = deliveryProblems('verification', result.verify, verifyEvents);
    if (result.verify.timedOutWrites > 0) result.problems.push('verification: a test write got no answer');
    if (result.problems.length > 0) {
      loud(`${name}: VERIFICATION FAILED, measuring anyway but marking the run invalid:\n${result.problems.join('\n')}`);
      if (result.verify.delivered === 0) throw new Error('no event reached any subscriber');
    }

    const ctx: StreamContext = { target, fleet, writer, clientStage, instanceOf, rssIdle, preProblems: result.problems };
    for (const rate of args.rates) {
      result.rates.push(await measureRate(ctx, rate, args, log));
      if (target.unexpectedExit()) break;
    }
  } catch (error) {
    result.error = (error as Error).message;
    loud(`${name} FAILED: ${result.error}${target ? `\n--- server log tail ---\n${target.logTail()}` : ''}`);
  } finally {
    writer?.close();
    await fleet?.stop();
    await target?.stop();
  }
  if (args.cpuProf && target?.profileDir) {
    try {
      result.profiles = summariseProfileDir(target.profileDir);
      for (const p of result.profiles) log(renderProfile(p));
    } catch (error) {
      log(`  (could not read the CPU profile: ${(error as Error).message})`);
    }
  }
  return result;
}

const status = (r: RateResult) => (!r.valid ? 'NO' : r.overload.length > 0 ? 'overloaded' : 'yes');
const f1 = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1));
const int = (n: number | undefined) => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
const pct = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n)}%`);

function resultsTable(results: LqTargetResult[]): Table {
  const rows: string[][] = [];
  for (const t of results) {
    if (t.error && t.rates.length === 0) {
      rows.push([t.name, int(t.connect?.subscribed), '-', 'FAILED', ...Array<string>(12).fill(''), 'NO']);
      continue;
    }
    for (const x of t.rates) {
      const r = x.figures!;
      rows.push([
        t.name,
        int(t.connect?.subscribed),
        int(x.rate),
        int(r.writesPerSecond),
        int(r.eventsPerSecond),
        f1(r.latency.fromAck.p50),
        f1(r.latency.fromAck.p99),
        f1(r.latency.fromSend.p99),
        `${f1(r.latency.write.p50)} / ${f1(r.latency.write.p99)}`,
        pct(r.serverCpuPercent),
        f1(r.cpuUsPerEvent),
        r.dbCpuPercent === undefined ? '-' : pct(r.dbCpuPercent),
        `${int(r.rssIdleMb)} / ${int(r.rssPeakMb)}`,
        r.clientCpuPercent.map((c) => pct(c)).join(' / '),
        pct(r.otherCpuPercent),
        x.loadavgBefore.split(' ')[0]!,
        status(x),
      ]);
    }
  }
  return {
    headers: [
      'target',
      'clients',
      'writes/s asked',
      'writes/s done',
      'events/s',
      'p50 ms',
      'p99 ms',
      'p99 from send',
      'PUT ms p50 / p99',
      'server CPU',
      'CPU us/event',
      'DB CPU',
      'RSS MB idle / peak',
      'client procs CPU',
      'other CPU',
      'load avg',
      'valid',
    ],
    rows,
    numeric: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15]),
  };
}

function goalsTable(results: LqTargetResult[]): Table {
  const rows = results
    .filter((t) => GOAL_TARGETS.has(t.name))
    .flatMap((t) =>
      t.rates.length === 0
        ? [[t.name, '-', '-', '-', `< ${GOAL_P99_MS} ms`, 'n/a (failed)']]
        : t.rates.map((x) => {
            const p99 = x.figures!.latency.fromAck.p99;
            const verdict = !x.valid
              ? `n/a (invalid run; p99 ${p99.toFixed(1)} ms)`
              : x.overload.length > 0
                ? 'NOT met (could not sustain the write rate)'
                : p99 < GOAL_P99_MS
                  ? 'met'
                  : 'NOT met';
            const fromSend = x.figures!.latency.fromSend.p99;
            return [t.name, int(x.rate), `${p99.toFixed(1)} ms`, `${fromSend.toFixed(1)} ms`, `< ${GOAL_P99_MS} ms`, verdict];
          }),
    );
  return {
    headers: ['target', 'writes/s', 'p99 delivery after ack', '(p99 after send)', 'goal (after ack)', 'status'],
    rows,
    numeric: new Set([1, 2, 3]),
  };
}

function perInstanceLines(results: LqTargetResult[]): string[] {
  return results.flatMap((t) =>
    t.rates.flatMap((x) =>
      (x.figures?.latency.perInstance ?? []).map(
        (p) =>
          `- ${t.name} at ${x.rate} writes/s, clients on instance ${'AB'[p.instance]}${p.instance === 0 ? ' (the one written to)' : ' (events via Redis)'}: ` +
          `p50 ${p.fromAck.p50.toFixed(1)} ms, p99 ${p.fromAck.p99.toFixed(1)} ms, max ${p.fromAck.max.toFixed(0)} ms over ` +
          `${p.fromAck.count.toLocaleString('en-US')} events; RSS peak ${x.figures!.rssPerInstanceMb[p.instance]?.toFixed(0)} MB`,
      ),
    ),
  );
}

function docSection(results: LqTargetResult[], args: LqArgs, date: string, command: string, revision: string): string {
  const m = describeMachine();
  const perStage = Math.floor(args.clients / LQ_STAGES.length);
  const lines = [
    `## ${date.slice(0, 16).replace('T', ' ')} UTC — LiveQuery`,
    '',
    `- Command: \`${command}\` at revision ${revision}`,
    `- Machine: ${m.cpus} CPUs (nproc; ${m.cpuModel}), ${m.memGiB} GiB RAM, ${m.os}, Node ${m.node}; clients, writer and servers share it.`,
    `- Scenario: ${args.clients.toLocaleString('en-US')} raw \`ws\` clients in ${args.clientProcs} processes, ${perStage} per stage ` +
      `(${LQ_STAGES.join(', ')}), each \`connect\` with a manager's session token (5 managers in role \`managers\`) and \`subscribe\` ` +
      `to \`Deal\` where \`{stage}\`; ${args.deals.toLocaleString('en-US')} deals (ACL: owning rep read/write, role:managers read, role:admins read/write). ` +
      `The admin PUTs \`{stage: <another stage>, notes: "lq:<seq>"}\` (open loop, ${args.warmupS} s warm-up + ${args.durationS} s timed per rate): ` +
      `each write is one \`leave\` for ${perStage} and one \`enter\` for ${perStage} subscribers. Ours runs with its default CRM policy.`,
    "- Latency = the frame's arrival at the subscriber − the PUT's response (one wall clock; client processes offset-corrected), " +
      "so it is negative when the event beats the acknowledgement; *p99 from send* counts from the PUT's send instead. *server CPU* = " +
      'server process(es) user+system from the first timed write until the last event (% of one core), *CPU us/event* the same per delivered ' +
      'event; RSS summed over instances (idle with every client subscribed / peak during the run). Before timing, every client had its ' +
      "`subscribed` answer and two test writes reached exactly the expected subscribers; afterwards every client's events are checked " +
      'against the writes (none missing, extra or wrong). *overloaded* = valid events, but the server could not take the write rate asked.',
    ...results.map(
      (t) =>
        `- ${t.name}: ${t.error ? `FAILED — ${t.error.split('\n')[0]}` : t.description} (load average ${t.loadavgBefore}, ` +
        `machine ${Math.round(t.busyBeforePercent)}% busy just before it started)`,
    ),
    '',
    '### Results',
    '',
    renderMarkdown(resultsTable(results)),
    '',
  ];
  const instances = perInstanceLines(results);
  if (instances.length) lines.push(...instances, '');
  lines.push(
    `### Goal: p99 < ${GOAL_P99_MS} ms with ${args.clients.toLocaleString('en-US')} clients on this machine`,
    '',
    renderMarkdown(goalsTable(results)),
    '',
  );
  const problems = results.flatMap((t) => [
    ...(t.error ? [`- **${t.name} failed**: ${t.error.split('\n').slice(0, 3).join(' ')}`] : []),
    ...t.rates.flatMap((x) => [
      ...x.problems.map((p) => `- **${t.name} at ${x.rate}/s invalid**: ${p.slice(0, 400)}`),
      ...x.overload.map((o) => `- **${t.name} at ${x.rate}/s overloaded**: ${o}`),
      ...x.warnings.map((w) => `- ${t.name} at ${x.rate}/s: ${w}`),
    ]),
  ]);
  if (problems.length) lines.push('### Problems', '', ...problems, '');
  return lines.join('\n');
}

function deadlineMs(args: LqArgs): number {
  const perRate = args.warmupS + args.durationS + args.waitQuietS + 5;
  const perTarget = 125 + args.rates.length * perRate + Math.ceil(args.clients / 100);
  return (90 + args.targets.length * perTarget) * 1000;
}

async function main(): Promise<number> {
  let args: LqArgs;
  try {
    args = parseLqArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof LqUsageError)) throw error;
    if (error.message) console.error(error.message);
    console.error(LQ_USAGE);
    return error.message ? 2 : 0;
  }
  installExitHandlers(deadlineMs(args));
  const date = new Date().toISOString();
  const command = ['npm run bench:livequery', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const revision = serverRevision();
  console.log(
    `livequery bench ${date}: targets ${args.targets.join(', ')}; ${args.clients} clients, ${args.rates.join(', ')} writes/s, ` +
      `${args.warmupS}+${args.durationS} s; deadline ${Math.round(deadlineMs(args) / 1000)} s`,
  );
  if (args.build && args.targets.some((t) => t.startsWith('ours'))) buildServer((l) => console.log(l));

  const appId = `lqbench${randomBytes(4).toString('hex')}`;
  const masterKey = randomBytes(24).toString('hex');
  const results: LqTargetResult[] = [];
  for (const name of args.targets) results.push(await benchTarget(name, args, appId, masterKey));

  console.log(`\n${renderText(resultsTable(results))}`);
  for (const line of perInstanceLines(results)) console.log(line);
  console.log(`\n${renderText(goalsTable(results))}`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = join(RESULTS_DIR, `livequery-${date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(json, JSON.stringify({ date, command, revision, machine: describeMachine(), args, results }, null, 2));
  console.log(`\nresults written to ${json}`);
  if (args.doc) {
    appendFileSync(PERFORMANCE_DOC, `\n${docSection(results, args, date, command, revision)}`);
    console.log(`section appended to ${PERFORMANCE_DOC}`);
  } else {
    console.log('(docs/PERFORMANCE.md not updated: --quick, --cpu-prof and --no-doc skip it; pass --doc to record)');
  }
  return results.every((t) => !t.error && t.rates.every((x) => x.valid)) ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error: Error) => {
    console.error(error.stack ?? error);
    await cleanupAll();
    process.exit(1);
  });
