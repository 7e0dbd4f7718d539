/**
 * Root fields per class, each a thin call into the service layer REST uses: `deal(id)` → objects.get,
 * `deals(...)` → objects.find, `createDeal`/`updateDeal`/`deleteDeal` → objects.create/update/delete.
 */
import {
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLResolveInfo,
} from 'graphql';
import type { ParseObjectJson } from '../codec/row-codec.js';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { GraphQLContext } from './context.js';
import { connectionArgs } from './object-types.js';
import { resolveConnection, type ConnectionArgs } from './connection.js';
import { objectIdIn } from './global-id.js';
import type { ClassModel } from './model.js';
import type { TypeRegistry } from './registry.js';
import { selectedFieldsOf } from './selection.js';
import { createObject, writeBody } from './write-body.js';

type Field = GraphQLFieldConfig<unknown, GraphQLContext>;
type Json = Record<string, unknown>;

interface MutationInput {
  id?: string;
  fields?: Json | null;
  clientMutationId?: string | null;
}

/** Re-reading after a write is skipped when the answer needs nothing the write did not return. */
function needsRead(info: GraphQLResolveInfo, payloadField: string, known: readonly string[]): boolean {
  for (const name of selectedFieldsOf(info, payloadField)) if (!known.includes(name)) return true;
  return false;
}

const KNOWN_AFTER = {
  create: ['id', 'objectId', 'createdAt', 'updatedAt', '__typename'],
  update: ['id', 'objectId', 'updatedAt', '__typename'],
  delete: ['id', 'objectId', '__typename'],
} as const;

export function queryFields(registry: TypeRegistry, model: ClassModel): GraphQLFieldConfigMap<unknown, GraphQLContext> {
  const { className, names } = model;
  return {
    [names.single]: {
      type: registry.objectType(className),
      args: { id: { type: new GraphQLNonNull(GraphQLID), description: 'Global id or objectId.' } },
      resolve: (_source, args: { id: string }, ctx) =>
        ctx.services.objects.get(ctx.auth, className, objectIdIn(className, args.id), {}),
    },
    [names.plural]: {
      type: new GraphQLNonNull(registry.connectionType(className)),
      args: connectionArgs(registry, className),
      resolve: (_source, args: ConnectionArgs, ctx, info) => resolveConnection(ctx, model, registry.model, args, info),
    },
  };
}

function payloadType(registry: TypeRegistry, model: ClassModel, verb: string): GraphQLObjectType {
  return new GraphQLObjectType({
    name: `${verb}${model.names.type}Payload`,
    fields: () => ({
      [model.names.single]: { type: new GraphQLNonNull(registry.objectType(model.className)) },
      clientMutationId: { type: GraphQLString },
    }),
  });
}

const inputType = (name: string, fields: () => GraphQLInputFieldConfigMap): GraphQLInputObjectType =>
  new GraphQLInputObjectType({ name, fields });

export function mutationFields(registry: TypeRegistry, model: ClassModel): GraphQLFieldConfigMap<unknown, GraphQLContext> {
  const { className, names } = model;
  const type = names.type;
  const target = (ctx: GraphQLContext) => ({ ctx, schema: registry.model });
  const read = async (
    ctx: GraphQLContext,
    objectId: string,
    fallback: Json,
    info: GraphQLResolveInfo,
    verb: keyof typeof KNOWN_AFTER,
  ) =>
    needsRead(info, names.single, KNOWN_AFTER[verb]) ? ctx.services.objects.get(ctx.auth, className, objectId, {}) : fallback;
  const anyRequired = model.fields.some((f) => f.def.required && f.def.defaultValue === undefined) || className === '_User';

  const create: Field = {
    type: payloadType(registry, model, 'Create'),
    args: {
      input: {
        type: new GraphQLNonNull(
          inputType(`Create${type}Input`, () => ({
            fields: {
              type: anyRequired
                ? new GraphQLNonNull(registry.fieldsInput(className, 'create'))
                : registry.fieldsInput(className, 'create'),
            },
            clientMutationId: { type: GraphQLString },
          })),
        ),
      },
    },
    resolve: async (_source, { input }: { input: MutationInput }, ctx, info) => {
      const body = await writeBody(target(ctx), model, input.fields, 'create');
      const created = await createObject(ctx, className, body);
      ctx.loaders.clear();
      // A new user reads themselves with their new session (an anonymous caller could not).
      const reader = created.sessionToken ? { ...ctx, auth: await ctx.services.sessions.resolve(created.sessionToken) } : ctx;
      const known = { objectId: created.objectId, createdAt: created.createdAt, updatedAt: created.createdAt };
      return {
        [names.single]: await read(reader, created.objectId, known, info, 'create'),
        clientMutationId: input.clientMutationId,
      };
    },
  };

  const update: Field = {
    type: payloadType(registry, model, 'Update'),
    args: {
      input: {
        type: new GraphQLNonNull(
          inputType(`Update${type}Input`, () => ({
            id: { type: new GraphQLNonNull(GraphQLID), description: 'Global id or objectId.' },
            fields: { type: registry.fieldsInput(className, 'update') },
            clientMutationId: { type: GraphQLString },
          })),
        ),
      },
    },
    resolve: async (_source, { input }: { input: MutationInput }, ctx, info) => {
      const objectId = objectIdIn(className, input.id!);
      const body = await writeBody(target(ctx), model, input.fields, 'update');
      const result = await ctx.services.objects.update(ctx.auth, className, objectId, body);
      ctx.loaders.clear();
      const known = { objectId, updatedAt: result.updatedAt };
      return { [names.single]: await read(ctx, objectId, known, info, 'update'), clientMutationId: input.clientMutationId };
    },
  };

  const remove: Field = {
    type: payloadType(registry, model, 'Delete'),
    args: {
      input: {
        type: new GraphQLNonNull(
          inputType(`Delete${type}Input`, () => ({
            id: { type: new GraphQLNonNull(GraphQLID), description: 'Global id or objectId.' },
            clientMutationId: { type: GraphQLString },
          })),
        ),
      },
    },
    resolve: async (_source, { input }: { input: MutationInput }, ctx, info) => {
      const objectId = objectIdIn(className, input.id!);
      let before: ParseObjectJson = { objectId };
      // The deleted object is answered as it was; one the caller may delete but not read answers its id only.
      if (needsRead(info, names.single, KNOWN_AFTER.delete)) {
        before = await ctx.services.objects.get(ctx.auth, className, objectId, {}).catch((error: unknown) => {
          if (error instanceof ParseError && error.code === ErrorCode.OBJECT_NOT_FOUND) return { objectId };
          throw error;
        });
      }
      await ctx.services.objects.delete(ctx.auth, className, objectId);
      ctx.loaders.clear();
      return { [names.single]: before, clientMutationId: input.clientMutationId };
    },
  };

  return { [`create${type}`]: create, [`update${type}`]: update, [`delete${type}`]: remove };
}
