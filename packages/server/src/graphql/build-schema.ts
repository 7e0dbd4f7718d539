/**
 * One GraphQL schema from the live class registry: Parse's shape (per-class queries, connections, mutations,
 * accounts) plus subscriptions for LiveQuery classes. Built once per schema version (see schema-cache.ts).
 */
import {
  assertValidSchema,
  GraphQLBoolean,
  GraphQLID,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  type GraphQLFieldConfigMap,
} from 'graphql';
import type { CompiledClass } from '../schema/compiled.js';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { GraphQLContext } from './context.js';
import { mutationFields, queryFields } from './class-fields.js';
import { fromGlobalId } from './global-id.js';
import { tagClass } from './loaders.js';
import { buildModel, type SchemaModel } from './model.js';
import { NodeInterface } from './object-types.js';
import { TypeRegistry } from './registry.js';
import { subscriptionFields } from './subscription-fields.js';
import { accountMutations, viewerQuery, viewerType } from './user-fields.js';

type Fields = GraphQLFieldConfigMap<unknown, GraphQLContext>;

export interface BuiltSchema {
  schema: GraphQLSchema;
  model: SchemaModel;
}

function nodeQuery(model: SchemaModel): Fields {
  return {
    node: {
      type: NodeInterface,
      args: { id: { type: new GraphQLNonNull(GraphQLID), description: 'A global id.' } },
      resolve: async (_source, args: { id: string }, ctx) => {
        const decoded = fromGlobalId(args.id);
        if (!decoded || !model.classes.has(decoded.className))
          throw new ParseError(ErrorCode.OBJECT_NOT_FOUND, 'Object not found.');
        const object = await ctx.services.objects.get(ctx.auth, decoded.className, decoded.objectId, {});
        return tagClass(object, decoded.className);
      },
    },
  };
}

export function buildGraphQLSchema(classes: readonly CompiledClass[], liveClasses: readonly string[]): BuiltSchema {
  const model = buildModel(classes, liveClasses);
  const registry = new TypeRegistry(model);
  const hasUsers = model.classes.has('_User');
  const viewer = hasUsers ? viewerType(registry) : null;

  const query: Fields = { health: { type: new GraphQLNonNull(GraphQLBoolean), resolve: () => true }, ...nodeQuery(model) };
  const mutation: Fields = {};
  const subscription: Fields = {};
  if (viewer) {
    Object.assign(query, viewerQuery(viewer));
    Object.assign(mutation, accountMutations(registry, viewer));
  }
  for (const classModel of model.classes.values()) {
    Object.assign(query, queryFields(registry, classModel));
    Object.assign(mutation, mutationFields(registry, classModel));
    if (classModel.live) Object.assign(subscription, subscriptionFields(registry, classModel));
  }

  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: query }),
    mutation: Object.keys(mutation).length ? new GraphQLObjectType({ name: 'Mutation', fields: mutation }) : undefined,
    subscription: Object.keys(subscription).length
      ? new GraphQLObjectType({ name: 'Subscription', fields: subscription })
      : undefined,
    // Every class type, including those only reachable through the Node / ParseObject interfaces.
    types: [...model.classes.keys()].map((className) => registry.objectType(className)),
  });
  assertValidSchema(schema);
  return { schema, model };
}
