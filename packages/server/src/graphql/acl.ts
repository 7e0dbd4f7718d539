/**
 * Parse's ACL in GraphQL form: `{users: [{userId, read, write}], roles: [{roleName, read, write}], public}`,
 * converted to and from the REST ACL JSON that the codec validates. A missing ACL means public read/write.
 * `userId` is shown as the objectId (what REST ACLs hold) and accepted as an objectId or a global id.
 */
import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql';
import { fromGlobalId } from './global-id.js';

type AclJson = Record<string, { read?: boolean; write?: boolean }>;

interface AclView {
  users: Array<{ userId: string; read: boolean; write: boolean }>;
  roles: Array<{ roleName: string; read: boolean; write: boolean }>;
  public: { read: boolean; write: boolean } | null;
}

const flags = { read: { type: new GraphQLNonNull(GraphQLBoolean) }, write: { type: new GraphQLNonNull(GraphQLBoolean) } };
const inputFlags = { read: { type: new GraphQLNonNull(GraphQLBoolean) }, write: { type: new GraphQLNonNull(GraphQLBoolean) } };

export const AclType = new GraphQLObjectType({
  name: 'ACL',
  fields: {
    users: {
      type: new GraphQLList(
        new GraphQLNonNull(
          new GraphQLObjectType({ name: 'UserACL', fields: { userId: { type: new GraphQLNonNull(GraphQLID) }, ...flags } }),
        ),
      ),
    },
    roles: {
      type: new GraphQLList(
        new GraphQLNonNull(
          new GraphQLObjectType({ name: 'RoleACL', fields: { roleName: { type: new GraphQLNonNull(GraphQLID) }, ...flags } }),
        ),
      ),
    },
    public: { type: new GraphQLObjectType({ name: 'PublicACL', fields: flags }) },
  },
});

export const AclInputType = new GraphQLInputObjectType({
  name: 'ACLInput',
  fields: {
    users: {
      type: new GraphQLList(
        new GraphQLNonNull(
          new GraphQLInputObjectType({
            name: 'UserACLInput',
            fields: { userId: { type: new GraphQLNonNull(GraphQLID) }, ...inputFlags },
          }),
        ),
      ),
    },
    roles: {
      type: new GraphQLList(
        new GraphQLNonNull(
          new GraphQLInputObjectType({
            name: 'RoleACLInput',
            fields: { roleName: { type: new GraphQLNonNull(GraphQLString) }, ...inputFlags },
          }),
        ),
      ),
    },
    public: { type: new GraphQLInputObjectType({ name: 'PublicACLInput', fields: inputFlags }) },
  },
});

export function aclView(acl: unknown): AclView {
  if (!acl || typeof acl !== 'object') return { users: [], roles: [], public: { read: true, write: true } };
  const view: AclView = { users: [], roles: [], public: null };
  for (const [principal, perms] of Object.entries(acl as AclJson)) {
    const entry = { read: perms.read === true, write: perms.write === true };
    if (principal === '*') view.public = entry;
    else if (principal.startsWith('role:')) view.roles.push({ roleName: principal.slice(5), ...entry });
    else view.users.push({ userId: principal, ...entry });
  }
  return view;
}

interface AclInput {
  users?: Array<{ userId: string; read: boolean; write: boolean }> | null;
  roles?: Array<{ roleName: string; read: boolean; write: boolean }> | null;
  public?: { read: boolean; write: boolean } | null;
}

/** ACLInput → REST ACL JSON; the codec then validates principals exactly as for a REST write. */
export function aclJsonFrom(input: AclInput): AclJson {
  const json: AclJson = {};
  for (const user of input.users ?? [])
    json[fromGlobalId(user.userId)?.objectId ?? user.userId] = { read: user.read, write: user.write };
  for (const role of input.roles ?? []) json[`role:${role.roleName}`] = { read: role.read, write: role.write };
  if (input.public) json['*'] = { read: input.public.read, write: input.public.write };
  return json;
}
