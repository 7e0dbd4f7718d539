/**
 * Typed where inputs, Parse's shape: an operator object per field type (`StringWhereInput {equalTo, in,
 * matchesRegex, …}`), `<Target>RelationWhereInput {have, haveNot, exists}` for pointers, and `OR`/`AND`/`NOR`.
 * Pointer inputs also take `equalTo`/`in` with an id (our addition): the direct form of "activities of this deal".
 */
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
} from 'graphql';
import { AnyScalar, DateScalar, ObjectScalar } from './scalars.js';
import type { ClassModel, FieldModel, ScalarFieldType } from './model.js';
import type { TypeRegistry } from './registry.js';
import { upperFirst } from './names.js';

const SubqueryInput = new GraphQLInputObjectType({
  name: 'SubqueryInput',
  fields: {
    className: { type: new GraphQLNonNull(GraphQLString), description: 'The class to query: its Parse or GraphQL name.' },
    where: { type: new GraphQLNonNull(ObjectScalar), description: 'A REST-style where object for that class.' },
  },
});

const SelectInput = new GraphQLInputObjectType({
  name: 'SelectInput',
  description: "Matches when the field's value is among the `key` values of the sub-query's results.",
  fields: { query: { type: new GraphQLNonNull(SubqueryInput) }, key: { type: new GraphQLNonNull(GraphQLString) } },
});

function comparisons(type: GraphQLInputType): GraphQLInputFieldConfigMap {
  return {
    equalTo: { type },
    notEqualTo: { type },
    lessThan: { type },
    lessThanOrEqualTo: { type },
    greaterThan: { type },
    greaterThanOrEqualTo: { type },
    in: { type: new GraphQLList(type) },
    notIn: { type: new GraphQLList(type) },
    exists: { type: GraphQLBoolean },
    inQueryKey: { type: SelectInput },
    notInQueryKey: { type: SelectInput },
  };
}

export const StringWhereInput = new GraphQLInputObjectType({
  name: 'StringWhereInput',
  fields: {
    ...comparisons(GraphQLString),
    matchesRegex: { type: GraphQLString, description: 'A regular expression (linear-time engine).' },
    options: { type: GraphQLString, description: 'Regex flags: i (case-insensitive), m, s, x.' },
  },
});

export const NumberWhereInput = new GraphQLInputObjectType({ name: 'NumberWhereInput', fields: comparisons(GraphQLFloat) });
export const DateWhereInput = new GraphQLInputObjectType({ name: 'DateWhereInput', fields: comparisons(DateScalar) });

export const BooleanWhereInput = new GraphQLInputObjectType({
  name: 'BooleanWhereInput',
  fields: { equalTo: { type: GraphQLBoolean }, notEqualTo: { type: GraphQLBoolean }, exists: { type: GraphQLBoolean } },
});

export const IdWhereInput = new GraphQLInputObjectType({
  name: 'IdWhereInput',
  description: 'Ids as global ids or objectIds.',
  fields: {
    equalTo: { type: GraphQLID },
    notEqualTo: { type: GraphQLID },
    in: { type: new GraphQLList(GraphQLID) },
    notIn: { type: new GraphQLList(GraphQLID) },
    exists: { type: GraphQLBoolean },
  },
});

export const ObjectWhereInput = new GraphQLInputObjectType({
  name: 'ObjectWhereInput',
  fields: { exists: { type: GraphQLBoolean } },
});

export const ArrayWhereInput = new GraphQLInputObjectType({
  name: 'ArrayWhereInput',
  fields: {
    exists: { type: GraphQLBoolean },
    contains: { type: new GraphQLList(AnyScalar), description: 'Every listed value is an element.' },
    containedBy: { type: new GraphQLList(AnyScalar), description: 'Every element is a listed value.' },
  },
});

const SCALAR_WHERE: Record<ScalarFieldType, GraphQLInputObjectType> = {
  String: StringWhereInput,
  Number: NumberWhereInput,
  Boolean: BooleanWhereInput,
  Date: DateWhereInput,
  Object: ObjectWhereInput,
  Array: ArrayWhereInput,
};

const idComparisons = (): GraphQLInputFieldConfigMap => ({
  equalTo: { type: GraphQLID, description: 'Points at this object (global id or objectId).' },
  notEqualTo: { type: GraphQLID },
  in: { type: new GraphQLList(new GraphQLNonNull(GraphQLID)) },
  notIn: { type: new GraphQLList(new GraphQLNonNull(GraphQLID)) },
  exists: { type: GraphQLBoolean },
});

/** `CompanyRelationWhereInput`: conditions on the object a pointer to Company points at. */
export function buildPointerWhereInput(registry: TypeRegistry, target: ClassModel): GraphQLInputObjectType {
  return new GraphQLInputObjectType({
    name: `${target.names.type}RelationWhereInput`,
    fields: () => ({
      have: { type: registry.whereInput(target.className), description: `The ${target.names.type} pointed at matches.` },
      haveNot: {
        type: registry.whereInput(target.className),
        description: `The ${target.names.type} pointed at does not match.`,
      },
      ...idComparisons(),
    }),
  });
}

/** A polymorphic pointer: `have: {Contact: {…}, Deal: {…}}` matches when the target is of a listed class and matches. */
export function buildPolymorphicWhereInput(
  registry: TypeRegistry,
  owner: ClassModel,
  field: FieldModel,
  targets: ClassModel[],
): GraphQLInputObjectType {
  const base = `${owner.names.type}${upperFirst(field.name)}`;
  const have = new GraphQLInputObjectType({
    name: `${base}HaveInput`,
    fields: () => Object.fromEntries(targets.map((t) => [t.names.type, { type: registry.whereInput(t.className) }])),
  });
  return new GraphQLInputObjectType({
    name: `${base}WhereInput`,
    fields: () => ({ have: { type: have }, haveNot: { type: have }, ...idComparisons() }),
  });
}

export function buildWhereInput(registry: TypeRegistry, model: ClassModel): GraphQLInputObjectType {
  const self: GraphQLInputObjectType = new GraphQLInputObjectType({
    name: `${model.names.type}WhereInput`,
    fields: () => {
      const fields: GraphQLInputFieldConfigMap = {
        id: { type: IdWhereInput },
        objectId: { type: IdWhereInput },
        createdAt: { type: DateWhereInput },
        updatedAt: { type: DateWhereInput },
      };
      for (const field of model.fields) {
        const kind = field.kind;
        if (kind.kind === 'scalar') fields[field.name] = { type: SCALAR_WHERE[kind.type] };
        else if (kind.kind === 'pointer') fields[field.name] = { type: registry.pointerWhereInput(model, field) };
      }
      const list = new GraphQLList(new GraphQLNonNull(self));
      return { ...fields, OR: { type: list }, AND: { type: list }, NOR: { type: list } };
    },
  });
  return self;
}
