/**
 * `npm run bench:forecast -w @crm/bench`: the `pipelineSummary` cloud function (docs/FORECASTING.md) on our
 * server (SQLite) at 50,000 deals, as a rep (reads 1/20 of the deals) and as a manager (role `managers`,
 * reads every deal). One ACL-filtered GROUP BY per call; the pre-flight checks the deal count it reports
 * against the data set. Deals get the ACL the CRM policy gives a rep's own deal, as in bench:acl.
 */
import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { describe, expectStatus, sample } from '../checks.js';
import { cleanupAll, installExitHandlers } from '../cleanup.js';
import { generateDataset, sizesFor, type Dataset } from '../dataset.js';
import { createRestClient } from '../rest.js';
import type { Scenario } from '../scenarios.js';
import { declareClasses } from '../schema.js';
import { seed } from '../seed.js';
import {
  addToRole,
  appendSection,
  COMMON_USAGE,
  finish,
  int,
  intOption,
  log,
  machineNote,
  noFindings,
  parseCommonArgs,
  printSection,
  problemLines,
  rowsTable,
  runJobs,
  scenario,
  serverVersion,
  signUp,
  startOursServer,
  tempDir,
  writeResultsJson,
  type Job,
  type Section,
} from './common.js';
import { givePolicyAcls, sessionHeaders, type Caller } from './deal-scenarios.js';

const APP_ID = 'bench';
const REP_INDEX = 0;
const CLOSED = new Set(['won', 'lost']);
const USAGE = `usage: npm run bench:forecast -w @crm/bench -- [--deals N] [options]
  --deals N        deals to seed (default 50000; --quick 2000); other classes scale as in npm run bench
${COMMON_USAGE}`;

/**
 * Second half of the data set's close dates up to past "now": open deals count by expectedCloseDate (about
 * half of them), closed deals by the day they closed — seeding day — so both branches of the period filter work.
 */
function benchPeriod(): { from: string; to: string } {
  const to = new Date(Math.max(Date.now() + 86_400_000, Date.UTC(2027, 0, 1)));
  return { from: '2026-07-01T00:00:00.000Z', to: to.toISOString() };
}

function expectedCount(data: Dataset, caller: Caller, period: { from: string; to: string }): number {
  return data.deals.filter(
    (d) =>
      (caller.repIndex === undefined || d.owner === caller.repIndex) &&
      (CLOSED.has(d.stage) || (d.expectedCloseDate >= period.from && d.expectedCloseDate < period.to)),
  ).length;
}

interface Summary {
  stages?: { count: number }[];
  wonCount?: number;
}

function summaryAs(origin: string, data: Dataset, caller: Caller, id: string): Scenario {
  const period = benchPeriod();
  const request: autocannon.Request = {
    method: 'POST',
    path: '/parse/functions/pipelineSummary',
    headers: { ...caller.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(period),
  };
  const expected = expectedCount(data, caller, period);
  const ok = (body: string) => body.startsWith('{"result":') && body.includes('"weightedAmount"');
  return scenario(id, `pipelineSummary as ${caller.name}`, [request], ok, async () => {
    const findings = noFindings();
    const res = await sample(origin, request);
    if (!expectStatus(findings, request, res, 200)) return findings;
    const result = (res.json as { result?: Summary } | undefined)?.result;
    if (!result?.stages) {
      findings.errors.push(`no summary: ${describe(request, res)}`);
      return findings;
    }
    const counted = result.stages.reduce((n, s) => n + s.count, 0);
    if (counted !== expected) findings.errors.push(`summary counts ${counted} deals, the data set gives ${expected}`);
    if (!result.wonCount) findings.warnings.push('no won deal in the period');
    return findings;
  });
}

async function main(): Promise<number> {
  const args = parseCommonArgs(process.argv.slice(2), USAGE, ['deals']);
  const deals = intOption(args.values, 'deals', args.quick ? 2_000 : 50_000, 500);
  installExitHandlers(30 * 60 * 1000);
  const date = new Date().toISOString();
  const masterKey = randomBytes(24).toString('hex');
  const sizes = sizesFor(deals);
  const data = generateDataset(sizes, 42);
  const before = await machineNote();
  log(`bench:forecast ${date}: ${JSON.stringify(sizes)}; ${before}`);

  const dir = tempDir('bench-forecast-');
  const server = await startOursServer({
    appId: APP_ID,
    masterKey,
    dataDir: `${dir.path}/data`,
    description: `@crm/server ${serverVersion()} (embedded SQLite)`,
  });
  const rest = createRestClient(server.origin, APP_ID, masterKey);
  await declareClasses(rest);
  const seeded = await seed(rest, data, log);
  const aclSeconds = await givePolicyAcls(rest, data, seeded);
  const manager = await signUp(server.origin, APP_ID, 'manager01', 'bench-pass-manager', 'manager01@bench.example');
  await addToRole(server.origin, APP_ID, masterKey, 'managers', manager.objectId);
  log(`  deals given the policy ACL in ${aclSeconds.toFixed(1)} s`);

  const rep = seeded.users[REP_INDEX]!;
  const repCaller: Caller = {
    name: `rep ${rep.username}`,
    headers: sessionHeaders(APP_ID, rep.sessionToken),
    repIndex: REP_INDEX,
  };
  const mgrCaller: Caller = { name: 'manager', headers: sessionHeaders(APP_ID, manager.sessionToken) };
  const label = `ours (SQLite, ${int(deals)} deals)`;
  const rows = await runJobs(
    [summaryAs(server.origin, data, repCaller, 'summary-rep'), summaryAs(server.origin, data, mgrCaller, 'summary-manager')].map(
      (sc): Job => ({ target: server, scenario: sc, targetLabel: label }),
    ),
    args,
  );
  await server.stop();

  const period = benchPeriod();
  const section: Section = {
    title: 'Forecast (`bench:forecast`)',
    command: `npm run bench:forecast -w @crm/bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date,
    bullets: [
      `Data: ${sizes.users} reps + 1 admin + 1 manager (role \`managers\`), ${int(sizes.deals)} deals (PRNG seed 42) seeded by the main bench's seed ` +
        `in ${seeded.seconds.toFixed(1)} s, then given the policy's deal ACL (${aclSeconds.toFixed(1)} s). The rep reads ` +
        `${int(expectedCount(data, repCaller, period))} deals of the period, the manager ${int(expectedCount(data, mgrCaller, period))}.`,
      `Request: \`POST /parse/functions/pipelineSummary {"from":"${period.from}","to":"${period.to}"}\` — one GROUP BY over the caller's readable deals.`,
      `Load: ${args.connections} connections, ${args.warmupS} s warm-up + ${args.durationS} s per row, ${args.rounds} interleaved round(s), least disturbed kept. ` +
        `Machine before the run: ${before}; after: ${await machineNote()}.`,
    ],
    tables: [['Results', rowsTable(rows)]],
    notes: [],
    problems: problemLines(rows),
  };
  printSection(section);
  log(`\nresults written to ${writeResultsJson('forecast', date, { section, rows })}`);
  if (args.doc) appendSection(section);
  return rows.some((r) => !r.valid) ? 1 : 0;
}

finish(main, cleanupAll);
