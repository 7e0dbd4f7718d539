/**
 * Write inputs, Parse's shape: `CreateDealFieldsInput` (required fields non-null unless they have a default),
 * `UpdateDealFieldsInput` (all optional; null unsets), pointer inputs `{link, createAndLink}` and relation
 * inputs `{add, remove, createAndAdd}`.
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
import { AclInputType } from './acl.js';
import type { ClassModel, FieldModel, ScalarFieldType } from './model.js';
import { upperFirst } from './names.js';
import type { TypeRegistry } from './registry.js';
import { AnyScalar, DateScalar, ObjectScalar } from './scalars.js';

const SCALAR_INPUT: Record<ScalarFieldType, GraphQLInputType> = {
  String: GraphQLString,
  Number: GraphQLFloat,
  Boolean: GraphQLBoolean,
  Date: DateScalar,
  Object: ObjectScalar,
  Array: new GraphQLList(AnyScalar),
};

export function buildPointerInput(registry: TypeRegistry, target: ClassModel): GraphQLInputObjectType {
  return new GraphQLInputObjectType({
    name: `${target.names.type}PointerInput`,
    fields: () => ({
      link: { type: GraphQLID, description: `An existing ${target.names.type}: global id or objectId.` },
      createAndLink: {
        type: registry.fieldsInput(target.className, 'create'),
        description: `A new ${target.names.type}, created first.`,
      },
    }),
  });
}

/** A polymorphic pointer is linked by global id, which names the class. */
export function buildPolymorphicPointerInput(owner: ClassModel, field: FieldModel): GraphQLInputObjectType {
  return new GraphQLInputObjectType({
    name: `${owner.names.type}${upperFirst(field.name)}PointerInput`,
    fields: { link: { type: GraphQLID, description: 'The global id of the object to point at.' } },
  });
}

export function buildRelationInput(registry: TypeRegistry, target: ClassModel): GraphQLInputObjectType {
  const ids = new GraphQLList(new GraphQLNonNull(GraphQLID));
  return new GraphQLInputObjectType({
    name: `${target.names.type}RelationInput`,
    fields: () => ({
      add: { type: ids },
      remove: { type: ids },
      createAndAdd: { type: new GraphQLList(new GraphQLNonNull(registry.fieldsInput(target.className, 'create'))) },
    }),
  });
}

export function buildFieldsInput(registry: TypeRegistry, model: ClassModel, mode: 'create' | 'update'): GraphQLInputObjectType {
  const prefix = mode === 'create' ? 'Create' : 'Update';
  return new GraphQLInputObjectType({
    name: `${prefix}${model.names.type}FieldsInput`,
    fields: () => {
      const fields: GraphQLInputFieldConfigMap = { ACL: { type: AclInputType } };
      for (const field of model.fields) {
        let type: GraphQLInputType;
        if (field.kind.kind === 'scalar') type = SCALAR_INPUT[field.kind.type];
        else if (field.kind.kind === 'pointer') type = registry.pointerInput(model, field);
        else type = registry.relationInput(field.kind.target);
        const required = mode === 'create' && field.def.required && field.def.defaultValue === undefined;
        fields[field.name] = { type: required ? new GraphQLNonNull(type) : type };
      }
      // The password is a credential, not a field, but sign-up and password changes need it.
      if (model.className === '_User')
        fields.password = { type: mode === 'create' ? new GraphQLNonNull(GraphQLString) : GraphQLString };
      return fields;
    },
  });
}
