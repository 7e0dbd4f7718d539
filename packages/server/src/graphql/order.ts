/**
 * `DealOrder` enums: `<field>_ASC` / `<field>_DESC` for every sortable field, whose internal values are already
 * Parse's REST order keys (`expectedCloseDate`, `-updatedAt`), so a request's order is a join, not a lookup.
 */
import { GraphQLEnumType, type GraphQLEnumValueConfigMap } from 'graphql';
import type { ClassModel } from './model.js';

const SORTABLE = new Set(['String', 'Number', 'Boolean', 'Date']);

export function buildOrderEnum(model: ClassModel): GraphQLEnumType {
  const values: GraphQLEnumValueConfigMap = {};
  const add = (name: string, key: string) => {
    values[`${name}_ASC`] = { value: key };
    values[`${name}_DESC`] = { value: `-${key}` };
  };
  add('id', 'objectId');
  add('objectId', 'objectId');
  add('createdAt', 'createdAt');
  add('updatedAt', 'updatedAt');
  for (const field of model.fields) {
    const sortable = field.kind.kind === 'pointer' || (field.kind.kind === 'scalar' && SORTABLE.has(field.kind.type));
    if (sortable) add(field.name, field.name);
  }
  return new GraphQLEnumType({ name: `${model.names.type}Order`, values });
}

/** Order enum values → REST `order`; undefined when none was given. */
export const toParseOrder = (order: readonly string[] | null | undefined): string | undefined =>
  order && order.length ? order.join(',') : undefined;
