/**
 * Output types per class: the object type (Relay `id`, `objectId`, timestamps, ACL, then the class's fields),
 * its connection and edge, and unions for polymorphic pointers. Pointer fields load through the request's
 * DataLoader; relation fields are connections filtered with `$relatedTo` — both plain `objects.find` calls.
 */
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  GraphQLUnionType,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql';
import type { ParseObjectJson } from '../codec/row-codec.js';
import { pointerFromJson } from '../codec/values.js';
import { AclType, aclView } from './acl.js';
import type { GraphQLContext } from './context.js';
import { resolveConnection, PageInfoType, toCursor, type ConnectionArgs, type Edge } from './connection.js';
import { toGlobalId } from './global-id.js';
import { CLASS_OF, type ClassTagged } from './loaders.js';
import type { ClassModel, FieldModel, ScalarFieldType } from './model.js';
import { typeNameFor, upperFirst } from './names.js';
import type { TypeRegistry } from './registry.js';
import { AnyScalar, DateScalar, ObjectScalar } from './scalars.js';

type Source = ParseObjectJson;
type Fields = GraphQLFieldConfigMap<Source, GraphQLContext>;

const typeOfTagged = (object: ClassTagged): string | undefined => {
  const className = object[CLASS_OF];
  return className ? typeNameFor(className) : undefined;
};

export const NodeInterface = new GraphQLInterfaceType({
  name: 'Node',
  fields: { id: { type: new GraphQLNonNull(GraphQLID) } },
  resolveType: typeOfTagged,
});

/** What every class has; also the type of a pointer that may hold any class. */
export const ParseObjectInterface = new GraphQLInterfaceType({
  name: 'ParseObject',
  interfaces: [NodeInterface],
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    objectId: { type: new GraphQLNonNull(GraphQLID) },
    createdAt: { type: new GraphQLNonNull(DateScalar) },
    updatedAt: { type: new GraphQLNonNull(DateScalar) },
    ACL: { type: new GraphQLNonNull(AclType) },
  },
  resolveType: typeOfTagged,
});

const SCALAR_OUTPUT: Record<ScalarFieldType, GraphQLOutputType> = {
  String: GraphQLString,
  Number: GraphQLFloat,
  Boolean: GraphQLBoolean,
  Date: DateScalar,
  Object: ObjectScalar,
  Array: new GraphQLList(AnyScalar),
};

export function connectionArgs(registry: TypeRegistry, className: string): GraphQLFieldConfigArgumentMap {
  return {
    where: { type: registry.whereInput(className) },
    order: { type: new GraphQLList(new GraphQLNonNull(registry.orderEnum(className))) },
    skip: { type: GraphQLInt },
    first: { type: GraphQLInt },
    after: { type: GraphQLString },
    last: { type: GraphQLInt },
    before: { type: GraphQLString },
  };
}

export function buildConnectionType(registry: TypeRegistry, model: ClassModel): GraphQLObjectType {
  const edge = new GraphQLObjectType({
    name: `${model.names.type}Edge`,
    fields: () => ({
      cursor: { type: new GraphQLNonNull(GraphQLString), resolve: (edge: Edge) => toCursor(edge.offset) },
      node: { type: registry.objectType(model.className) },
    }),
  });
  return new GraphQLObjectType({
    name: `${model.names.type}Connection`,
    fields: {
      count: { type: new GraphQLNonNull(GraphQLInt), description: 'All matching objects the caller may see, ignoring paging.' },
      edges: { type: new GraphQLList(edge) },
      pageInfo: { type: new GraphQLNonNull(PageInfoType) },
    },
  });
}

export function buildPointerUnion(
  registry: TypeRegistry,
  owner: ClassModel,
  field: FieldModel,
  targets: string[],
): GraphQLUnionType {
  return new GraphQLUnionType({
    name: `${owner.names.type}${upperFirst(field.name)}Target`,
    types: () => targets.map((t) => registry.objectType(t)),
    resolveType: typeOfTagged,
  });
}

function pointerField(registry: TypeRegistry, model: ClassModel, field: FieldModel): Fields[string] {
  return {
    type: registry.pointerOutputType(model, field),
    resolve: (source, _args, ctx) => {
      const pointer = pointerFromJson(source[field.name]);
      return pointer ? ctx.loaders.load(pointer.className, pointer.objectId) : null;
    },
  };
}

function relationField(registry: TypeRegistry, model: ClassModel, field: FieldModel, target: string): Fields[string] {
  return {
    type: registry.connectionType(target),
    args: connectionArgs(registry, target),
    resolve: (source, args: ConnectionArgs, ctx, info) => {
      const owner = { __type: 'Pointer', className: model.className, objectId: source.objectId };
      const scope = { $relatedTo: { object: owner, key: field.name } };
      return resolveConnection(ctx, registry.model.classes.get(target)!, registry.model, args, info, scope);
    },
  };
}

export function buildObjectType(registry: TypeRegistry, model: ClassModel): GraphQLObjectType<Source, GraphQLContext> {
  const { className } = model;
  return new GraphQLObjectType<Source, GraphQLContext>({
    name: model.names.type,
    interfaces: [NodeInterface, ParseObjectInterface],
    fields: () => {
      const fields: Fields = {
        id: { type: new GraphQLNonNull(GraphQLID), resolve: (source) => toGlobalId(className, source.objectId as string) },
        objectId: { type: new GraphQLNonNull(GraphQLID) },
        createdAt: { type: new GraphQLNonNull(DateScalar) },
        updatedAt: { type: new GraphQLNonNull(DateScalar) },
        ACL: { type: new GraphQLNonNull(AclType), resolve: (source) => aclView(source.ACL) },
      };
      for (const field of model.fields) {
        const kind = field.kind;
        if (kind.kind === 'scalar') {
          fields[field.name] = { type: field.nonNull ? new GraphQLNonNull(SCALAR_OUTPUT[kind.type]) : SCALAR_OUTPUT[kind.type] };
        } else if (kind.kind === 'pointer') {
          fields[field.name] = pointerField(registry, model, field);
        } else {
          fields[field.name] = relationField(registry, model, field, kind.target);
        }
      }
      return fields;
    },
  });
}
