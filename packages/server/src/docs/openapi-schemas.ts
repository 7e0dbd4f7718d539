/**
 * JSON Schemas (OpenAPI 3.1 dialect) for Parse's wire encodings and for each class. A class gets two: the
 * object as read and created (`Deal`, required fields marked), and the body of an update (`DealUpdate`),
 * where nothing is required and any field may instead carry an operation such as Increment or Delete.
 */
import type { FieldDef } from '../schema/types.js';
import { classDescription, documentedFields, targetsOf, type DocClass, type DocField } from './documented-class.js';

export type JsonSchema = Record<string, unknown>;

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** The encodings every class shares. Names are part of the published document: keep them stable. */
export const WIRE_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  ParseError: {
    type: 'object',
    description: "Parse's error body. HTTP 404 for code 101 (object not found), 500 for code 1, 400 for every other code.",
    required: ['code', 'error'],
    properties: {
      code: {
        type: 'integer',
        description: 'Parse error code, e.g. 101 object not found, 142 required field missing, 209 invalid session token',
        examples: [101],
      },
      error: { type: 'string', description: 'What went wrong, in words', examples: ['Object not found.'] },
    },
  },
  Forbidden: {
    type: 'object',
    description: 'Answered without a code, as Parse does: a wrong application id or client key, or a master-key-only route.',
    required: ['error'],
    properties: { error: { type: 'string', examples: ['unauthorized', 'Permission denied'] } },
  },
  ParseDate: {
    type: 'object',
    description: 'A Date field on the wire (createdAt and updatedAt are plain ISO strings instead).',
    required: ['__type', 'iso'],
    properties: { __type: { const: 'Date' }, iso: { type: 'string', format: 'date-time' } },
    examples: [{ __type: 'Date', iso: '2026-03-01T00:00:00.000Z' }],
  },
  Pointer: {
    type: 'object',
    description:
      'A reference to another object. With `include=<field>` a read returns the whole object instead, with `__type: "Object"`.',
    required: ['__type', 'className', 'objectId'],
    properties: { __type: { const: 'Pointer' }, className: { type: 'string' }, objectId: { type: 'string' } },
  },
  Relation: {
    type: 'object',
    description:
      'A many-to-many link, read as this descriptor. Query the members with `$relatedTo`; change them with AddRelation/RemoveRelation.',
    required: ['__type', 'className'],
    properties: { __type: { const: 'Relation' }, className: { type: 'string' } },
  },
  ACL: {
    type: 'object',
    description: 'Per-object permissions: keys are `*`, a user objectId or `role:<name>`.',
    additionalProperties: {
      type: 'object',
      properties: { read: { type: 'boolean' }, write: { type: 'boolean' } },
      additionalProperties: false,
    },
    examples: [{ '*': { read: true }, 'role:admins': { read: true, write: true } }],
  },
  Operation: {
    type: 'object',
    description:
      'An update operation in place of a value: Delete (unset), Increment (amount), Add/AddUnique/Remove (objects) on arrays, AddRelation/RemoveRelation (pointers) on relations.',
    required: ['__op'],
    properties: {
      __op: { enum: ['Delete', 'Increment', 'Add', 'AddUnique', 'Remove', 'AddRelation', 'RemoveRelation'] },
      amount: { type: 'number' },
      objects: { type: 'array', items: {} },
    },
  },
  Created: {
    type: 'object',
    required: ['objectId', 'createdAt'],
    properties: { objectId: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } },
  },
  Updated: {
    type: 'object',
    description: 'The new updatedAt, plus the results of any operations (e.g. the incremented value).',
    required: ['updatedAt'],
    properties: { updatedAt: { type: 'string', format: 'date-time' } },
  },
  Empty: { type: 'object', additionalProperties: false, maxProperties: 0 },
};

function typedPointer(base: 'Pointer' | 'Relation', targets: string[]): JsonSchema {
  if (targets.length === 0) return ref(base);
  const className = targets.length === 1 ? { const: targets[0] } : { enum: targets };
  return { allOf: [ref(base), { properties: { className } }] };
}

export function fieldSchema(def: FieldDef): JsonSchema {
  switch (def.type) {
    case 'String':
      return { type: 'string' };
    case 'Number':
      return { type: 'number' };
    case 'Boolean':
      return { type: 'boolean' };
    case 'Date':
      return ref('ParseDate');
    case 'Array':
      return { type: 'array', items: {} };
    case 'Object':
      return { type: 'object' };
    case 'ACL':
      return ref('ACL');
    case 'Pointer':
    case 'Relation':
      return typedPointer(def.type, targetsOf(def));
    default:
      // File, GeoPoint, Polygon, Bytes: recognised so they can be refused; nothing to promise about them.
      return { description: `${def.type} (not supported by this server)` };
  }
}

function propertySchema(field: DocField): JsonSchema {
  const { name, def } = field;
  // createdAt/updatedAt travel as plain ISO strings, unlike Date fields.
  const schema = name === 'createdAt' || name === 'updatedAt' ? { type: 'string', format: 'date-time' } : fieldSchema(def);
  if (name === 'objectId') schema.examples = ['xWMyZ4YEGZ'];
  return {
    ...schema,
    ...(field.description ? { description: field.description } : {}),
    ...(def.defaultValue !== undefined ? { default: def.defaultValue } : {}),
    ...(field.requirement === 'auto' ? { readOnly: true } : {}),
    ...(field.writeOnly ? { writeOnly: true } : {}),
  };
}

export function classSchema(cls: DocClass): JsonSchema {
  const fields = documentedFields(cls);
  const description = classDescription(cls.className);
  return {
    type: 'object',
    ...(description ? { description } : {}),
    required: fields.filter((f) => f.requirement === 'required').map((f) => f.name),
    properties: Object.fromEntries(fields.map((f) => [f.name, propertySchema(f)])),
  };
}

export function classUpdateSchema(cls: DocClass): JsonSchema {
  const writable = documentedFields(cls).filter((f) => f.requirement !== 'auto');
  return {
    type: 'object',
    description: `Fields of ${cls.className} to change; the others keep their values.`,
    properties: Object.fromEntries(
      writable.map((f) => {
        const { description, ...value } = propertySchema(f);
        return [f.name, { ...(description ? { description } : {}), anyOf: [value, ref('Operation')] }];
      }),
    ),
  };
}

export const updateSchemaName = (className: string) => `${className}Update`;
