/**
 * The types of one schema version, built on first use and shared by every field that needs them (graphql-js
 * wants exactly one instance per type name). Builders live in their own files; this only memoizes.
 */
import type { GraphQLInputObjectType, GraphQLEnumType, GraphQLObjectType, GraphQLOutputType } from 'graphql';
import type { ClassModel, FieldModel, SchemaModel } from './model.js';
import { buildConnectionType, buildObjectType, buildPointerUnion, ParseObjectInterface } from './object-types.js';
import { buildOrderEnum } from './order.js';
import { buildPointerWhereInput, buildPolymorphicWhereInput, buildWhereInput } from './where-types.js';
import { buildFieldsInput, buildPointerInput, buildPolymorphicPointerInput, buildRelationInput } from './input-types.js';

export class TypeRegistry {
  private readonly memo = new Map<string, unknown>();

  constructor(readonly model: SchemaModel) {}

  private once<T>(key: string, make: () => T): T {
    let value = this.memo.get(key) as T | undefined;
    if (value === undefined) {
      value = make();
      this.memo.set(key, value);
    }
    return value;
  }

  private classModel(className: string): ClassModel {
    const model = this.model.classes.get(className);
    if (!model) throw new Error(`GraphQL: class ${className} is not in the schema`);
    return model;
  }

  objectType(className: string): GraphQLObjectType {
    return this.once(`object:${className}`, () => buildObjectType(this, this.classModel(className)) as GraphQLObjectType);
  }

  connectionType(className: string): GraphQLObjectType {
    return this.once(`connection:${className}`, () => buildConnectionType(this, this.classModel(className)));
  }

  whereInput(className: string): GraphQLInputObjectType {
    return this.once(`where:${className}`, () => buildWhereInput(this, this.classModel(className)));
  }

  orderEnum(className: string): GraphQLEnumType {
    return this.once(`order:${className}`, () => buildOrderEnum(this.classModel(className)));
  }

  fieldsInput(className: string, mode: 'create' | 'update'): GraphQLInputObjectType {
    return this.once(`${mode}:${className}`, () => buildFieldsInput(this, this.classModel(className), mode));
  }

  relationInput(className: string): GraphQLInputObjectType {
    return this.once(`relationInput:${className}`, () => buildRelationInput(this, this.classModel(className)));
  }

  /** What a pointer field returns: its class's type, a union of its classes, or any class (ParseObject). */
  pointerOutputType(owner: ClassModel, field: FieldModel): GraphQLOutputType {
    if (field.kind.kind !== 'pointer') throw new Error('not a pointer');
    const { targets, polymorphic, anyClass } = field.kind;
    if (!polymorphic) return this.objectType(targets[0]);
    if (anyClass) return ParseObjectInterface;
    return this.once(`union:${owner.className}.${field.name}`, () => buildPointerUnion(this, owner, field, targets));
  }

  pointerWhereInput(owner: ClassModel, field: FieldModel): GraphQLInputObjectType {
    if (field.kind.kind !== 'pointer') throw new Error('not a pointer');
    const { targets, polymorphic } = field.kind;
    if (!polymorphic)
      return this.once(`pointerWhere:${targets[0]}`, () => buildPointerWhereInput(this, this.classModel(targets[0])));
    return this.once(`polyWhere:${owner.className}.${field.name}`, () =>
      buildPolymorphicWhereInput(
        this,
        owner,
        field,
        targets.map((t) => this.classModel(t)),
      ),
    );
  }

  pointerInput(owner: ClassModel, field: FieldModel): GraphQLInputObjectType {
    if (field.kind.kind !== 'pointer') throw new Error('not a pointer');
    const { targets, polymorphic } = field.kind;
    if (!polymorphic) return this.once(`pointerInput:${targets[0]}`, () => buildPointerInput(this, this.classModel(targets[0])));
    return this.once(`polyInput:${owner.className}.${field.name}`, () => buildPolymorphicPointerInput(owner, field));
  }
}
