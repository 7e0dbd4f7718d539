/**
 * The write stream: an open-loop sequence of `PUT /parse/classes/Deal/<id>` moving a deal to another stage
 * and setting `notes` to "lq:<seq>", so every LiveQuery event names the write it reports. Deals are only
 * rewritten once their previous write was acknowledged, so the runner always knows each deal's stage and
 * therefore exactly who must hear about each write.
 */
import { request, Agent } from 'node:http';
import { createPrng } from '../prng.js';
import { wallClock } from './clients.js';

export type Phase = 'verify' | 'warmup' | 'timed';

export interface DealState {
  id: string;
  stage: string;
}

export interface WriteRecord {
  seq: number;
  deal: number;
  from: string;
  to: string;
  phase: Phase;
  sendAt: number;
  ackAt: number;
  /** HTTP status, or 0 for a transport error / timeout. */
  status: number;
  /** No answer in time: the write may or may not have happened (an overload symptom, not a wrong answer). */
  timedOut?: boolean;
  error?: string;
}

export interface WriterOptions {
  origin: string;
  appId: string;
  sessionToken: string;
  deals: DealState[];
  stages: readonly string[];
  seed: number;
}

const MAX_IN_FLIGHT = 256;
const WRITE_TIMEOUT_MS = 10_000;

export class Writer {
  readonly records: WriteRecord[] = [];
  private nextSeq = 1;
  private readonly busy = new Set<number>();
  /** Deals whose stage is unknown after a failed write: never picked again. */
  private readonly poisoned = new Set<number>();
  private readonly rng;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  private readonly url: URL;

  constructor(private readonly opts: WriterOptions) {
    this.rng = createPrng(opts.seed);
    this.url = new URL(opts.origin);
  }

  /** One write of deal `deal` to stage `to` (defaults: a random idle deal, a random other stage). */
  write(phase: Phase, deal?: number, to?: string): Promise<WriteRecord> | undefined {
    const index = deal ?? this.pickDeal();
    if (index === undefined) return undefined;
    const state = this.opts.deals[index]!;
    const others = this.opts.stages.filter((s) => s !== state.stage);
    const target = to ?? others[this.rng.int(others.length)]!;
    const record: WriteRecord = {
      seq: this.nextSeq++,
      deal: index,
      from: state.stage,
      to: target,
      phase,
      sendAt: 0,
      ackAt: 0,
      status: 0,
    };
    this.records.push(record);
    this.busy.add(index);
    const body = JSON.stringify({ stage: target, notes: `lq:${record.seq}` });
    return new Promise<WriteRecord>((resolve) => {
      const finish = (status: number, error?: string) => {
        if (record.ackAt !== 0) return;
        record.ackAt = wallClock();
        record.status = status;
        if (error) record.error = error;
        this.busy.delete(index);
        if (status === 200) state.stage = target;
        else this.poisoned.add(index);
        resolve(record);
      };
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method: 'PUT',
          path: `/parse/classes/Deal/${state.id}`,
          agent: this.agent,
          timeout: WRITE_TIMEOUT_MS,
          headers: {
            'X-Parse-Application-Id': this.opts.appId,
            'X-Parse-Session-Token': this.opts.sessionToken,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const ok = res.statusCode === 200 && text.includes('"updatedAt"');
            finish(ok ? 200 : (res.statusCode ?? 0) || 0, ok ? undefined : `HTTP ${res.statusCode} ${text.slice(0, 200)}`);
          });
          res.on('error', (e) => finish(0, e.message));
        },
      );
      req.on('timeout', () => {
        record.timedOut = true;
        req.destroy(new Error(`no answer within ${WRITE_TIMEOUT_MS} ms`));
      });
      req.on('error', (e) => finish(0, e.message));
      record.sendAt = wallClock();
      req.end(body);
    });
  }

  private pickDeal(): number | undefined {
    const n = this.opts.deals.length;
    for (let attempt = 0; attempt < 64; attempt++) {
      const i = this.rng.int(n);
      if (!this.busy.has(i) && !this.poisoned.has(i)) return i;
    }
    return undefined;
  }

  /**
   * `perSecond` writes per second for warmupS (phase warmup) then durationS (phase timed), on a fixed
   * schedule whatever the answers' latency (open loop). Resolves once every write is answered.
   */
  async stream(
    perSecond: number,
    warmupS: number,
    durationS: number,
    onTimedStart: () => void,
  ): Promise<{ scheduled: number; skipped: number; maxInFlight: number; lateMs: number }> {
    const interval = 1000 / perSecond;
    const total = Math.round(perSecond * (warmupS + durationS));
    const warmupCount = Math.round(perSecond * warmupS);
    const pending: Promise<WriteRecord>[] = [];
    let issued = 0;
    let skipped = 0;
    let maxInFlight = 0;
    let lateMs = 0;
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (issued < total && start + issued * interval <= now) {
          lateMs = Math.max(lateMs, now - (start + issued * interval));
          if (issued === warmupCount) onTimedStart();
          const phase: Phase = issued < warmupCount ? 'warmup' : 'timed';
          issued++;
          const promise = this.busy.size < MAX_IN_FLIGHT ? this.write(phase) : undefined;
          if (promise) pending.push(promise);
          else skipped++;
          maxInFlight = Math.max(maxInFlight, this.busy.size);
        }
        if (issued >= total) return resolve();
        setTimeout(tick, Math.max(0, start + issued * interval - performance.now()));
      };
      tick();
    });
    await Promise.all(pending);
    return { scheduled: total, skipped, maxInFlight, lateMs };
  }

  close(): void {
    this.agent.destroy();
  }
}
