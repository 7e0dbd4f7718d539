/**
 * `npm run bench:acl -w @crm/bench`: what the ACL filter costs on our server (SQLite). The pipeline and the
 * count by stage as a rep (reads 1/20 of the deals), as a manager (role `managers`, reads every deal) and with
 * the master key (no filter), side by side in one run. Target: rep/master and manager/master req/s >= 0.70.
 */
import { randomBytes } from 'node:crypto';
import { cleanupAll, installExitHandlers } from '../cleanup.js';
import { generateDataset, sizesFor } from '../dataset.js';
import { createRestClient } from '../rest.js';
import { buildScenarios } from '../scenarios.js';
import { declareClasses } from '../schema.js';
import { seed } from '../seed.js';
import {
  addToRole,
  appendSection,
  COMMON_USAGE,
  finish,
  httpOk,
  int,
  intOption,
  log,
  machineNote,
  parseCommonArgs,
  printSection,
  problemLines,
  profileScenario,
  ratioOf,
  ratioTable,
  rowsTable,
  runJobs,
  serverVersion,
  signUp,
  startOursServer,
  tempDir,
  writeResultsJson,
  type Job,
  type Section,
} from './common.js';
import { countAs, masterHeaders, pipelineAs, givePolicyAcls, sessionHeaders, type Caller } from './deal-scenarios.js';

const APP_ID = 'bench';
const REP_INDEX = 0;
const USAGE = `usage: npm run bench:acl -w @crm/bench -- [--deals N] [options]
  --deals N        deals to seed (default 50000; --quick 2000); other classes scale as in npm run bench
${COMMON_USAGE}`;

async function main(): Promise<number> {
  const args = parseCommonArgs(process.argv.slice(2), USAGE, ['deals']);
  const deals = intOption(args.values, 'deals', args.quick ? 2_000 : 50_000, 500);
  installExitHandlers(30 * 60 * 1000);
  const date = new Date().toISOString();
  const masterKey = randomBytes(24).toString('hex');
  const sizes = sizesFor(deals);
  const data = generateDataset(sizes, 42);
  const before = await machineNote();
  log(`bench:acl ${date}: ${JSON.stringify(sizes)}; ${before}`);

  const dir = tempDir('bench-acl-');
  const start = (profileDir?: string) =>
    startOursServer({
      appId: APP_ID,
      masterKey,
      dataDir: `${dir.path}/data`,
      description: `@crm/server ${serverVersion()} (embedded SQLite)`,
      profileDir,
    });
  let server = await start();
  const rest = createRestClient(server.origin, APP_ID, masterKey);
  await declareClasses(rest);
  const seeded = await seed(rest, data, log);

  // The seed writes deals with the master key and an owner-only ACL, which the policy leaves alone; a
  // manager would see none of them. A rep's own deal gets the policy's role entries, so give every seeded
  // deal the ACL it would have in production (same batches as the seed: 50 per /batch, 4 in flight).
  const managerBefore = await (async () => {
    const mgr = await signUp(server.origin, APP_ID, 'manager01', 'bench-pass-manager', 'manager01@bench.example');
    await addToRole(server.origin, APP_ID, masterKey, 'managers', mgr.objectId);
    const res = await httpOk(
      server.origin,
      'GET',
      '/parse/classes/Deal?count=1&limit=0',
      sessionHeaders(APP_ID, mgr.sessionToken),
    );
    return { mgr, visible: res.count as number };
  })();
  log(`  manager01 in role managers sees ${managerBefore.visible} of ${deals} deals as seeded (owner-only ACLs)`);
  const aclSeconds = await givePolicyAcls(rest, data, seeded);
  const manager = managerBefore.mgr;
  const visibleAfter = (
    await httpOk(server.origin, 'GET', '/parse/classes/Deal?count=1&limit=0', sessionHeaders(APP_ID, manager.sessionToken))
  ).count as number;
  log(`  deals given the policy ACL in ${aclSeconds.toFixed(1)} s; manager01 now sees ${visibleAfter} deals`);

  const rep = seeded.users[REP_INDEX]!;
  const callers = (): Caller[] => [
    {
      name: `rep ${rep.username}`,
      headers: sessionHeaders(APP_ID, rep.sessionToken),
      repIndex: REP_INDEX,
      ownerId: rep.objectId,
    },
    { name: 'manager', headers: sessionHeaders(APP_ID, manager.sessionToken) },
    { name: 'master key', headers: masterHeaders(APP_ID, masterKey) },
  ];
  const build = (origin: string) => {
    const main = buildScenarios({ origin, appId: APP_ID, masterKey, data, seeded, repIndex: REP_INDEX });
    const [repC, mgrC, masterC] = callers();
    return [
      // The rep's pipeline and count are the main bench's own scenarios (same bytes, same checks).
      { ...main.find((s) => s.id === 'pipeline')!, id: 'pipeline-rep', label: `pipeline as ${repC!.name}` },
      pipelineAs(origin, data, mgrC!, 'pipeline-manager'),
      pipelineAs(origin, data, masterC!, 'pipeline-master'),
      countAs(origin, data, repC!),
      countAs(origin, data, mgrC!),
      countAs(origin, data, masterC!),
    ];
  };
  const label = `ours (SQLite, ${int(deals)} deals)`;
  const load = { connections: args.connections, durationS: args.durationS, warmupS: args.warmupS };
  const rows = await runJobs(
    build(server.origin).map((sc): Job => ({ target: server, scenario: sc, targetLabel: label })),
    args,
  );

  const profiles = [];
  if (args.profile) {
    await server.stop();
    for (const id of ['pipeline-rep', 'pipeline-master', 'count-manager', 'count-master key']) {
      profiles.push(
        await profileScenario(
          'acl',
          (p) => start(p),
          (origin) => build(origin).find((s) => s.id === id)!,
          load,
        ),
      );
    }
    server = await start();
  }
  await server.stop();

  const byId = (label: string) => rows.find((r) => r.label === label);
  const rps = (m: { reqPerSec: number }) => m.reqPerSec;
  const cpu = (m: { serverCpuMsPerReq: number }) => m.serverCpuMsPerReq;
  const goal = { text: '>= 0.70 (ACL costs < 30%)', test: (r: number) => r >= 0.7 };
  const [repC, mgrC, masterC] = callers().map((c) => c.name);
  const targets = [
    ratioOf('pipeline: rep / master key (req/s)', byId(`pipeline as ${repC}`), byId(`pipeline as ${masterC}`), rps, goal),
    ratioOf('pipeline: manager / master key (req/s)', byId(`pipeline as ${mgrC}`), byId(`pipeline as ${masterC}`), rps, goal),
    ratioOf(
      'count by stage: rep / master key (req/s)',
      byId(`count by stage as ${repC}`),
      byId(`count by stage as ${masterC}`),
      rps,
      goal,
    ),
    ratioOf(
      'count by stage: manager / master key (req/s)',
      byId(`count by stage as ${mgrC}`),
      byId(`count by stage as ${masterC}`),
      rps,
      goal,
    ),
    // Server CPU per request is far less sensitive to other processes than req/s on a shared machine:
    // master CPU / caller CPU is the throughput ratio a CPU-bound server would show.
    ...(['pipeline', 'count by stage'] as const).flatMap((what) =>
      [repC, mgrC].map((who) =>
        ratioOf(
          `${what}: ${who === repC ? 'rep' : 'manager'} / master key (server CPU per request, inverted)`,
          byId(`${what} as ${masterC}`),
          byId(`${what} as ${who}`),
          cpu,
        ),
      ),
    ),
  ];
  const repDeals = data.deals.filter((d) => d.owner === REP_INDEX).length;
  const section: Section = {
    title: 'ACL cost (`bench:acl`)',
    command: `npm run bench:acl -w @crm/bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date,
    bullets: [
      `Data: ${sizes.users} reps + 1 admin (signed up first) + 1 manager (signed up after the seed, added to role \`managers\` with the master key), ` +
        `${int(sizes.companies)} companies, ${int(sizes.contacts)} contacts, ${int(sizes.deals)} deals, ${int(sizes.activities)} activities (PRNG seed 42), ` +
        `seeded by the main bench's seed (REST /batch) in ${seeded.seconds.toFixed(1)} s.`,
      `Deal ACLs: the seed writes owner-only ACLs with the master key (the policy leaves master-key ACLs alone), under which the manager sees ` +
        `${int(managerBefore.visible)} deals; every deal was then given the ACL the policy gives a rep's own deal ` +
        `(owner rw, \`role:managers\` r, \`role:admins\` rw) through /batch PUTs (${aclSeconds.toFixed(1)} s). The rep reads ${int(repDeals)} deals, the manager ${int(visibleAfter)}.`,
      `Load: ${args.connections} connections, ${args.warmupS} s warm-up + ${args.durationS} s per row, ${args.rounds} interleaved round(s), least disturbed kept. ` +
        `Pipeline = \`GET /parse/classes/Deal?where={"stage":"qualified"}&order=expectedCloseDate&limit=50\`; count = \`where={"stage":"proposal"}&count=1&limit=0\`.`,
      `ours: @crm/server ${serverVersion()} (embedded SQLite), LOG_LEVEL=silent, AUTH_RATE_LIMIT=0. Machine before the run: ${before}; after: ${await machineNote()}.`,
    ],
    tables: [
      ['Results', rowsTable(rows)],
      ['Ratios and targets', ratioTable(targets)],
    ],
    notes: profiles.map(
      (p) =>
        `- profile of *${p.label}* (${Math.round(p.measurement.reqPerSec)} req/s under --cpu-prof), self time: ${p.functions.slice(0, 8).join('; ')} — by area: ${p.areas.join(', ')}`,
    ),
    problems: problemLines(rows),
  };
  printSection(section);
  log(`\nresults written to ${writeResultsJson('acl', date, { section, rows, targets, profiles })}`);
  if (args.doc) appendSection(section);
  return rows.some((r) => !r.valid) ? 1 : 0;
}

finish(main, cleanupAll);
