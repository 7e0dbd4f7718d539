/**
 * Merging duplicates into one survivor, in one transaction: every object pointing at a duplicate (deals,
 * activities, contacts of a company, any custom class's pointer) is repointed to the survivor, the survivor's
 * empty fields are filled from the duplicates, and the duplicates are deleted. Every write goes through the
 * object service with the caller's Auth, so the same ACL and class-level checks as REST apply; a single
 * refusal rolls the whole merge back.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { ParseObjectJson } from '../codec/row-codec.js';
import { OBJECT_ID_PATTERN } from '../codec/values.js';
import { DEFAULT_FIELDS } from '../schema/types.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { Auth } from '../security/auth.js';
import { canAccess } from '../security/acl-check.js';
import type { Services } from '../service/services.js';
import type { StorageTx } from '../storage/adapter.js';
import { DUPLICATE_KEYS, DUPLICATE_OF, isDedupeClass } from './keys.js';

export const MAX_DUPLICATES = 50;
/** More referencing objects than this is a bulk job, not an interactive merge. */
export const MAX_REFERENCES = 20_000;

export interface MergeRequest {
  className: string;
  survivorId: string;
  duplicateIds: string[];
}

export interface MergeResult {
  survivor: ParseObjectJson;
  merged: string[];
  /** Fields of the survivor filled from a duplicate. */
  filled: string[];
  /** Objects repointed from a duplicate to the survivor, by "Class.field". */
  moved: Record<string, number>;
}

const invalid = (message: string) => new ParseError(ErrorCode.INVALID_VALUE, message);

export function parseMergeRequest(params: Record<string, unknown>, className?: string): MergeRequest {
  const cls = className ?? params.className;
  if (typeof cls !== 'string' || !isDedupeClass(cls)) throw invalid('className must be Contact or Company.');
  const { survivorId, duplicateIds } = params;
  if (typeof survivorId !== 'string' || !OBJECT_ID_PATTERN.test(survivorId)) throw invalid('survivorId must be an objectId.');
  if (!Array.isArray(duplicateIds) || duplicateIds.length === 0 || duplicateIds.length > MAX_DUPLICATES)
    throw invalid(`duplicateIds must list 1 to ${MAX_DUPLICATES} objectIds.`);
  for (const id of duplicateIds)
    if (typeof id !== 'string' || !OBJECT_ID_PATTERN.test(id)) throw invalid('duplicateIds must be objectIds.');
  const unique = [...new Set(duplicateIds as string[])];
  if (unique.includes(survivorId)) throw invalid('The survivor cannot also be a duplicate.');
  return { className: cls, survivorId, duplicateIds: unique };
}

/** Fields a merge never copies: system fields, the owner, and the server-managed duplicate fields. */
function fillableFields(cls: CompiledClass): string[] {
  const managed = new Set<string>([DUPLICATE_OF, 'createdBy', DUPLICATE_KEYS[cls.className as 'Contact'].key]);
  return [...cls.fields]
    .filter(([name, def]) => !Object.hasOwn(DEFAULT_FIELDS, name) && def.type !== 'Relation' && !managed.has(name))
    .map(([name]) => name);
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/** Every (class, pointer field) that can point at `target`, with how its stored value names an object. */
function referencesTo(
  services: Services,
  target: string,
): Array<{ cls: CompiledClass; field: string; stored: (id: string) => string }> {
  const refs = [];
  for (const cls of services.schema.all()) {
    if (cls.className.startsWith('_')) continue;
    for (const [field, def] of cls.fields) {
      if (def.type !== 'Pointer') continue;
      if (def.targetClass === target) refs.push({ cls, field, stored: (id: string) => id });
      else if (!def.targetClass && (!def.targetClasses || def.targetClasses.includes(target)))
        refs.push({ cls, field, stored: (id: string) => `${target}$${id}` });
    }
  }
  return refs;
}

const flagField = (cls: CompiledClass, field: string, target: string) => cls.className === target && field === DUPLICATE_OF;

async function keyOf(tx: StorageTx, cls: CompiledClass, objectId: string): Promise<unknown> {
  const key = DUPLICATE_KEYS[cls.className as 'Contact'].key;
  const [row] = await tx.find({
    cls,
    where: { kind: 'compare', ref: { field: 'objectId', type: 'String', path: [] }, op: 'eq', value: objectId },
    order: [],
    limit: 1,
    skip: 0,
    columns: [key],
  });
  return row?.[key] ?? null;
}

async function moveReferences(
  services: Services,
  auth: Auth,
  tx: StorageTx,
  afterCommit: Array<() => void>,
  request: MergeRequest,
): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  const leaving = new Set([request.survivorId, ...request.duplicateIds]);
  const survivor = { __type: 'Pointer', className: request.className, objectId: request.survivorId };
  for (const { cls, field, stored } of referencesTo(services, request.className)) {
    // All referencing rows, whoever can read them: a merge must not leave another rep's deal dangling.
    const rows = await tx.find({
      cls,
      where: { kind: 'in', ref: { field, type: 'Pointer', path: [] }, values: request.duplicateIds.map(stored), negate: false },
      order: [],
      limit: MAX_REFERENCES + 1,
      skip: 0,
      columns: flagField(cls, field, request.className)
        ? ['_wperm', DUPLICATE_KEYS[request.className as 'Contact'].key]
        : ['_wperm'],
    });
    if (rows.length > MAX_REFERENCES)
      throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, `More than ${MAX_REFERENCES} objects refer to these records.`);
    const flag = flagField(cls, field, request.className);
    const survivorKey = flag ? await keyOf(tx, cls, request.survivorId) : null;
    let count = 0;
    for (const row of rows) {
      const id = row.objectId as string;
      if (cls.className === request.className && leaving.has(id)) continue;
      // A duplicate flag is advisory: others' flags are left to dangle rather than blocking the merge.
      if (flag && !canAccess(auth, row._wperm)) continue;
      try {
        // A flag follows the survivor only when the survivor really has the same key; otherwise it is dismissed.
        const value =
          flag && row[DUPLICATE_KEYS[request.className as 'Contact'].key] !== survivorKey ? { __op: 'Delete' } : survivor;
        await services.objects.update(auth, cls.className, id, { [field]: value }, { tx, afterCommit });
      } catch (error) {
        if (error instanceof ParseError && error.code === ErrorCode.OBJECT_NOT_FOUND)
          throw new ParseError(
            ErrorCode.OPERATION_FORBIDDEN,
            `Cannot merge: a ${cls.className} that refers to these records is not yours to change.`,
          );
        throw error;
      }
      count += 1;
    }
    if (count) moved[`${cls.className}.${field}`] = count;
  }
  return moved;
}

export async function mergeDuplicates(services: Services, auth: Auth, request: MergeRequest): Promise<MergeResult> {
  const cls = services.schema.get(request.className);
  if (!cls) throw invalid(`There is no class ${request.className}.`);
  const afterCommit: Array<() => void> = [];
  const outcome = await services.storage.transaction(async (tx) => {
    // Reads with the caller's permissions: an object they cannot see answers 101, as REST would.
    const survivor = await services.objects.get(auth, cls.className, request.survivorId, {}, { tx });
    const duplicates: ParseObjectJson[] = [];
    for (const id of request.duplicateIds) duplicates.push(await services.objects.get(auth, cls.className, id, {}, { tx }));
    const moved = await moveReferences(services, auth, tx, afterCommit, request);
    const body: Record<string, unknown> = {};
    for (const field of fillableFields(cls)) {
      if (!isEmpty(survivor[field])) continue;
      const source = duplicates.find((d) => !isEmpty(d[field]));
      if (source) body[field] = source[field];
    }
    const flaggedAgainst = (survivor[DUPLICATE_OF] as { objectId?: string } | undefined)?.objectId;
    if (flaggedAgainst && request.duplicateIds.includes(flaggedAgainst)) body[DUPLICATE_OF] = { __op: 'Delete' };
    if (Object.keys(body).length)
      await services.objects.update(auth, cls.className, request.survivorId, body, { tx, afterCommit });
    for (const id of request.duplicateIds) await services.objects.delete(auth, cls.className, id, { tx, afterCommit });
    return { moved, filled: Object.keys(body).filter((f) => f !== DUPLICATE_OF) };
  });
  for (const work of afterCommit) work();
  const survivor = await services.objects.get(auth, cls.className, request.survivorId, {});
  return { survivor, merged: request.duplicateIds, ...outcome };
}
