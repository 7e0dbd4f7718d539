/**
 * Scenarios the extra suites add to the main bench's (../scenarios.ts, reused as they are): the pipeline and
 * the count by stage as any caller (a manager, the master key), and the pipeline through GraphQL. Request
 * bytes match the main bench's, only the credentials differ.
 */
import type autocannon from 'autocannon';
import {
  checkFirstDate,
  checkLength,
  checkOrder,
  checkPointer,
  expectResults,
  expectStatus,
  describe,
  sample,
} from '../checks.js';
import type { Dataset } from '../dataset.js';
import { runPool } from '../pool.js';
import type { RestClient } from '../rest.js';
import type { Seeded } from '../seed.js';
import { policyAcl } from './pg-data.js';
import type { Scenario } from '../scenarios.js';
import { noFindings, query, scenario } from './common.js';

export const PAGE = 50;
export const PIPELINE_WHERE = { stage: 'qualified' };
export const PIPELINE_PATH = `/parse/classes/Deal?${query({ where: PIPELINE_WHERE, order: 'expectedCloseDate', limit: PAGE })}`;
export const COUNT_STAGE = 'proposal';
export const COUNT_PATH = `/parse/classes/Deal?${query({ where: { stage: COUNT_STAGE }, count: 1, limit: 0 })}`;

const hasResults = (body: string) => body.includes('"objectId"');
const hasCount = (body: string) => /"count"\s*:\s*[1-9]/.test(body);

export interface Caller {
  /** "rep rep01", "manager", "master key" */
  name: string;
  headers: Record<string, string>;
  /** Index of the rep in the dataset when the caller only sees their own deals; undefined = sees all. */
  repIndex?: number;
  /** objectId every result's assignedTo must name (reps). */
  ownerId?: string;
}

export const sessionHeaders = (appId: string, sessionToken: string) => ({
  'X-Parse-Application-Id': appId,
  'X-Parse-Session-Token': sessionToken,
});
export const masterHeaders = (appId: string, masterKey: string) => ({
  'X-Parse-Application-Id': appId,
  'X-Parse-Master-Key': masterKey,
});

const visibleTo = (data: Dataset, caller: Caller) =>
  caller.repIndex === undefined ? data.deals : data.deals.filter((d) => d.owner === caller.repIndex);

function earliestQualified(data: Dataset, caller: Caller): { expected: number; earliest: string } {
  const qualified = visibleTo(data, caller).filter((d) => d.stage === 'qualified');
  let earliest = '';
  for (const d of qualified) if (earliest === '' || d.expectedCloseDate < earliest) earliest = d.expectedCloseDate;
  return { expected: Math.min(PAGE, qualified.length), earliest };
}

export function pipelineAs(origin: string, data: Dataset, caller: Caller, id = `pipeline-${caller.name}`): Scenario {
  const request: autocannon.Request = { method: 'GET', path: PIPELINE_PATH, headers: caller.headers };
  const { expected, earliest } = earliestQualified(data, caller);
  return scenario(id, `pipeline as ${caller.name}`, [request], hasResults, async () => {
    const findings = noFindings();
    const results = expectResults(findings, request, await sample(origin, request));
    if (!results) return findings;
    checkLength(findings, 'pipeline', results, expected);
    checkOrder(findings, 'pipeline', results, 'expectedCloseDate', false);
    checkFirstDate(findings, 'pipeline', results, 'expectedCloseDate', earliest);
    if (caller.ownerId) checkPointer(findings, 'pipeline (ACL)', results, 'assignedTo', caller.ownerId);
    return findings;
  });
}

export function countAs(origin: string, data: Dataset, caller: Caller, extraDeals = 0): Scenario {
  const request: autocannon.Request = { method: 'GET', path: COUNT_PATH, headers: caller.headers };
  const expected = visibleTo(data, caller).filter((d) => d.stage === COUNT_STAGE).length + extraDeals;
  return scenario(`count-${caller.name}`, `count by stage as ${caller.name}`, [request], hasCount, async () => {
    const findings = noFindings();
    const res = await sample(origin, request);
    if (!expectStatus(findings, request, res, 200)) return findings;
    const got = res.json as { count?: unknown; results?: unknown[] } | undefined;
    if (typeof got?.count !== 'number' || got.count === 0) findings.errors.push(`no positive count: ${describe(request, res)}`);
    else if (got.count !== expected) findings.warnings.push(`count ${got.count}, expected ${expected}`);
    if (got?.results?.length) findings.warnings.push(`limit=0 returned ${got.results.length} results`);
    return findings;
  });
}

/** The GraphQL request pair of packages/server/test/graphql/README.md ("Benchmark hook"). */
export const GRAPHQL_PIPELINE =
  '{ deals(where: {stage: {equalTo: "qualified"}}, order: [expectedCloseDate_ASC], first: 50) ' +
  '{ edges { node { objectId title amount stage expectedCloseDate } } } }';

interface GraphQLNode {
  objectId?: string;
  expectedCloseDate?: unknown;
}

/** Same page as REST, checked against REST's answer (same objectIds in the same order). */
export function graphqlPipelineAs(origin: string, caller: Caller, restRequest: autocannon.Request): Scenario {
  const request: autocannon.Request = {
    method: 'POST',
    path: '/graphql',
    headers: { ...caller.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: GRAPHQL_PIPELINE }),
  };
  const ok = (body: string) => body.includes('"objectId"') && !body.includes('"errors"');
  return scenario(`graphql-${caller.name}`, `pipeline via GraphQL as ${caller.name}`, [request], ok, async () => {
    const findings = noFindings();
    const res = await sample(origin, request);
    if (!expectStatus(findings, request, res, 200)) return findings;
    const json = res.json as { data?: { deals?: { edges?: { node: GraphQLNode }[] } }; errors?: unknown } | undefined;
    if (json?.errors) findings.errors.push(`GraphQL errors: ${describe(request, res)}`);
    const nodes = json?.data?.deals?.edges?.map((e) => e.node) ?? [];
    if (nodes.length === 0) {
      findings.errors.push(`no deals: ${describe(request, res)}`);
      return findings;
    }
    const rest = await sample(origin, restRequest);
    const restIds = ((rest.json as { results?: { objectId: string }[] } | undefined)?.results ?? []).map((r) => r.objectId);
    const gqlIds = nodes.map((n) => n.objectId);
    if (JSON.stringify(restIds) !== JSON.stringify(gqlIds)) {
      findings.warnings.push(
        `GraphQL page differs from REST's: ${gqlIds.slice(0, 5).join(',')}… vs ${restIds.slice(0, 5).join(',')}…`,
      );
    }
    return findings;
  });
}

/**
 * The main seed writes deals with the master key and an owner-only ACL, which the CRM policy leaves alone; this
 * gives every seeded deal the ACL the policy gives a rep's own deal (owner rw, managers r, admins rw) through
 * /batch PUTs, 50 per request, 4 in flight. Returns the seconds it took.
 */
export async function givePolicyAcls(rest: RestClient, data: Dataset, seeded: Seeded): Promise<number> {
  const t0 = performance.now();
  const deals = seeded.dealIds.length;
  await runPool(Math.ceil(deals / 50), 4, async (b) => {
    const requests = [];
    for (let i = b * 50; i < Math.min(deals, (b + 1) * 50); i++) {
      const owner = seeded.users[data.deals[i]!.owner]!.objectId;
      requests.push({ method: 'PUT', path: `/parse/classes/Deal/${seeded.dealIds[i]}`, body: { ACL: policyAcl(owner) } });
    }
    const answer = (await rest.ok('POST', '/parse/batch', { master: true }, { requests })) as { success?: unknown }[];
    if (answer.some((a) => !a.success)) throw new Error(`ACL batch failed: ${JSON.stringify(answer.find((a) => !a.success))}`);
  });
  return (performance.now() - t0) / 1000;
}
