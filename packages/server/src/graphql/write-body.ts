/**
 * Field inputs → the REST write body `objects.create/update` take: scalars pass through (dates are already
 * Date JSON), pointers become Pointer JSON (after creating the target for `createAndLink`), relations become
 * AddRelation/RemoveRelation ops, and null on update becomes Parse's Delete op.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { aclJsonFrom } from './acl.js';
import type { GraphQLContext } from './context.js';
import { pointerFromId } from './global-id.js';
import type { ClassModel, FieldModel, SchemaModel } from './model.js';

type Json = Record<string, unknown>;

export interface WriteTarget {
  ctx: GraphQLContext;
  schema: SchemaModel;
}

/** Creates an object as REST would: a new _User is a sign-up (`POST /classes/_User` is one too). */
export async function createObject(
  ctx: GraphQLContext,
  className: string,
  body: Json,
): Promise<{ objectId: string; createdAt: string; sessionToken?: string }> {
  const { services, auth } = ctx;
  if (className === '_User') {
    const created = await services.users.signUp(auth, body, ctx.installationId);
    return created as { objectId: string; createdAt: string; sessionToken?: string };
  }
  return services.objects.create(auth, className, body);
}

async function pointerValue(target: WriteTarget, field: FieldModel, input: Json): Promise<unknown> {
  if (field.kind.kind !== 'pointer') return undefined;
  const { link, createAndLink } = input as { link?: string | null; createAndLink?: Json | null };
  if (link != null && createAndLink != null)
    throw new ParseError(ErrorCode.INVALID_JSON, `${field.name}: give link or createAndLink, not both`);
  if (link != null) return pointerFromId(link, field.kind.targets);
  if (createAndLink != null) {
    const className = field.kind.targets[0];
    const created = await createObject(
      target.ctx,
      className,
      await writeBody(target, target.schema.classes.get(className)!, createAndLink, 'create'),
    );
    return { __type: 'Pointer', className, objectId: created.objectId };
  }
  return null;
}

async function relationOps(target: WriteTarget, field: FieldModel, input: Json): Promise<unknown> {
  if (field.kind.kind !== 'relation') return undefined;
  const className = field.kind.target;
  const model = target.schema.classes.get(className)!;
  const { add, remove, createAndAdd } = input as {
    add?: string[] | null;
    remove?: string[] | null;
    createAndAdd?: Json[] | null;
  };
  const adding = (add ?? []).map((id) => pointerFromId(id, [className]));
  for (const fields of createAndAdd ?? []) {
    const created = await createObject(target.ctx, className, await writeBody(target, model, fields, 'create'));
    adding.push({ __type: 'Pointer', className, objectId: created.objectId });
  }
  const removing = (remove ?? []).map((id) => pointerFromId(id, [className]));
  const ops: Json[] = [];
  if (adding.length) ops.push({ __op: 'AddRelation', objects: adding });
  if (removing.length) ops.push({ __op: 'RemoveRelation', objects: removing });
  if (ops.length === 0) return undefined;
  return ops.length === 1 ? ops[0] : { __op: 'Batch', ops };
}

export async function writeBody(
  target: WriteTarget,
  model: ClassModel,
  fields: Json | null | undefined,
  mode: 'create' | 'update',
): Promise<Json> {
  const body: Json = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    if (key === 'ACL') {
      if (value !== null) body.ACL = aclJsonFrom(value as Json);
      continue;
    }
    if (key === 'password') {
      if (value !== null) body.password = value;
      continue;
    }
    const field = model.field.get(key);
    if (!field) throw new ParseError(ErrorCode.INVALID_KEY_NAME, `Invalid field name: ${key}.`);
    let converted: unknown;
    if (value === null) converted = null;
    else if (field.kind.kind === 'pointer') converted = await pointerValue(target, field, value as Json);
    else if (field.kind.kind === 'relation') converted = await relationOps(target, field, value as Json);
    else converted = value;
    // null unsets on update; on create it is the same as leaving the field out.
    if (converted === null) converted = mode === 'update' ? { __op: 'Delete' } : undefined;
    if (converted !== undefined) body[key] = converted;
  }
  return body;
}
