/**
 * The attacker suite's fixture: a server with the CRM policy on, and the cast that attacks it — `admin` (first
 * sign-up, so in `admins`), two sales reps, a manager (added to `managers` with the master key) and an anonymous
 * client — each an `Actor` that talks raw HTTP with its own session token.
 */
import { createHash } from 'node:crypto';
import type { ServerConfig } from '../../../src/config/config.js';
import { rawClient, type RawClient, type RawRequest, type RawResponse } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

export const PASSWORD = 'Correct-Horse-9';

/** The CRM policy is what is under attack, so it is switched on explicitly whatever the default becomes. */
export function startCrmServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  return startTestServer({ crmPolicy: true, ...overrides });
}

export const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
export const userPointer = (objectId: string) => pointer('_User', objectId);

function fail(what: string, res: RawResponse): never {
  throw new Error(`fixture: ${what} failed: ${res.status} ${res.text}`);
}

/** One caller: anonymous (no token) or a signed-in user. Every request carries only that caller's credentials. */
export class Actor {
  constructor(
    readonly http: RawClient,
    readonly name: string,
    readonly token?: string,
    readonly id?: string,
    readonly email?: string,
  ) {}

  get pointer() {
    if (!this.id) throw new Error(`${this.name} has no user`);
    return userPointer(this.id);
  }

  /** The same user with another session token (e.g. a second log-in). */
  withToken(token: string): Actor {
    return new Actor(this.http, this.name, token, this.id, this.email);
  }

  private opts(options: RawRequest = {}): RawRequest {
    const headers = { ...(this.token ? { 'X-Parse-Session-Token': this.token } : {}), ...options.headers };
    return { ...options, headers };
  }

  get(path: string, query?: Record<string, unknown>, options?: RawRequest): Promise<RawResponse> {
    return this.http.get(path, this.opts({ ...options, query }));
  }

  post(path: string, body?: unknown, options?: RawRequest): Promise<RawResponse> {
    return this.http.post(path, body ?? {}, this.opts(options));
  }

  put(path: string, body?: unknown, options?: RawRequest): Promise<RawResponse> {
    return this.http.put(path, body ?? {}, this.opts(options));
  }

  delete(path: string, options?: RawRequest): Promise<RawResponse> {
    return this.http.delete(path, this.opts(options));
  }

  find(className: string, query: Record<string, unknown> = {}): Promise<RawResponse> {
    return this.get(`/classes/${className}`, query);
  }

  /** `count=1&limit=0`, as the SDK's query.count() asks. */
  count(className: string, where: Record<string, unknown> = {}): Promise<RawResponse> {
    return this.get(`/classes/${className}`, { where, count: 1, limit: 0 });
  }

  /** Creates an object and returns its id; the fixture throws on anything but 201. */
  async create(className: string, body: Record<string, unknown>): Promise<string> {
    const res = await this.post(`/classes/${className}`, body);
    if (res.status !== 201) fail(`${this.name} creating ${className}`, res);
    return res.body.objectId as string;
  }

  batch(requests: { method: string; path: string; body?: unknown }[]): Promise<RawResponse> {
    return this.post('/batch', { requests });
  }
}

export interface Cast {
  http: RawClient;
  admin: Actor;
  rep1: Actor;
  rep2: Actor;
  mgr: Actor;
  anon: Actor;
  managersRoleId: string;
  adminsRoleId: string;
}

export async function signUp(http: RawClient, username: string, email = `${username}@crm.test`): Promise<Actor> {
  const res = await http.post('/users', { username, password: PASSWORD, email });
  if (res.status !== 201) fail(`sign-up of ${username}`, res);
  return new Actor(http, username, res.body.sessionToken as string, res.body.objectId as string, email);
}

export async function logIn(http: RawClient, username: string, password = PASSWORD): Promise<string> {
  const res = await http.post('/login', { username, password });
  if (res.status !== 200) fail(`log-in of ${username}`, res);
  return res.body.sessionToken as string;
}

export async function roleId(http: RawClient, name: string): Promise<string> {
  const res = await http.get('/classes/_Role', { master: true, query: { where: { name } } });
  if (res.status !== 200 || res.body.results.length !== 1) fail(`looking up role ${name}`, res);
  return res.body.results[0].objectId as string;
}

export async function addToRole(http: RawClient, roleObjectId: string, userId: string): Promise<void> {
  const res = await http.put(
    `/classes/_Role/${roleObjectId}`,
    { users: { __op: 'AddRelation', objects: [userPointer(userId)] } },
    { master: true },
  );
  if (res.status !== 200) fail('adding a role member', res);
}

/** admin first (the first sign-up becomes an admin), then rep1, rep2 and mgr; mgr joins `managers`. */
export async function createCast(server: TestServer): Promise<Cast> {
  const http = rawClient(server);
  const admin = await signUp(http, 'admin');
  const rep1 = await signUp(http, 'rep1');
  const rep2 = await signUp(http, 'rep2');
  const mgr = await signUp(http, 'mgr');
  const managersRoleId = await roleId(http, 'managers');
  const adminsRoleId = await roleId(http, 'admins');
  await addToRole(http, managersRoleId, mgr.id!);
  return { http, admin, rep1, rep2, mgr, anon: new Actor(http, 'anonymous'), managersRoleId, adminsRoleId };
}

export interface RepData {
  company: string;
  contact: string;
  deal: string;
  activity: string;
}

/** What a rep owns: a company, a contact at it, a deal for both and an activity on the deal. */
export async function seedRep(rep: Actor, tag = rep.name): Promise<RepData> {
  const company = await rep.create('Company', { name: `${tag} Co`, industry: 'Software' });
  const contact = await rep.create('Contact', {
    name: `${tag} Contact`,
    email: `${tag}.contact@client.test`,
    company: pointer('Company', company),
  });
  const deal = await rep.create('Deal', {
    title: `${tag} Deal`,
    amount: 1000,
    stage: 'lead',
    company: pointer('Company', company),
    contact: pointer('Contact', contact),
  });
  const activity = await rep.create('Activity', { type: 'call', subject: `${tag} call`, relatedTo: pointer('Deal', deal) });
  return { company, contact, deal, activity };
}

/** objectIds of a find answer, sorted. */
export const idsOf = (res: RawResponse): string[] => {
  if (res.status !== 200 || !Array.isArray(res.body?.results))
    throw new Error(`expected a find answer, got ${res.status} ${res.text}`);
  return (res.body.results as { objectId: string }[]).map((o) => o.objectId).sort();
};

export const sorted = (ids: string[]): string[] => [...ids].sort();

/** Every form in which a session token could leak: clear, and its SHA-256 digest in hex and base64. */
export function tokenForms(token: string): string[] {
  const digest = createHash('sha256').update(token).digest();
  return [token, token.slice(2), digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
