/**
 * `npm run bench:login -w @crm/bench`: POST /parse/login throughput and latency on our server (bcrypt cost 10,
 * the server's own hashes) at a few concurrency levels, beside bare `bcrypt.compare` at cost 10 with the same
 * concurrency in one process (the `bcrypt` package the server uses, same libuv thread pool size). The claim to
 * check: login is bounded by hashing, i.e. login req/s / bcrypt compares/s is close to 1.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import bcrypt from 'bcrypt';
import type autocannon from 'autocannon';
import { cleanupAll, installExitHandlers } from '../cleanup.js';
import { runPool } from '../pool.js';
import { machineCpuTicks, ticksPerSecond } from '../proc.js';
import type { Table } from '../table.js';
import {
  appendSection,
  COMMON_USAGE,
  finish,
  int,
  log,
  machineNote,
  noFindings,
  parseCommonArgs,
  printSection,
  problemLines,
  profileScenario,
  ratioTable,
  rowsTable,
  runJobs,
  scenario,
  serverVersion,
  signUp,
  startOursServer,
  tempDir,
  writeResultsJson,
  type Job,
  type Row,
  type Section,
  type Target,
} from './common.js';
import { describe, expectStatus, sample } from '../checks.js';

const APP_ID = 'bench';
const BCRYPT_COST = 10;
const USERS = 20;
const USAGE = `usage: npm run bench:login -w @crm/bench -- [--levels 1,4,16] [options]
  --levels L       comma-separated concurrency levels (default 1,4,16; --quick 4)
${COMMON_USAGE}`;

interface BareResult {
  concurrency: number;
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  cpuPercent: number;
  cpuMsPerOp: number;
  /** CPU used by everything but this process during the run (% of one core). */
  otherCpuPercent: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** `concurrency` loops of bcrypt.compare for `seconds` (after a warm-up), timed like a load run. */
async function bareCompare(
  hash: string,
  password: string,
  concurrency: number,
  seconds: number,
  warmupS: number,
): Promise<BareResult> {
  const loop = async (until: number, latencies?: number[]) => {
    while (performance.now() < until) {
      const t = performance.now();
      if (!(await bcrypt.compare(password, hash))) throw new Error('bcrypt.compare returned false');
      latencies?.push(performance.now() - t);
    }
  };
  if (warmupS > 0) {
    const until = performance.now() + warmupS * 1000;
    await Promise.all(Array.from({ length: concurrency }, () => loop(until)));
  }
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const machine0 = machineCpuTicks().busy;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, () => loop(until, latencies)));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const machineMs = ((machineCpuTicks().busy - machine0) * 1000) / ticksPerSecond();
  const ownMs = (cpu.user + cpu.system) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    ops: latencies.length,
    seconds: elapsed,
    opsPerSec: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuPercent: ((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 100,
    cpuMsPerOp: ownMs / Math.max(1, latencies.length),
    otherCpuPercent: Math.max(0, ((machineMs - ownMs) / (elapsed * 1000)) * 100),
  };
}

async function main(): Promise<number> {
  const args = parseCommonArgs(process.argv.slice(2), USAGE, ['levels']);
  const levels = (args.values.get('levels') ?? (args.quick ? '4' : '1,4,16')).split(',').map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bad --levels value "${v}"`);
    return n;
  });
  installExitHandlers(20 * 60 * 1000);
  const date = new Date().toISOString();
  const masterKey = randomBytes(24).toString('hex');
  const before = await machineNote();
  log(
    `bench:login ${date}: levels ${levels.join(', ')}; ${before}; UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '(default 4)'}`,
  );

  const dir = tempDir('bench-login-');
  const env = { AUTH_RATE_LIMIT: '0', ACCOUNT_LOCKOUT_THRESHOLD: '0' };
  const start = (profileDir?: string) =>
    startOursServer({
      appId: APP_ID,
      masterKey,
      dataDir: `${dir.path}/data`,
      env,
      description: `@crm/server ${serverVersion()} (embedded SQLite)`,
      profileDir,
    });
  let server = await start();
  // The first user becomes the admin under the CRM policy; the reps log in.
  await signUp(server.origin, APP_ID, 'bench-admin', 'bench-pass-admin', 'admin@bench.example');
  const users = await runPool(USERS, 4, (i) => {
    const n = String(i + 1).padStart(2, '0');
    return signUp(server.origin, APP_ID, `rep${n}`, `bench-pass-${n}`, `rep${n}@bench.example`).then((s) => ({
      ...s,
      password: `bench-pass-${n}`,
    }));
  });

  const loginBodies = users.map((u) => JSON.stringify({ username: u.username, password: u.password }));
  const build = (origin: string, concurrency: number) => {
    let next = 0;
    const request: autocannon.Request = {
      method: 'POST',
      path: '/parse/login',
      headers: { 'X-Parse-Application-Id': APP_ID, 'Content-Type': 'application/json' },
      body: loginBodies[0],
      setupRequest: (req) => {
        req.body = loginBodies[next++ % loginBodies.length];
        return req;
      },
    };
    return scenario(
      `login-c${concurrency}`,
      `POST /parse/login, ${concurrency} connection${concurrency > 1 ? 's' : ''}`,
      [request],
      (b) => b.includes('"sessionToken"'),
      async () => {
        const findings = noFindings();
        const probe = { ...request, body: loginBodies[1] };
        const res = await sample(origin, probe);
        if (!expectStatus(findings, probe, res, 200)) return findings;
        if (!(res.json as { sessionToken?: string })?.sessionToken)
          findings.errors.push(`no sessionToken: ${describe(probe, res)}`);
        return findings;
      },
    );
  };
  const label = 'ours (SQLite)';
  const loginRows: Row[] = [];
  const bare: BareResult[] = [];
  // Hash made by the same package and cost as the server's; one per run like the server compares one per login.
  const hash = await bcrypt.hash(users[0]!.password, BCRYPT_COST);
  for (const concurrency of levels) {
    const job: Job = {
      target: server,
      scenario: build(server.origin, concurrency),
      targetLabel: label,
      load: { connections: concurrency },
    };
    // Login and bare runs alternate per round so both see the same machine; the pair whose two runs were
    // least disturbed by other processes is kept (errors in any round still invalidate the login row).
    const rowArgs = { ...args, rounds: 1 };
    let best: { row: Row; bare: BareResult; other: number } | undefined;
    const problems: string[] = [];
    for (let round = 1; round <= args.rounds; round++) {
      const [r] = await runJobs([job], rowArgs);
      problems.push(...r!.problems);
      const b = await bareCompare(hash, users[0]!.password, concurrency, args.durationS, args.warmupS);
      log(
        `  [${round}/${args.rounds}] bare bcrypt.compare x${concurrency}: ${b.opsPerSec.toFixed(1)}/s  p50 ${b.p50.toFixed(1)} ms  p99 ${b.p99.toFixed(1)} ms  ` +
          `${b.cpuMsPerOp.toFixed(1)} ms CPU/compare (${Math.round(b.cpuPercent)}%)  other ${Math.round(b.otherCpuPercent)}%`,
      );
      const other = (r!.measurement?.otherCpuPercent ?? Infinity) + b.otherCpuPercent;
      if (!best || other < best.other) best = { row: r!, bare: b, other };
    }
    loginRows.push({ ...best!.row, valid: problems.length === 0, problems });
    bare.push(best!.bare);
  }

  const profiles = [];
  if (args.profile) {
    await server.stop();
    const top = levels.at(-1)!;
    profiles.push(
      await profileScenario(
        'login',
        (p) => start(p),
        (origin) => build(origin, top),
        { connections: top, durationS: args.durationS, warmupS: args.warmupS },
      ),
    );
    server = await start();
  }
  await server.stop();

  const bareTable: Table = {
    headers: ['concurrency', 'bcrypt.compare/s', 'p50 ms', 'p99 ms', 'CPU ms/compare', 'CPU (bench process)', 'other CPU'],
    rows: bare.map((b) => [
      String(b.concurrency),
      b.opsPerSec.toFixed(1),
      b.p50.toFixed(1),
      b.p99.toFixed(1),
      b.cpuMsPerOp.toFixed(1),
      `${Math.round(b.cpuPercent)}%`,
      `${Math.round(b.otherCpuPercent)}%`,
    ]),
    numeric: new Set([0, 1, 2, 3, 4, 5, 6]),
  };
  const targets: Target[] = [];
  levels.forEach((c, i) => {
    const row = loginRows[i]!;
    const b = bare[i]!;
    const m = row.measurement;
    const ratio = m ? m.reqPerSec / b.opsPerSec : undefined;
    targets.push({
      what: `${c} conn.: login req/s / bcrypt.compare/s`,
      ratio,
      goal: 'close to 1 (>= 0.90)',
      ...(ratio === undefined ? { note: 'not measured' } : !row.valid ? { note: 'invalid row' } : { met: ratio >= 0.9 }),
    });
    if (m) {
      targets.push({
        what: `${c} conn.: bcrypt CPU per compare / server CPU per login`,
        ratio: b.cpuMsPerOp / m.serverCpuMsPerReq,
        goal: '(reference)',
      });
      targets.push({ what: `${c} conn.: login p50 / bcrypt p50`, ratio: m.latencyMs.p50 / b.p50, goal: '(reference)' });
      targets.push({ what: `${c} conn.: login p99 / bcrypt p99`, ratio: m.latencyMs.p99 / b.p99, goal: '(reference)' });
    }
  });
  const single =
    bare.reduce((a, b) => a + b.cpuMsPerOp * b.ops, 0) /
    Math.max(
      1,
      bare.reduce((a, b) => a + b.ops, 0),
    );
  const section: Section = {
    title: 'Login throughput (`bench:login`)',
    command: `npm run bench:login -w @crm/bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date,
    bullets: [
      `Data: 1 admin + ${USERS} reps signed up through \`POST /parse/users\` (bcrypt cost ${BCRYPT_COST}, the server's hashes); the load cycles over the ${USERS} reps' \`{username, password}\`, every login creates a session.`,
      `ours: @crm/server ${serverVersion()} (embedded SQLite), LOG_LEVEL=silent, AUTH_RATE_LIMIT=0, ACCOUNT_LOCKOUT_THRESHOLD=0, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? 'default (4)'}.`,
      `Bare: \`bcrypt.compare\` (package \`bcrypt\` ${bcryptVersion()}, cost ${BCRYPT_COST}) with N concurrent loops in the bench process (same thread-pool size), the server idle. ` +
        `Load: ${args.warmupS} s warm-up + ${args.durationS} s per row, ${args.rounds} round(s) alternating login and bare; the (login, bare) pair least disturbed by other processes is kept.`,
      `Machine before the run: ${before}; after: ${await machineNote()}.`,
    ],
    tables: [
      ['Login (POST /parse/login)', rowsTable(loginRows)],
      ['Bare bcrypt.compare, cost 10, one process', bareTable],
      ['Ratios and targets', ratioTable(targets)],
    ],
    notes: [
      `- One cost-${BCRYPT_COST} compare costs ${single.toFixed(1)} ms of CPU here (bare run, all levels); with ${availableParallelism()} cores the ceiling is about ${int((availableParallelism() * 1000) / single)} compares/s whatever the concurrency, and a login can only be slower.`,
      ...profiles.map(
        (p) =>
          `- profile of *${p.label}* (${Math.round(p.measurement.reqPerSec)} req/s under --cpu-prof), self time: ${p.functions.slice(0, 8).join('; ')} — by area: ${p.areas.join(', ')}`,
      ),
    ],
    problems: problemLines(loginRows),
  };
  printSection(section);
  log(`\nresults written to ${writeResultsJson('login', date, { section, loginRows, bare, targets, profiles })}`);
  if (args.doc) appendSection(section);
  return loginRows.some((r) => !r.valid) ? 1 : 0;
}

function bcryptVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../../../../node_modules/bcrypt/package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return '?';
  }
}

finish(main, cleanupAll);
