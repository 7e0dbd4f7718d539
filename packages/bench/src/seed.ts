/**
 * Seeds a target through its public REST API (sign-up for users, /batch with the master key for the
 * rest), exactly as an import tool would, so seed time is itself a comparable figure.
 */
import type { Dataset, UserSpec } from './dataset.js';
import { runPool } from './pool.js';
import type { RestClient } from './rest.js';
import { RestError } from './rest.js';

const BATCH_SIZE = 50;
const BATCHES_IN_FLIGHT = 4;
const SIGNUPS_IN_FLIGHT = 5;

export interface SeededUser {
  objectId: string;
  sessionToken: string;
  username: string;
}

export interface ClassTiming {
  rows: number;
  seconds: number;
}

export interface Seeded {
  users: SeededUser[];
  companyIds: string[];
  contactIds: string[];
  dealIds: string[];
  activityCount: number;
  seconds: number;
  rows: number;
  rowsPerSecond: number;
  perClass: Record<string, ClassTiming>;
}

const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
const date = (iso: string) => ({ __type: 'Date', iso });
const ownerAcl = (userId: string) => ({ [userId]: { read: true, write: true } });
/**
 * Shared records are given an explicit team-readable ACL: without one, parse-server makes them public
 * while our server's CRM policy gives them a managers/admins-only default, and the two targets would
 * then hold different data (and a rep could not include contacts on ours).
 */
const TEAM_READABLE = { '*': { read: true } };

async function signUp(rest: RestClient, spec: UserSpec): Promise<SeededUser> {
  const body = (await rest.ok('POST', '/parse/users', { anonymous: true }, spec)) as {
    objectId?: string;
    sessionToken?: string;
  };
  if (!body?.objectId || !body.sessionToken) {
    throw new Error(`sign-up of ${spec.username} answered without objectId/sessionToken: ${JSON.stringify(body)}`);
  }
  return { objectId: body.objectId, sessionToken: body.sessionToken, username: spec.username };
}

/** The admin goes first and alone, so which user the first-user rule promotes never depends on timing. */
async function signUpUsers(rest: RestClient, data: Dataset): Promise<SeededUser[]> {
  await signUp(rest, data.admin);
  return runPool(data.users.length, SIGNUPS_IN_FLIGHT, (i) => signUp(rest, data.users[i]!));
}

type BatchItem = { success?: { objectId?: string }; error?: unknown };

/** Inserts rows in /batch chunks and returns their objectIds in input order. */
async function insertAll(
  rest: RestClient,
  className: string,
  count: number,
  bodyOf: (index: number) => object,
  onProgress: (done: number) => void,
): Promise<string[]> {
  const path = `/parse/classes/${className}`;
  const chunks = Math.ceil(count / BATCH_SIZE);
  let done = 0;
  const idChunks = await runPool(chunks, BATCHES_IN_FLIGHT, async (chunk) => {
    const start = chunk * BATCH_SIZE;
    const end = Math.min(count, start + BATCH_SIZE);
    const requests = [];
    for (let i = start; i < end; i++) requests.push({ method: 'POST', path, body: bodyOf(i) });
    const answer = await rest.ok('POST', '/parse/batch', { master: true }, { requests });
    if (!Array.isArray(answer) || answer.length !== requests.length) {
      throw new Error(`POST /parse/batch (${className}) returned ${JSON.stringify(answer).slice(0, 300)}`);
    }
    const ids = (answer as BatchItem[]).map((item, k) => {
      const id = item.success?.objectId;
      if (!id) {
        throw new RestError('POST', `/parse/batch item ${k} (${path})`, 200, JSON.stringify(item).slice(0, 300));
      }
      return id;
    });
    done += ids.length;
    onProgress(done);
    return ids;
  });
  return idChunks.flat();
}

function progressPrinter(total: number): (done: number) => void {
  let lastTenth = 0;
  return (done) => {
    const tenth = Math.floor((done / total) * 10);
    if (tenth > lastTenth && tenth < 10) {
      lastTenth = tenth;
      process.stdout.write(` ${tenth * 10}%`);
    }
  };
}

export async function seed(rest: RestClient, data: Dataset, log: (line: string) => void): Promise<Seeded> {
  const perClass: Record<string, ClassTiming> = {};
  const t0 = performance.now();
  const timed = async <T>(label: string, rows: number, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    process.stdout.write(`  seeding ${label} (${rows})...`);
    const result = await work();
    const seconds = (performance.now() - start) / 1000;
    perClass[label] = { rows, seconds };
    process.stdout.write(` ${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s\n`);
    return result;
  };
  const insert = (className: string, count: number, bodyOf: (i: number) => object) =>
    timed(className, count, () => insertAll(rest, className, count, bodyOf, progressPrinter(count)));

  const users = await timed('_User', data.users.length + 1, () => signUpUsers(rest, data));
  const userIds = users.map((u) => u.objectId);
  const companyIds = await insert('Company', data.companies.length, (i) => ({ ...data.companies[i]!, ACL: TEAM_READABLE }));
  const contactIds = await insert('Contact', data.contacts.length, (i) => {
    const c = data.contacts[i]!;
    return {
      name: c.name,
      email: c.email,
      phone: c.phone,
      company: pointer('Company', companyIds[c.company]!),
      ACL: TEAM_READABLE,
    };
  });
  const dealIds = await insert('Deal', data.deals.length, (i) => {
    const d = data.deals[i]!;
    const owner = userIds[d.owner]!;
    return {
      title: d.title,
      amount: d.amount,
      stage: d.stage,
      expectedCloseDate: date(d.expectedCloseDate),
      contact: pointer('Contact', contactIds[d.contact]!),
      company: pointer('Company', companyIds[d.company]!),
      assignedTo: pointer('_User', owner),
      ACL: ownerAcl(owner),
    };
  });
  await insert('Activity', data.activities.length, (i) => {
    const a = data.activities[i]!;
    const owner = userIds[data.deals[a.deal]!.owner]!;
    return {
      type: a.type,
      subject: a.subject,
      dueDate: date(a.dueDate),
      relatedTo: pointer('Deal', dealIds[a.deal]!),
      createdBy: pointer('_User', owner),
      ACL: ownerAcl(owner),
    };
  });

  const seconds = (performance.now() - t0) / 1000;
  const s = data.sizes;
  const rows = s.users + 1 + s.companies + s.contacts + s.deals + s.activities;
  log(`  seeded ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s)`);
  return {
    users,
    companyIds,
    contactIds,
    dealIds,
    activityCount: data.activities.length,
    seconds,
    rows,
    rowsPerSecond: rows / seconds,
    perClass,
  };
}
