/**
 * Checks the delivered events against the writes (who had to hear what) and turns them into latency
 * figures. A write moving a deal from stage A to B must reach every subscriber of A once as `leave` and every
 * subscriber of B once as `enter`, and nobody else.
 */
import type { CollectedEvents } from './clients.js';
import { OP_CODES, OP_NAMES } from './client-worker.js';
import type { Phase, WriteRecord } from './writer.js';

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentiles(values: Float64Array): Percentiles {
  const sorted = values.slice().sort();
  const at = (p: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { count: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: sorted.length ? sorted[sorted.length - 1]! : 0 };
}

export interface DeliveryCheck {
  writes: number;
  /** Writes answered with an error (not counting time-outs). */
  failedWrites: number;
  /** Writes without an answer in time; their events are neither expected nor counted as wrong. */
  timedOutWrites: number;
  failedSamples: string[];
  expected: number;
  /** Correct events (right client, right op). */
  delivered: number;
  /** Events no client should have had: unknown write, wrong op for the client's stage. */
  wrong: number;
  wrongSamples: string[];
  /** Sum over clients of events still missing / received beyond what was due. */
  missing: number;
  extra: number;
}

export interface LatencyFigures {
  /** Delivery time − the write's acknowledgement (the PUT's response), ms. Negative: event beat the ack. */
  fromAck: Percentiles;
  /** Delivery time − the PUT's send time, ms. */
  fromSend: Percentiles;
  /** The PUTs themselves (ack − send), ms. */
  write: Percentiles;
  /** Per server instance the clients were connected to (ours-redis: A local, B via Redis). */
  perInstance: { instance: number; fromAck: Percentiles }[];
  events: number;
  /**
   * Per second of the timed phase (by send time): writes sent, the slowest PUT, and the slowest event counted
   * from the send — shows whether bad tails are steady or come from periodic stalls.
   */
  timeline: { second: number; writes: number; putMaxMs: number; eventMaxFromSendMs: number }[];
}

/**
 * `considered`: the writes whose events `events` must hold; `all`: every write so far (a late event of an
 * earlier write that timed out is ignored, any other event outside `considered` is wrong).
 */
export function checkDelivery(
  all: readonly WriteRecord[],
  considered: readonly WriteRecord[],
  events: CollectedEvents,
  clientStage: readonly string[],
): DeliveryCheck {
  const earlier = new Map<number, WriteRecord>();
  for (const w of all) earlier.set(w.seq, w);
  const ok = considered.filter((w) => w.status === 200);
  const bySeq = new Map<number, WriteRecord>();
  for (const w of considered) bySeq.set(w.seq, w);
  const duePerStage = new Map<string, number>();
  for (const w of ok) {
    duePerStage.set(w.from, (duePerStage.get(w.from) ?? 0) + 1);
    duePerStage.set(w.to, (duePerStage.get(w.to) ?? 0) + 1);
  }
  const got = new Uint32Array(clientStage.length);
  let wrong = 0;
  const wrongSamples: string[] = [];
  const noteWrong = (text: string) => {
    wrong++;
    if (wrongSamples.length < 5) wrongSamples.push(text);
  };
  for (let i = 0; i < events.count; i++) {
    const seq = events.seq[i]!;
    const client = events.client[i]!;
    const op = events.op[i]!;
    const w = bySeq.get(seq);
    const stage = clientStage[client]!;
    if (!w && earlier.get(seq)?.timedOut) continue;
    if (!w || (w.status !== 200 && !w.timedOut)) {
      noteWrong(`client ${client} (${stage}) got ${OP_NAMES[op]} for unknown or failed write #${seq}`);
      continue;
    }
    const right = (op === OP_CODES.leave && stage === w.from) || (op === OP_CODES.enter && stage === w.to);
    if (!right) {
      noteWrong(`client ${client} (${stage}) got ${OP_NAMES[op]} for write #${seq} ${w.from} -> ${w.to}`);
      continue;
    }
    if (w.status === 200) got[client]!++;
  }
  let expected = 0;
  let delivered = 0;
  let missing = 0;
  let extra = 0;
  clientStage.forEach((stage, c) => {
    const due = duePerStage.get(stage) ?? 0;
    expected += due;
    delivered += got[c]!;
    if (got[c]! < due) missing += due - got[c]!;
    else extra += got[c]! - due;
  });
  const failed = considered.filter((w) => w.status !== 200 && !w.timedOut);
  return {
    writes: considered.length,
    failedWrites: failed.length,
    timedOutWrites: considered.filter((w) => w.timedOut).length,
    failedSamples: failed.slice(0, 3).map((w) => `write #${w.seq}: ${w.error ?? w.status}`),
    expected,
    delivered,
    wrong,
    wrongSamples,
    missing,
    extra,
  };
}

export function latencies(
  writes: readonly WriteRecord[],
  phase: Phase,
  events: CollectedEvents,
  instanceOf: (client: number) => number,
  instances: number,
): LatencyFigures {
  const bySeq = new Map<number, WriteRecord>();
  for (const w of writes) if (w.phase === phase && w.status === 200) bySeq.set(w.seq, w);
  const fromAck = new Float64Array(events.count);
  const fromSend = new Float64Array(events.count);
  const instanceOfEvent = new Uint8Array(events.count);
  let n = 0;
  for (let i = 0; i < events.count; i++) {
    const w = bySeq.get(events.seq[i]!);
    if (!w) continue;
    fromAck[n] = events.time[i]! - w.ackAt;
    fromSend[n] = events.time[i]! - w.sendAt;
    instanceOfEvent[n] = instanceOf(events.client[i]!);
    n++;
  }
  const ack = fromAck.subarray(0, n);
  const perInstance =
    instances > 1
      ? Array.from({ length: instances }, (_, k) => ({
          instance: k,
          fromAck: percentiles(ack.filter((_, i) => instanceOfEvent[i] === k)),
        }))
      : [];
  const t0 = Math.min(...[...bySeq.values()].map((w) => w.sendAt));
  const timeline: LatencyFigures['timeline'] = [];
  const slot = (sendAt: number) => {
    const second = Math.floor((sendAt - t0) / 1000);
    while (timeline.length <= second) timeline.push({ second: timeline.length, writes: 0, putMaxMs: 0, eventMaxFromSendMs: 0 });
    return timeline[second]!;
  };
  for (const w of bySeq.values()) {
    const s = slot(w.sendAt);
    s.writes++;
    s.putMaxMs = Math.max(s.putMaxMs, Math.round(w.ackAt - w.sendAt));
  }
  for (let i = 0; i < events.count; i++) {
    const w = bySeq.get(events.seq[i]!);
    if (w)
      slot(w.sendAt).eventMaxFromSendMs = Math.max(slot(w.sendAt).eventMaxFromSendMs, Math.round(events.time[i]! - w.sendAt));
  }
  return {
    timeline: bySeq.size > 0 ? timeline : [],
    fromAck: percentiles(ack),
    fromSend: percentiles(fromSend.subarray(0, n)),
    write: percentiles(Float64Array.from([...bySeq.values()].map((w) => w.ackAt - w.sendAt))),
    perInstance,
    events: n,
  };
}

/** Appends event batches (collect() resets the workers, so a phase may span several). */
export function concatEvents(parts: CollectedEvents[]): CollectedEvents {
  const count = parts.reduce((n, p) => n + p.count, 0);
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
  for (const p of parts) {
    out.seq.set(p.seq.subarray(0, p.count), at);
    out.time.set(p.time.subarray(0, p.count), at);
    out.client.set(p.client.subarray(0, p.count), at);
    out.op.set(p.op.subarray(0, p.count), at);
    at += p.count;
    out.oddFrames += p.oddFrames;
    out.oddSamples.push(...p.oddSamples);
    out.closed += p.closed;
    out.closeSamples.push(...p.closeSamples);
    out.loopDelayMs = {
      p50: Math.max(out.loopDelayMs.p50, p.loopDelayMs.p50),
      p99: Math.max(out.loopDelayMs.p99, p.loopDelayMs.p99),
      max: Math.max(out.loopDelayMs.max, p.loopDelayMs.max),
    };
  }
  return out;
}
