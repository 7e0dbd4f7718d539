/**
 * Data for the LiveQuery scenario, created through the public REST API the same way on every target:
 * an admin signed up first (our CRM policy makes the first user an admin), five managers and five reps; the
 * roles `admins` (the admin) and `managers` (the managers) — already present on ours, created on
 * parse-server; and deals spread evenly over the five stages, each owned by a rep with the policy's ACL
 * written out explicitly: owner read/write, role:managers read, role:admins read/write. Subscribers
 * connect as the managers (readable through their role, so the per-subscriber ACL check is a role check);
 * the writes are made by the admin (writable through role:admins). Both servers therefore evaluate the same
 * ACLs; our server runs with its default CRM policy.
 */
import { runPool } from '../pool.js';
import type { RestClient } from '../rest.js';
import { declareClasses } from '../schema.js';
import type { DealState } from './writer.js';

/** The pipeline board's columns up to `won` (the app marks lead…negotiation open; `lost` is left out). */
export const LQ_STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won'] as const;
const MANAGERS = 5;
const REPS = 5;
const BATCH = 50;

export interface LqData {
  adminToken: string;
  managerTokens: string[];
  deals: DealState[];
  seconds: number;
}

interface SignedUp {
  objectId: string;
  sessionToken: string;
}

async function signUp(rest: RestClient, username: string): Promise<SignedUp> {
  const body = (await rest.ok(
    'POST',
    '/parse/users',
    { anonymous: true },
    {
      username,
      password: `lq-pass-${username}`,
      email: `${username}@lqbench.example`,
    },
  )) as Partial<SignedUp>;
  if (!body.objectId || !body.sessionToken) throw new Error(`sign-up of ${username} answered ${JSON.stringify(body)}`);
  return { objectId: body.objectId, sessionToken: body.sessionToken };
}

const userPointer = (objectId: string) => ({ __type: 'Pointer', className: '_User', objectId });

/** Adds users to the role `name`, creating it (publicly readable) when the server does not have it yet. */
async function ensureRole(rest: RestClient, name: string, userIds: string[]): Promise<void> {
  const found = (await rest.ok('GET', `/parse/classes/_Role?where=${encodeURIComponent(JSON.stringify({ name }))}`, {
    master: true,
  })) as {
    results: { objectId: string }[];
  };
  const users = { __op: 'AddRelation', objects: userIds.map(userPointer) };
  const existing = found.results[0];
  if (existing) await rest.ok('PUT', `/parse/classes/_Role/${existing.objectId}`, { master: true }, { users });
  else await rest.ok('POST', '/parse/classes/_Role', { master: true }, { name, ACL: { '*': { read: true } }, users });
}

export async function setUpData(rest: RestClient, dealCount: number): Promise<LqData> {
  const start = performance.now();
  await declareClasses(rest);
  const admin = await signUp(rest, 'lq-admin');
  const managers: SignedUp[] = [];
  for (let i = 1; i <= MANAGERS; i++) managers.push(await signUp(rest, `lq-manager${i}`));
  const reps: SignedUp[] = [];
  for (let i = 1; i <= REPS; i++) reps.push(await signUp(rest, `lq-rep${i}`));
  await ensureRole(rest, 'admins', [admin.objectId]);
  await ensureRole(
    rest,
    'managers',
    managers.map((m) => m.objectId),
  );

  const specs = Array.from({ length: dealCount }, (_, i) => {
    const owner = reps[Math.floor(i / LQ_STAGES.length) % REPS]!.objectId;
    return {
      title: `LiveQuery deal ${String(i).padStart(5, '0')}`,
      amount: 1_000 + ((i * 7919) % 100_000),
      stage: LQ_STAGES[i % LQ_STAGES.length]!,
      notes: 'seed',
      assignedTo: userPointer(owner),
      ACL: { [owner]: { read: true, write: true }, 'role:managers': { read: true }, 'role:admins': { read: true, write: true } },
    };
  });
  const chunks = Math.ceil(dealCount / BATCH);
  const ids = (
    await runPool(chunks, 4, async (c) => {
      const requests = specs
        .slice(c * BATCH, (c + 1) * BATCH)
        .map((body) => ({ method: 'POST', path: '/parse/classes/Deal', body }));
      const answer = (await rest.ok('POST', '/parse/batch', { master: true }, { requests })) as {
        success?: { objectId?: string };
      }[];
      return answer.map((item, k) => {
        if (!item.success?.objectId)
          throw new Error(`batch insert of deal ${c * BATCH + k} answered ${JSON.stringify(item).slice(0, 300)}`);
        return item.success.objectId;
      });
    })
  ).flat();
  const deals = ids.map((id, i) => ({ id, stage: specs[i]!.stage as string }));

  // Pre-flight through REST: a manager sees exactly the deals of a stage, and the admin may write one.
  const lead = (await rest.ok(
    'GET',
    `/parse/classes/Deal?where=${encodeURIComponent(JSON.stringify({ stage: 'lead' }))}&count=1&limit=0`,
    { sessionToken: managers[0]!.sessionToken },
  )) as { count?: number };
  const expectedLead = deals.filter((d) => d.stage === 'lead').length;
  if (lead.count !== expectedLead) {
    throw new Error(`pre-flight: manager counts ${lead.count} lead deals, expected ${expectedLead} (roles/ACL not effective)`);
  }
  const rep = (await rest.ok(
    'GET',
    `/parse/classes/Deal?where=${encodeURIComponent(JSON.stringify({ stage: 'lead' }))}&count=1&limit=0`,
    { sessionToken: reps[0]!.sessionToken },
  )) as { count?: number };
  if (rep.count !== Math.ceil(expectedLead / REPS) && rep.count !== Math.floor(expectedLead / REPS)) {
    throw new Error(`pre-flight: rep 1 counts ${rep.count} lead deals, expected only their own (~${expectedLead / REPS})`);
  }
  return {
    adminToken: admin.sessionToken,
    managerTokens: managers.map((m) => m.sessionToken),
    deals,
    seconds: (performance.now() - start) / 1000,
  };
}
