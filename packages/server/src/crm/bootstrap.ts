/**
 * First-start setup of the CRM policy: the roles it relies on exist from the beginning, and the first user
 * to sign up becomes an admin (later admins are added by an admin or `crm user add --role admins`).
 */
import { parseAcl } from '../codec/acl.js';
import { TRUE, type Expr } from '../query/ast.js';
import type { SchemaLookup } from '../schema/compiled.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { newObjectId } from '../service/ids.js';
import { ADMINS, POLICY_ROLES } from './policy.js';

const byName = (name: string): Expr => ({
  kind: 'compare',
  ref: { field: 'name', type: 'String', path: [] },
  op: 'eq',
  value: name,
});

export async function ensurePolicyRoles(storage: StorageAdapter, schema: SchemaLookup): Promise<void> {
  const roles = schema.get('_Role')!;
  const acl = parseAcl({ '*': { read: true }, [`role:${ADMINS}`]: { read: true, write: true } });
  for (const name of POLICY_ROLES) {
    const existing = await storage.find({ cls: roles, where: byName(name), order: [], limit: 1, skip: 0, columns: [] });
    if (existing.length) continue;
    const now = new Date().toISOString();
    try {
      await storage.insert(roles, { objectId: newObjectId(), createdAt: now, updatedAt: now, name, ...acl });
    } catch {
      // Another instance created it at the same moment (unique name index): nothing to do.
    }
  }
}

/** Makes `userId` an admin when no user but them exists yet. */
export async function promoteFirstUser(storage: StorageAdapter, schema: SchemaLookup, userId: string): Promise<boolean> {
  const users = schema.get('_User')!;
  if ((await storage.count(users, TRUE)) !== 1) return false;
  const roles = schema.get('_Role')!;
  const [admins] = await storage.find({ cls: roles, where: byName(ADMINS), order: [], limit: 1, skip: 0, columns: [] });
  if (!admins) return false;
  await storage.changeRelations(roles, admins.objectId as string, [{ field: 'users', add: [userId], remove: [] }]);
  return true;
}
