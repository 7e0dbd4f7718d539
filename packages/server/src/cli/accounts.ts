/**
 * Users and role membership as the CLI manages them: every write goes through the object service with the
 * master auth, so the _User hooks (bcrypt, unique username/email) and the _Role hooks (cached roles dropped
 * at once) apply exactly as they do for the REST API.
 */
import type { Services } from '../service/services.js';
import { MASTER, type Auth } from '../security/auth.js';
import type { ParseObjectJson } from '../codec/row-codec.js';
import { CliError } from './errors.js';

const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });

/** A user named by username, email or objectId. */
export async function findUser(services: Services, ref: string): Promise<ParseObjectJson> {
  const where = { $or: [{ username: ref }, { email: ref }, { objectId: ref }] };
  const { results } = await services.objects.find(MASTER, '_User', { where, limit: 2 });
  if (results.length === 0) throw new CliError(`no user "${ref}" (give a username, an email or an objectId)`);
  if (results.length > 1) throw new CliError(`"${ref}" names more than one user; use the objectId`);
  return results[0];
}

export async function findRole(services: Services, name: string): Promise<ParseObjectJson> {
  const { results } = await services.objects.find(MASTER, '_Role', { where: { name }, limit: 1 });
  if (results[0]) return results[0];
  const known = (await listRoleNames(services)).join(', ') || 'none';
  throw new CliError(`no role "${name}" (roles: ${known})`);
}

export async function listRoleNames(services: Services): Promise<string[]> {
  const { results } = await services.objects.find(MASTER, '_Role', { keys: 'name', order: 'name', limit: 1000 });
  return results.map((r) => String(r.name));
}

export interface NewUser {
  username: string;
  email: string;
  password: string;
  role?: string;
}

/** Creates the user and, when asked, its role membership in one transaction: both or neither. */
export async function addUser(services: Services, input: NewUser): Promise<{ objectId: string }> {
  const role = input.role ? await findRole(services, input.role) : null;
  const afterCommit: Array<() => void> = [];
  const created = await services.storage.transaction(async (tx) => {
    const user = await services.objects.create(
      MASTER,
      '_User',
      { username: input.username, email: input.email, password: input.password },
      { tx, afterCommit },
    );
    if (role) {
      const body = { users: { __op: 'AddRelation', objects: [pointer('_User', user.objectId)] } };
      await services.objects.update(MASTER, '_Role', String(role.objectId), body, { tx, afterCommit });
    }
    return user;
  });
  for (const work of afterCommit) work();
  return { objectId: created.objectId };
}

export async function changeMembership(
  services: Services,
  roleName: string,
  userRef: string,
  op: 'AddRelation' | 'RemoveRelation',
): Promise<ParseObjectJson> {
  const role = await findRole(services, roleName);
  const user = await findUser(services, userRef);
  const body = { users: { __op: op, objects: [pointer('_User', String(user.objectId))] } };
  await services.objects.update(MASTER, '_Role', String(role.objectId), body);
  return user;
}

export async function membersOf(services: Services, roleId: string): Promise<ParseObjectJson[]> {
  const where = { $relatedTo: { object: pointer('_Role', roleId), key: 'users' } };
  const { results } = await services.objects.find(MASTER, '_User', { where, keys: 'username', order: 'username', limit: 10_000 });
  return results;
}

export interface UserSummary {
  objectId: string;
  username: string;
  email: string;
  roles: string[];
  createdAt: string;
}

export async function listUsers(services: Services): Promise<UserSummary[]> {
  const { results } = await services.objects.find(MASTER, '_User', { order: 'username', limit: 10_000, keys: 'username,email' });
  const summaries: UserSummary[] = [];
  for (const user of results) {
    const objectId = String(user.objectId);
    summaries.push({
      objectId,
      username: String(user.username ?? ''),
      email: String(user.email ?? ''),
      roles: (await services.sessions.rolesOf(objectId)).sort(),
      createdAt: String(user.createdAt),
    });
  }
  return summaries;
}

/**
 * The Auth a request signed in as this user would carry (what SessionResolver builds from a session), so
 * the CLI can act as a user without creating a session: the CRM policy then sets owners and ACLs exactly as
 * for that user's own requests.
 */
export async function authAs(services: Services, ref: string): Promise<Auth> {
  const user = await findUser(services, ref);
  const objectId = String(user.objectId);
  return Object.freeze({
    isMaster: false,
    user: { objectId, username: String(user.username) },
    roles: await services.sessions.rolesOf(objectId),
  });
}
