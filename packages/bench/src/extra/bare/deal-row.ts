/**
 * The bare server's only logic, as pure functions: a POST body → the stored row, a stored row → its wire
 * JSON. The row must be byte-for-byte what ours stores for the same request (bench:write-ceiling checks
 * it), or the ceiling would be measured on different rows.
 */
import { randomFillSync } from 'node:crypto';

/** One entry of a class schema's `fields`, as ours keeps it in `_SCHEMA`. */
export interface FieldType {
  type: string;
  targetClass?: string;
  required?: boolean;
}
export type Fields = Record<string, FieldType>;
export type StoredValue = string | number | null;
type AclJson = Record<string, { read?: boolean; write?: boolean }>;

/** A request ours would refuse: answered 400 with Parse's code. */
export class BadRequest extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const INVALID_KEY = 105;
const INCORRECT_TYPE = 111;
const INVALID_ACL = 123;
const MISSING_REQUIRED = 142;

/**
 * Ours' CRM policy gives every object a rep creates these entries on top of the ACL the client sent
 * (packages/server/src/crm/policy.ts); the stored `_acl`, `_rperm` and `_wperm` carry them.
 */
const POLICY_ROLES: AclJson = { 'role:managers': { read: true }, 'role:admins': { read: true, write: true } };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const idBytes = Buffer.alloc(10);

/** 10 alphanumerics, like Parse's; the slight modulo bias is irrelevant to a throughput ceiling. */
export function newObjectId(): string {
  randomFillSync(idBytes);
  let id = '';
  for (const byte of idBytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The wire value of one field → its column value (Date → ISO text, Pointer → objectId), or BadRequest. */
export function storedValue(name: string, field: FieldType, value: unknown): StoredValue {
  if (value === null) return null;
  const ok =
    (field.type === 'String' && typeof value === 'string') ||
    (field.type === 'Number' && typeof value === 'number' && Number.isFinite(value)) ||
    (field.type === 'Pointer' &&
      isObject(value) &&
      value.__type === 'Pointer' &&
      value.className === field.targetClass &&
      typeof value.objectId === 'string') ||
    (field.type === 'Date' && isObject(value) && value.__type === 'Date' && typeof value.iso === 'string');
  if (!ok) throw new BadRequest(INCORRECT_TYPE, `invalid type for key ${name}, expected ${field.type}`);
  if (field.type === 'Pointer') return (value as { objectId: string }).objectId;
  if (field.type === 'Date') return (value as { iso: string }).iso;
  return value as string | number;
}

/** `,a,b,`: ours' SQLite form of a principal list. */
const principals = (acl: AclJson, access: 'read' | 'write') =>
  `,${Object.keys(acl)
    .filter((p) => acl[p]![access] === true)
    .join(',')},`;

function permissionColumns(acl: unknown): Record<'_acl' | '_rperm' | '_wperm', string> {
  if (!isObject(acl) || Object.values(acl).some((entry) => !isObject(entry))) throw new BadRequest(INVALID_ACL, 'invalid ACL');
  const full = { ...(acl as AclJson), ...POLICY_ROLES };
  return { _acl: JSON.stringify(full), _rperm: principals(full, 'read'), _wperm: principals(full, 'write') };
}

/** A rep's POST body → every column of the new row (absent fields null). */
export function newRow(body: unknown, fields: Fields, now: string, objectId: string): Record<string, StoredValue> {
  if (!isObject(body)) throw new BadRequest(107, 'body must be a JSON object');
  const row: Record<string, StoredValue> = { objectId, createdAt: now, updatedAt: now };
  for (const name of Object.keys(fields)) row[name] = null;
  for (const [name, value] of Object.entries(body)) {
    if (name === 'ACL') continue;
    const field = fields[name];
    if (!field) throw new BadRequest(INVALID_KEY, `unknown field ${name}`);
    row[name] = storedValue(name, field, value);
  }
  for (const [name, field] of Object.entries(fields)) {
    if (field.required && row[name] === null) throw new BadRequest(MISSING_REQUIRED, `${name} is required`);
  }
  // Ours' stage history stamps a new deal that has a stage (packages/server/src/forecast/stage-history.ts).
  if ('stageChangedAt' in fields && row.stage !== null && row.stageChangedAt === null) row.stageChangedAt = now;
  // Without an ACL ours' policy writes an owner ACL; the bench always sends one, so the bare server requires it.
  Object.assign(row, permissionColumns(body.ACL));
  return row;
}

/** Whether a `,a,b,` list grants the user (or everyone). */
export const grants = (list: string, userId: string): boolean => list.includes(',*,') || list.includes(`,${userId},`);

/** A stored row → Parse's wire JSON (pointers and dates wrapped, nulls left out). */
export function wireObject(row: Record<string, StoredValue>, fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = { objectId: row.objectId, createdAt: row.createdAt, updatedAt: row.updatedAt };
  for (const [name, field] of Object.entries(fields)) {
    const value = row[name];
    if (value === null || value === undefined) continue;
    if (field.type === 'Pointer') out[name] = { __type: 'Pointer', className: field.targetClass, objectId: value };
    else if (field.type === 'Date') out[name] = { __type: 'Date', iso: value };
    else out[name] = value;
  }
  if (typeof row._acl === 'string') out.ACL = JSON.parse(row._acl);
  return out;
}

/**
 * The forecast rows ours writes with a deal (packages/server/src/forecast/): a DealStageHistory row for the
 * stage a new deal enters, readable by the deal's readers and writable by nobody, and a _DealRollupDelta row
 * with the deal's contribution to its (read permission, stage, day) bucket.
 */
export function historyRow(deal: Record<string, StoredValue>, userId: string, objectId: string): Record<string, StoredValue> {
  const readers: AclJson = {};
  for (const [principal, perms] of Object.entries(JSON.parse(String(deal._acl)) as AclJson)) {
    if (perms.read) readers[principal] = { read: true };
  }
  return {
    objectId,
    createdAt: deal.createdAt!,
    updatedAt: deal.createdAt!,
    _rperm: principals(readers, 'read'),
    _wperm: principals(readers, 'write'),
    _acl: JSON.stringify(readers),
    deal: deal.objectId!,
    from: null,
    to: deal.stage!,
    changedBy: userId,
    changedAt: deal.stageChangedAt!,
  };
}

/** Ours' default pipeline's closed stages: their rollup day is the day they closed. */
const CLOSED_STAGES = new Set(['won', 'lost']);
export const DELTA_COLUMNS = ['_rperm', 'stage', 'day', 'n', 'amount', 'plainAmount', 'ownWeighted', 'cycleDays', 'cycles'];
export type DeltaRow = StoredValue[];

/** A deal row's contribution to the forecast rollup, in DELTA_COLUMNS order (ours' `contribution`). */
export function contributionRow(deal: Record<string, StoredValue>): DeltaRow {
  const stage = typeof deal.stage === 'string' ? deal.stage : null;
  const closed = stage !== null && CLOSED_STAGES.has(stage);
  const dayOf = (v: StoredValue | undefined) => (typeof v === 'string' && v.length >= 10 ? v.slice(0, 10) : '');
  const amount = typeof deal.amount === 'number' ? deal.amount : null;
  const probability = typeof deal.probability === 'number' ? deal.probability : null;
  const changed = typeof deal.stageChangedAt === 'string' ? Date.parse(deal.stageChangedAt) : NaN;
  const created = typeof deal.createdAt === 'string' ? Date.parse(deal.createdAt) : NaN;
  const cycle = closed && Number.isFinite(changed) && Number.isFinite(created) ? (changed - created) / 86_400_000 : null;
  return [
    deal._rperm ?? null,
    stage ?? '',
    dayOf(closed ? deal.stageChangedAt : deal.expectedCloseDate),
    1,
    amount ?? 0,
    probability === null ? (amount ?? 0) : 0,
    amount !== null && probability !== null ? amount * probability : 0,
    cycle ?? 0,
    cycle === null ? 0 : 1,
  ];
}

/** The delta an update appends when the deal stays in its bucket (the scenario's amount change), or none. */
export function changeRow(was: DeltaRow, now: DeltaRow): DeltaRow | null {
  if (was[0] !== now[0] || was[1] !== now[1] || was[2] !== now[2])
    throw new Error('the bare server only moves amounts within a bucket');
  const sums = now.slice(3).map((v, i) => (v as number) - (was[3 + i] as number));
  return sums.every((v) => v === 0) ? null : [...now.slice(0, 3), ...sums];
}
