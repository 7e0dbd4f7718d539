/**
 * `npm run bench:graphql -w @crm/bench`: the pipeline page through GraphQL (`POST /graphql`, the request pair of
 * packages/server/test/graphql/README.md) beside REST on the same server, data and connections, as rep01.
 * Target: GraphQL p50 and p99 latency within 1.5x of REST's.
 */
import { randomBytes } from 'node:crypto';
import { cleanupAll, installExitHandlers } from '../cleanup.js';
import { generateDataset, sizesFor } from '../dataset.js';
import { createRestClient } from '../rest.js';
import { buildScenarios } from '../scenarios.js';
import { declareClasses } from '../schema.js';
import { seed } from '../seed.js';
import {
  appendSection,
  COMMON_USAGE,
  finish,
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
  startOursServer,
  tempDir,
  writeResultsJson,
  type Section,
} from './common.js';
import { GRAPHQL_PIPELINE, graphqlPipelineAs, sessionHeaders } from './deal-scenarios.js';

const APP_ID = 'bench';
const REP_INDEX = 0;
const USAGE = `usage: npm run bench:graphql -w @crm/bench -- [--deals N] [options]
  --deals N        deals to seed (default 50000; --quick 2000)
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
  log(`bench:graphql ${date}: ${JSON.stringify(sizes)}; ${before}`);

  const dir = tempDir('bench-graphql-');
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
  const rep = seeded.users[REP_INDEX]!;
  const caller = {
    name: `rep ${rep.username}`,
    headers: sessionHeaders(APP_ID, rep.sessionToken),
    repIndex: REP_INDEX,
    ownerId: rep.objectId,
  };

  const build = (origin: string) => {
    const restPipeline = buildScenarios({ origin, appId: APP_ID, masterKey, data, seeded, repIndex: REP_INDEX }).find(
      (s) => s.id === 'pipeline',
    )!;
    return [
      { ...restPipeline, label: `pipeline via REST as ${caller.name}` },
      graphqlPipelineAs(origin, caller, restPipeline.requests[0]!),
    ];
  };
  const label = `ours (SQLite, ${int(deals)} deals)`;
  const rows = await runJobs(
    build(server.origin).map((scenario) => ({ target: server, scenario, targetLabel: label })),
    args,
  );
  const load = { connections: args.connections, durationS: args.durationS, warmupS: args.warmupS };
  const profiles = [];
  if (args.profile) {
    await server.stop();
    for (const index of [0, 1])
      profiles.push(
        await profileScenario(
          'graphql',
          (p) => start(p),
          (origin) => build(origin)[index]!,
          load,
        ),
      );
    server = await start();
  }
  await server.stop();

  const [restRow, gqlRow] = rows;
  const within = { text: '<= 1.50', test: (r: number) => r <= 1.5 };
  const targets = [
    ratioOf('GraphQL / REST p50 latency', gqlRow, restRow, (m) => m.latencyMs.p50, within),
    ratioOf('GraphQL / REST p99 latency', gqlRow, restRow, (m) => m.latencyMs.p99, within),
    ratioOf('GraphQL / REST req/s', gqlRow, restRow, (m) => m.reqPerSec),
    ratioOf('GraphQL / REST server CPU per request', gqlRow, restRow, (m) => m.serverCpuMsPerReq),
  ];
  const section: Section = {
    title: 'GraphQL vs REST (`bench:graphql`)',
    command: `npm run bench:graphql -w @crm/bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date,
    bullets: [
      `Data: ${sizes.users} reps + 1 admin (signed up first), ${int(sizes.companies)} companies, ${int(sizes.contacts)} contacts, ${int(sizes.deals)} deals, ` +
        `${int(sizes.activities)} activities (PRNG seed 42), seeded by the main bench's seed (REST /batch) in ${seeded.seconds.toFixed(1)} s.`,
      `Load: ${args.connections} connections, ${args.warmupS} s warm-up + ${args.durationS} s per row, ${args.rounds} round(s) alternating REST and GraphQL, least disturbed kept; ` +
        `as rep \`${rep.username}\` (session token). REST = \`GET /parse/classes/Deal?where={"stage":"qualified"}&order=expectedCloseDate&limit=50\` (all fields); ` +
        `GraphQL = \`POST /graphql\` \`${GRAPHQL_PIPELINE}\` (5 fields); pre-flight checks both return the same 50 objectIds in the same order.`,
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
  log(`\nresults written to ${writeResultsJson('graphql', date, { section, rows, targets, profiles })}`);
  if (args.doc) appendSection(section);
  return rows.some((r) => !r.valid) ? 1 : 0;
}

finish(main, cleanupAll);
