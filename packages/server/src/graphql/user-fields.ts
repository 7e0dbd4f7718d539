/**
 * Accounts, Parse's GraphQL shape: `signUp`, `logIn`, `logOut` and `viewer {sessionToken user}`, each a call
 * into the same UserService as /users, /login, /logout and /users/me.
 */
import {
  GraphQLBoolean,
  GraphQLInputObjectType,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigMap,
} from 'graphql';
import type { ParseObjectJson } from '../codec/row-codec.js';
import type { GraphQLContext } from './context.js';
import type { TypeRegistry } from './registry.js';
import { writeBody } from './write-body.js';

type Fields = GraphQLFieldConfigMap<unknown, GraphQLContext>;

function viewerOf(user: ParseObjectJson): { sessionToken: unknown; user: ParseObjectJson } {
  const { sessionToken, ...rest } = user;
  return { sessionToken, user: rest };
}

export function viewerType(registry: TypeRegistry): GraphQLObjectType {
  return new GraphQLObjectType({
    name: 'Viewer',
    fields: () => ({
      sessionToken: { type: new GraphQLNonNull(GraphQLString) },
      user: { type: new GraphQLNonNull(registry.objectType('_User')) },
    }),
  });
}

export function viewerQuery(viewer: GraphQLObjectType): Fields {
  return {
    viewer: {
      type: new GraphQLNonNull(viewer),
      description: 'The signed-in user and their session token (209 without a session).',
      resolve: async (_source, _args, ctx) => viewerOf(await ctx.services.users.me(ctx.auth)),
    },
  };
}

const payload = (
  name: string,
  fields: () => Record<string, { type: GraphQLNonNull<GraphQLObjectType> | GraphQLNonNull<typeof GraphQLBoolean> }>,
) => new GraphQLObjectType({ name, fields: () => ({ ...fields(), clientMutationId: { type: GraphQLString } }) });

export function accountMutations(registry: TypeRegistry, viewer: GraphQLObjectType): Fields {
  const users = registry.model.classes.get('_User')!;
  const viewerPayload = (name: string) => payload(name, () => ({ viewer: { type: new GraphQLNonNull(viewer) } }));
  return {
    signUp: {
      type: viewerPayload('SignUpPayload'),
      args: {
        input: {
          type: new GraphQLNonNull(
            new GraphQLInputObjectType({
              name: 'SignUpInput',
              fields: () => ({
                fields: { type: new GraphQLNonNull(registry.fieldsInput('_User', 'create')) },
                clientMutationId: { type: GraphQLString },
              }),
            }),
          ),
        },
      },
      resolve: async (_source, { input }: { input: { fields: Record<string, unknown>; clientMutationId?: string } }, ctx) => {
        const { services } = ctx;
        const body = await writeBody({ ctx, schema: registry.model }, users, input.fields, 'create');
        const created = await services.users.signUp(ctx.auth, body, ctx.installationId);
        const auth = await services.sessions.resolve(created.sessionToken as string);
        return { viewer: viewerOf(await services.users.me(auth)), clientMutationId: input.clientMutationId };
      },
    },
    logIn: {
      type: viewerPayload('LogInPayload'),
      args: {
        input: {
          type: new GraphQLNonNull(
            new GraphQLInputObjectType({
              name: 'LogInInput',
              fields: {
                username: { type: new GraphQLNonNull(GraphQLString) },
                password: { type: new GraphQLNonNull(GraphQLString) },
                clientMutationId: { type: GraphQLString },
              },
            }),
          ),
        },
      },
      resolve: async (_source, { input }: { input: { username: string; password: string; clientMutationId?: string } }, ctx) => {
        const user = await ctx.services.users.logIn({ username: input.username, password: input.password }, ctx.installationId);
        return { viewer: viewerOf(user), clientMutationId: input.clientMutationId };
      },
    },
    logOut: {
      type: payload('LogOutPayload', () => ({ ok: { type: new GraphQLNonNull(GraphQLBoolean) } })),
      args: {
        input: {
          type: new GraphQLInputObjectType({ name: 'LogOutInput', fields: { clientMutationId: { type: GraphQLString } } }),
        },
      },
      resolve: async (_source, { input }: { input?: { clientMutationId?: string } | null }, ctx) => {
        await ctx.services.users.logOut(ctx.auth);
        return { ok: true, clientMutationId: input?.clientMutationId };
      },
    },
  };
}
