/**
 * The CRM security policy ("users see only their assigned deals and data"), documented as a table in
 * docs/SECURITY.md. It is data (class-level permissions written at first start) plus write hooks (default
 * ACLs, server-set createdBy, ACLs that follow a deal's owner). CRM_POLICY=off leaves plain Parse semantics.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { memoizedByAclText, parseAcl, type AclJson, type StoredAcl } from '../codec/acl.js';
import { pointerFromJson } from '../codec/values.js';
import type { DecodedWrite } from '../codec/write-body.js';
import { and, type Expr } from '../query/ast.js';
import { readContextFor } from '../security/read-access.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import type { ClassLevelPermissions, ClassSchema } from '../schema/types.js';
import type { Row, StorageTx } from '../storage/adapter.js';
import type { Auth } from '../security/auth.js';
import type { ClassHooks } from '../service/write-hooks.js';

export const ADMINS = 'admins';
export const MANAGERS = 'managers';
export const POLICY_ROLES = [ADMINS, MANAGERS] as const;

/** Whose object it is: that user reads and writes it; managers read it; admins read and write it. */
export const OWNER_FIELD: Record<string, string> = {
  Company: 'createdBy',
  Contact: 'createdBy',
  Deal: 'assignedTo',
  Activity: 'createdBy',
};

const SIGNED_IN = { requiresAuthentication: true };
const ADMINS_ONLY = { [`role:${ADMINS}`]: true };

const CRM_CLP: ClassLevelPermissions = {
  find: SIGNED_IN,
  count: SIGNED_IN,
  get: SIGNED_IN,
  create: SIGNED_IN,
  update: SIGNED_IN,
  delete: SIGNED_IN,
  addField: {},
  protectedFields: {},
};

const POLICY_CLP: Record<string, ClassLevelPermissions> = {
  Company: CRM_CLP,
  Contact: CRM_CLP,
  Deal: CRM_CLP,
  Activity: CRM_CLP,
  // The server writes a deal's stage history inside the deal's own write; clients only read it (row ACLs
  // follow the deal, see forecast/stage-history.ts).
  DealStageHistory: { ...CRM_CLP, create: {}, update: {}, delete: {} },
  // Teammates see each other's usernames (a board shows deal owners), never emails; admins see everything.
  _User: {
    find: SIGNED_IN,
    count: SIGNED_IN,
    get: SIGNED_IN,
    create: { '*': true },
    update: { '*': true },
    delete: { '*': true },
    addField: {},
    protectedFields: { '*': ['email', 'emailVerified', 'authData'], [`role:${ADMINS}`]: [] },
  },
  // Otherwise a rep could create "admins" and grant themselves everything.
  _Role: {
    find: SIGNED_IN,
    count: SIGNED_IN,
    get: SIGNED_IN,
    create: ADMINS_ONLY,
    update: ADMINS_ONLY,
    delete: ADMINS_ONLY,
    addField: {},
    protectedFields: {},
  },
};

/** The built-in classes with the policy's class-level permissions. */
export function withPolicyPermissions(schemas: ClassSchema[]): ClassSchema[] {
  return schemas.map((s) =>
    POLICY_CLP[s.className] ? { ...s, classLevelPermissions: structuredClone(POLICY_CLP[s.className]) } : s,
  );
}

export function defaultAcl(ownerId: string | null, extraReaders: string[] = []): StoredAcl {
  const acl: AclJson = { [`role:${MANAGERS}`]: { read: true }, [`role:${ADMINS}`]: { read: true, write: true } };
  for (const reader of extraReaders) acl[reader] = { read: true };
  if (ownerId) acl[ownerId] = { read: true, write: true };
  return parseAcl(acl);
}

const byId = (objectId: string): Expr => ({
  kind: 'compare',
  ref: { field: 'objectId', type: 'String', path: [] },
  op: 'eq',
  value: objectId,
});

/**
 * The owner of the deal an activity relates to (polymorphic pointer stored as `Deal$id`) — looked up with the
 * writer's own read permissions, so relating an activity to a deal one cannot see reveals nothing about it.
 */
async function dealOwnerOf(auth: Auth, db: StorageTx, schema: SchemaLookup, relatedTo: unknown): Promise<string | null> {
  if (typeof relatedTo !== 'string' || !relatedTo.startsWith('Deal$')) return null;
  const deals = schema.get('Deal');
  if (!deals) return null;
  const visible = readContextFor(auth, db, schema, 'get').readFilter(deals);
  const [deal] = await db.find({
    cls: deals,
    where: and(byId(relatedTo.slice(5)), visible),
    order: [],
    limit: 1,
    skip: 0,
    columns: ['assignedTo'],
  });
  return typeof deal?.assignedTo === 'string' ? deal.assignedTo : null;
}

/** Under the policy, managers read and admins read and write every object, whatever ACL a client chose. */
const policyRolesAdded = memoizedByAclText((aclText) => {
  const json = JSON.parse(aclText) as AclJson;
  json[`role:${MANAGERS}`] = { ...json[`role:${MANAGERS}`], read: true };
  json[`role:${ADMINS}`] = { read: true, write: true };
  return parseAcl(json);
});
const withPolicyRoles = (acl: StoredAcl): StoredAcl => policyRolesAdded(acl._acl ?? '{}');

function refuseForgedCreator(auth: Auth, body: Record<string, unknown>): void {
  if (auth.isMaster || !('createdBy' in body)) return;
  const pointer = pointerFromJson(body.createdBy);
  if (!pointer || pointer.className !== '_User' || pointer.objectId !== auth.user?.objectId) {
    throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, 'createdBy is set by the server.');
  }
}

export function crmPolicyHooks(className: string, schema: SchemaLookup): ClassHooks {
  const ownerField = OWNER_FIELD[className];

  async function activityReaders(auth: Auth, relatedTo: unknown, db: StorageTx): Promise<string[]> {
    const owner = className === 'Activity' ? await dealOwnerOf(auth, db, schema, relatedTo) : null;
    return owner ? [owner] : [];
  }

  return {
    columns: [ownerField, ...(className === 'Activity' ? ['relatedTo'] : [])],
    prepare(auth, _cls, body, target) {
      refuseForgedCreator(auth, body);
      if (target.mode === 'update' && 'createdBy' in body && !auth.isMaster) delete body.createdBy;
      return {};
    },
    async beforeCreate(auth: Auth, cls: CompiledClass, write: DecodedWrite, _objectId: string, db: StorageTx) {
      const userId = auth.user?.objectId ?? null;
      if (userId && cls.fields.has('createdBy')) write.values.createdBy = userId;
      if (className === 'Deal' && write.values.assignedTo == null && userId) write.values.assignedTo = userId;
      if (write.acl) {
        if (!auth.isMaster) write.acl = withPolicyRoles(write.acl);
        return;
      }
      const owner = (write.values[ownerField] as string | null | undefined) ?? userId;
      write.acl = defaultAcl(owner, await activityReaders(auth, write.values.relatedTo, db));
    },
    async beforeUpdate(auth: Auth, _cls: CompiledClass, write: DecodedWrite, current: Row, transaction: StorageTx) {
      if (write.acl) {
        if (!auth.isMaster) write.acl = withPolicyRoles(write.acl);
        return;
      }
      const ownerChanged = ownerField in write.values && write.values[ownerField] !== current[ownerField];
      const relatedChanged =
        className === 'Activity' && 'relatedTo' in write.values && write.values.relatedTo !== current.relatedTo;
      if (!ownerChanged && !relatedChanged) return;
      const owner = (ownerField in write.values ? write.values[ownerField] : current[ownerField]) as string | null;
      const relatedTo = 'relatedTo' in write.values ? write.values.relatedTo : current.relatedTo;
      write.acl = defaultAcl(owner, await activityReaders(auth, relatedTo, transaction));
      if (className === 'Deal' && ownerChanged) await moveActivityReaders(transaction, schema, current.objectId as string, owner);
    },
  };
}

/** A reassigned deal's activities become readable by the new owner instead of the old one. */
async function moveActivityReaders(tx: StorageTx, schema: SchemaLookup, dealId: string, newOwner: string | null): Promise<void> {
  const activities = schema.get('Activity');
  if (!activities) return;
  const related: Expr = {
    kind: 'compare',
    ref: { field: 'relatedTo', type: 'Pointer', path: [] },
    op: 'eq',
    value: `Deal$${dealId}`,
  };
  const rows = await tx.find({
    cls: activities,
    where: related,
    order: [],
    limit: 100_000,
    skip: 0,
    columns: ['createdBy', '_acl'],
  });
  for (const row of rows) {
    const acl = defaultAcl((row.createdBy as string | null) ?? null, newOwner ? [newOwner] : []);
    await tx.update(activities, row.objectId as string, byId(row.objectId as string), {
      _acl: acl._acl,
      _rperm: acl._rperm,
      _wperm: acl._wperm,
    });
  }
}
