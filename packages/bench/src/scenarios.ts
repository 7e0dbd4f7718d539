/**
 * The measured workload: what a sales rep's CRM screens ask for. Each scenario is an autocannon request
 * sequence plus a pre-flight that proves the answers are real (2xx, non-empty, correct) before anything
 * is timed.
 */
import type autocannon from 'autocannon';
import {
  checkFirstDate,
  checkIncluded,
  checkLength,
  checkOrder,
  checkPointer,
  describe,
  expectResults,
  expectStatus,
  sample,
  type Findings,
} from './checks.js';
import type { Dataset } from './dataset.js';
import type { Seeded, SeededUser } from './seed.js';

export interface Scenario {
  id: string;
  label: string;
  /** Required req/s ratio ours / parse-server, from the issue; absent for reference rows. */
  goal?: number;
  requests: autocannon.Request[];
  /** Cheap per-response sanity check during the timed run (autocannon counts failures as mismatches). */
  verifyBody: (body: string) => boolean;
  preflight: () => Promise<Findings>;
}

export interface ScenarioContext {
  origin: string;
  appId: string;
  masterKey: string;
  data: Dataset;
  seeded: Seeded;
  /** Index of the user whose session drives the load. */
  repIndex: number;
}

const PAGE = 50;
const CLIENT_VERSION = 'js8.6.2';
const hasResults = (body: string) => body.includes('"objectId"');
const hasCount = (body: string) => /"count"\s*:\s*[1-9]/.test(body);
const hasTimestamp = (body: string) => /"(createdAt|updatedAt)"/.test(body);
const hasIncluded = (body: string) => /"__type"\s*:\s*"Object"/.test(body);
const query = (params: Record<string, unknown>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');
const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
const noFindings = (): Findings => ({ errors: [], warnings: [] });

/** Cycles through paths with one counter shared by all connections, so every id gets requested. */
function cycling(paths: string[]): autocannon.Request['setupRequest'] {
  let next = 0;
  return (request) => {
    request.path = paths[next++ % paths.length];
    return request;
  };
}

export function buildScenarios(ctx: ScenarioContext): Scenario[] {
  const { data, seeded, origin } = ctx;
  const rep: SeededUser = seeded.users[ctx.repIndex]!;
  const repHeaders = { 'X-Parse-Application-Id': ctx.appId, 'X-Parse-Session-Token': rep.sessionToken };
  const masterHeaders = { 'X-Parse-Application-Id': ctx.appId, 'X-Parse-Master-Key': ctx.masterKey };
  const repDeals = data.deals.map((d, i) => ({ ...d, id: seeded.dealIds[i]! })).filter((d) => d.owner === ctx.repIndex);
  const earliest = (deals: typeof data.deals) => deals.map((d) => d.expectedCloseDate).sort()[0] ?? '';

  const qualified = { stage: 'qualified' };
  const repQualified = repDeals.filter((d) => d.stage === 'qualified');
  const allQualified = data.deals.filter((d) => d.stage === 'qualified');
  const pipelinePath = `/parse/classes/Deal?${query({ where: qualified, order: 'expectedCloseDate', limit: PAGE })}`;
  const pipelineCheck = async (request: autocannon.Request, asRep: boolean, include: boolean) => {
    const findings = noFindings();
    const results = expectResults(findings, request, await sample(origin, request));
    if (!results) return findings;
    const expected = asRep ? repQualified : allQualified;
    checkLength(findings, 'pipeline', results, Math.min(PAGE, expected.length));
    checkOrder(findings, 'pipeline', results, 'expectedCloseDate', false);
    checkFirstDate(findings, 'pipeline', results, 'expectedCloseDate', earliest(expected));
    if (asRep) checkPointer(findings, 'pipeline (ACL)', results, 'assignedTo', rep.objectId);
    if (include) checkIncluded(findings, 'pipeline', results, ['contact', 'company']);
    return findings;
  };

  const pipeline: autocannon.Request = { method: 'GET', path: pipelinePath, headers: repHeaders };
  const pipelineInclude: autocannon.Request = {
    method: 'GET',
    path: `/parse/classes/Deal?${query({ where: qualified, order: 'expectedCloseDate', limit: PAGE, include: 'contact,company' })}`,
    headers: repHeaders,
  };
  // What the JS SDK actually sends for query.find(): POST text/plain with the query and keys in the body.
  const pipelineSdk: autocannon.Request = {
    method: 'POST',
    path: '/parse/classes/Deal',
    headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify({
      where: qualified,
      order: 'expectedCloseDate',
      limit: PAGE,
      _method: 'GET',
      _ApplicationId: ctx.appId,
      _ClientVersion: CLIENT_VERSION,
      _InstallationId: '5b0f8a3e-2f0c-4c8e-9a51-00000000be4c',
      _SessionToken: rep.sessionToken,
    }),
  };
  const pipelineMaster: autocannon.Request = { method: 'GET', path: pipelinePath, headers: masterHeaders };

  const getPaths = repDeals.map((d) => `/parse/classes/Deal/${d.id}`);
  const getById: autocannon.Request = {
    method: 'GET',
    path: getPaths[0],
    headers: repHeaders,
    setupRequest: cycling(getPaths),
  };

  const activityCounts = new Map<number, number>();
  for (const a of data.activities) activityCounts.set(a.deal, (activityCounts.get(a.deal) ?? 0) + 1);
  const repDealIndexes = data.deals.flatMap((d, i) => (d.owner === ctx.repIndex && activityCounts.has(i) ? [i] : []));
  const activityPath = (dealIndex: number) =>
    `/parse/classes/Activity?${query({
      where: { relatedTo: pointer('Deal', seeded.dealIds[dealIndex]!) },
      order: '-dueDate',
      limit: PAGE,
    })}`;
  const activityPaths = repDealIndexes.map(activityPath);
  const activities: autocannon.Request = {
    method: 'GET',
    path: activityPaths[0],
    headers: repHeaders,
    setupRequest: cycling(activityPaths),
  };

  const repProposals = repDeals.filter((d) => d.stage === 'proposal').length;
  const count: autocannon.Request = {
    method: 'GET',
    path: `/parse/classes/Deal?${query({ where: { stage: 'proposal' }, count: 1, limit: 0 })}`,
    headers: repHeaders,
  };

  // New deals are "lead" so they never change what the pipeline and count scenarios return.
  const newDeal = JSON.stringify({
    title: 'Bench new deal',
    amount: 1000,
    stage: 'lead',
    assignedTo: pointer('_User', rep.objectId),
    ACL: { [rep.objectId]: { read: true, write: true } },
  });
  const jsonRepHeaders = { ...repHeaders, 'Content-Type': 'application/json' };
  const createDeal: autocannon.Request = {
    method: 'POST',
    path: '/parse/classes/Deal',
    headers: jsonRepHeaders,
    body: newDeal,
    onResponse: (_status, body, context) => {
      try {
        context.id = (JSON.parse(body) as { objectId?: string }).objectId;
      } catch {
        context.id = undefined;
      }
    },
  };
  const updateDeal: autocannon.Request = {
    method: 'PUT',
    path: '/parse/classes/Deal/pending',
    headers: jsonRepHeaders,
    body: JSON.stringify({ amount: 2000 }),
    // A failed create leaves no id; the PUT then 404s and is counted as non-2xx, invalidating the row.
    setupRequest: (request, context) => {
      request.path = `/parse/classes/Deal/${typeof context.id === 'string' ? context.id : 'missing'}`;
      return request;
    },
  };

  return [
    {
      id: 'pipeline',
      label: 'pipeline',
      goal: 4,
      requests: [pipeline],
      verifyBody: hasResults,
      preflight: () => pipelineCheck(pipeline, true, false),
    },
    {
      id: 'pipeline-include',
      label: 'pipeline + include',
      goal: 4,
      requests: [pipelineInclude],
      verifyBody: (body) => hasResults(body) && hasIncluded(body),
      preflight: () => pipelineCheck(pipelineInclude, true, true),
    },
    {
      id: 'pipeline-sdk',
      label: 'pipeline, SDK-style POST',
      requests: [pipelineSdk],
      verifyBody: hasResults,
      preflight: () => pipelineCheck(pipelineSdk, true, false),
    },
    {
      id: 'pipeline-master',
      label: 'pipeline, master key',
      requests: [pipelineMaster],
      verifyBody: hasResults,
      preflight: () => pipelineCheck(pipelineMaster, false, false),
    },
    {
      id: 'get-by-id',
      label: 'get by id',
      goal: 6,
      requests: [getById],
      verifyBody: hasResults,
      preflight: async () => {
        const findings = noFindings();
        for (const deal of repDeals.slice(0, 3)) {
          const request = { ...getById, path: `/parse/classes/Deal/${deal.id}` };
          const res = await sample(origin, request);
          if (!expectStatus(findings, request, res, 200)) continue;
          const got = res.json as { objectId?: string; title?: string } | undefined;
          if (got?.objectId !== deal.id) findings.errors.push(`wrong or missing objectId: ${describe(request, res)}`);
          else if (got.title !== deal.title)
            findings.warnings.push(`get ${deal.id}: title "${got.title}", expected "${deal.title}"`);
        }
        return findings;
      },
    },
    {
      id: 'activities',
      label: 'activities of a deal',
      goal: 6,
      requests: [activities],
      verifyBody: hasResults,
      preflight: async () => {
        const findings = noFindings();
        for (const dealIndex of repDealIndexes.slice(0, 3)) {
          const request = { ...activities, path: activityPath(dealIndex) };
          const results = expectResults(findings, request, await sample(origin, request));
          if (!results) continue;
          checkLength(findings, 'activities', results, Math.min(PAGE, activityCounts.get(dealIndex)!));
          checkOrder(findings, 'activities', results, 'dueDate', true);
          checkPointer(findings, 'activities', results, 'relatedTo', seeded.dealIds[dealIndex]!);
        }
        return findings;
      },
    },
    {
      id: 'count',
      label: 'count by stage',
      goal: 4,
      requests: [count],
      verifyBody: hasCount,
      preflight: async () => {
        const findings = noFindings();
        const res = await sample(origin, count);
        if (!expectStatus(findings, count, res, 200)) return findings;
        const got = res.json as { count?: unknown; results?: unknown[] } | undefined;
        if (typeof got?.count !== 'number' || got.count === 0) findings.errors.push(`no positive count: ${describe(count, res)}`);
        else if (got.count !== repProposals) findings.warnings.push(`count ${got.count}, expected ${repProposals} (ACL)`);
        if (got?.results?.length) findings.warnings.push(`limit=0 returned ${got.results.length} results`);
        return findings;
      },
    },
    {
      id: 'create-update',
      label: 'create + update',
      goal: 6,
      requests: [createDeal, updateDeal],
      verifyBody: hasTimestamp,
      preflight: async () => {
        const findings = noFindings();
        const created = await sample(origin, createDeal);
        if (!expectStatus(findings, createDeal, created, 201)) return findings;
        const id = (created.json as { objectId?: string } | undefined)?.objectId;
        if (!id) {
          findings.errors.push(`create answered without objectId: ${describe(createDeal, created)}`);
          return findings;
        }
        const update = { ...updateDeal, path: `/parse/classes/Deal/${id}` };
        const updated = await sample(origin, update);
        if (!expectStatus(findings, update, updated, 200)) return findings;
        if (!hasTimestamp(updated.text)) findings.errors.push(`update answered without updatedAt: ${describe(update, updated)}`);
        const read = { method: 'GET', path: `/parse/classes/Deal/${id}`, headers: repHeaders };
        const after = await sample(origin, read);
        const amount = (after.json as { amount?: unknown } | undefined)?.amount;
        if (amount !== 2000) findings.warnings.push(`after update, ${describe(read, after)} (expected amount 2000)`);
        return findings;
      },
    },
  ];
}
