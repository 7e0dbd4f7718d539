/**
 * `subscription { deals(where: …) { event node { … } original { … } } }` for every class LiveQuery serves.
 * Parse Server has no GraphQL subscriptions; this follows its LiveQuery events (create, update, enter, leave,
 * delete) and is only reachable over the graphql-ws WebSocket protocol.
 */
import { GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, type GraphQLFieldConfigMap } from 'graphql';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { GraphQLContext } from './context.js';
import type { ClassModel } from './model.js';
import type { TypeRegistry } from './registry.js';
import { toParseWhere } from './where-translate.js';

export const LiveQueryEventEnum = new GraphQLEnumType({
  name: 'LiveQueryEvent',
  description: "LiveQuery's events: create (new match), update (still matches), enter, leave (starts/stops matching), delete.",
  values: { create: {}, update: {}, enter: {}, leave: {}, delete: {} },
});

export function subscriptionFields(registry: TypeRegistry, model: ClassModel): GraphQLFieldConfigMap<unknown, GraphQLContext> {
  const payload = new GraphQLObjectType({
    name: `${model.names.type}SubscriptionPayload`,
    fields: () => ({
      event: { type: new GraphQLNonNull(LiveQueryEventEnum) },
      node: { type: registry.objectType(model.className), description: 'The object as the subscriber may see it now.' },
      original: {
        type: registry.objectType(model.className),
        description: 'Before the change (update, enter, leave), when readable.',
      },
    }),
  });
  return {
    [model.names.plural]: {
      type: payload,
      args: { where: { type: registry.whereInput(model.className) } },
      subscribe: (_source, args: { where?: Record<string, unknown> | null }, ctx) => {
        if (!ctx.live)
          throw new ParseError(ErrorCode.COMMAND_UNAVAILABLE, 'Subscriptions use the graphql-ws WebSocket protocol at /graphql');
        return ctx.live.open(ctx, model.className, toParseWhere(args.where, model, registry.model));
      },
      resolve: (event: unknown) => event,
    },
  };
}
