/**
 * Validation of Schema API input (class and field definitions, CLPs, indexes) with Parse's error codes.
 * Pure functions: they take the current definition and the request body and return the next definition.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import {
  CLASS_NAME_PATTERN,
  DEFAULT_FIELDS,
  FIELD_NAME_PATTERN,
  KNOWN_FIELD_TYPES,
  SUPPORTED_FIELD_TYPES,
  type ClassLevelPermissions,
  type ClassSchema,
  type FieldDef,
  type FieldType,
} from './types.js';
import { publicClp } from './system-classes.js';

const CLP_OPERATIONS = ['find', 'count', 'get', 'create', 'update', 'delete', 'addField'] as const;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function assertClassName(className: unknown): asserts className is string {
  if (typeof className !== 'string' || !CLASS_NAME_PATTERN.test(className) || className.length > 100) {
    throw new ParseError(
      ErrorCode.INVALID_CLASS_NAME,
      `Invalid classname: ${String(className)}, classnames can only have alphanumeric characters and _, and must start with an alpha character `,
    );
  }
}

export function assertFieldName(name: string): void {
  if (!FIELD_NAME_PATTERN.test(name) || RESERVED_KEYS.has(name) || name.length > 100) {
    throw new ParseError(ErrorCode.INVALID_KEY_NAME, `Invalid field name: ${name}.`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseFieldDef(name: string, raw: unknown, knownClass: (c: string) => boolean): FieldDef {
  assertFieldName(name);
  if (!isPlainObject(raw) || typeof raw.type !== 'string') {
    throw new ParseError(ErrorCode.INCORRECT_TYPE, `invalid field type for ${name}`);
  }
  if (!KNOWN_FIELD_TYPES.has(raw.type)) {
    throw new ParseError(ErrorCode.INCORRECT_TYPE, `invalid field type: ${raw.type}`);
  }
  const type = raw.type as FieldType;
  if (!SUPPORTED_FIELD_TYPES.has(type) || type === 'ACL') {
    throw new ParseError(ErrorCode.INCORRECT_TYPE, `field type ${type} is not supported by this server yet`);
  }
  const def: FieldDef = { type };
  if (type === 'Pointer' || type === 'Relation') {
    const target = raw.targetClass;
    const targets = raw.targetClasses;
    if (target !== undefined) {
      assertClassName(target);
      if (!knownClass(target)) throw new ParseError(ErrorCode.INVALID_JSON, `target class ${target} does not exist`);
      def.targetClass = target;
    } else if (type === 'Relation') {
      throw new ParseError(ErrorCode.MISSING_OBJECT_ID, 'type Relation needs a class name');
    } else if (targets !== undefined) {
      if (!Array.isArray(targets) || targets.length === 0) {
        throw new ParseError(ErrorCode.INCORRECT_TYPE, 'targetClasses must be a non-empty array of class names');
      }
      for (const t of targets) assertClassName(t);
      def.targetClasses = targets as string[];
    }
  }
  if (raw.required !== undefined) {
    if (typeof raw.required !== 'boolean') throw new ParseError(ErrorCode.INCORRECT_TYPE, 'required must be a boolean');
    if (raw.required) def.required = true;
  }
  if (raw.defaultValue !== undefined) def.defaultValue = raw.defaultValue;
  if (typeof raw.description === 'string') def.description = raw.description;
  return def;
}

function parseClp(raw: unknown, fields: Record<string, FieldDef>): ClassLevelPermissions {
  if (raw === undefined) return publicClp();
  if (!isPlainObject(raw)) throw new ParseError(ErrorCode.INVALID_JSON, 'classLevelPermissions must be an object');
  const clp: ClassLevelPermissions = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((CLP_OPERATIONS as readonly string[]).includes(key)) {
      if (!isPlainObject(value)) throw new ParseError(ErrorCode.INVALID_JSON, `invalid CLP for ${key}`);
      for (const [principal, flag] of Object.entries(value)) {
        if (principal === 'pointerFields') {
          if (!Array.isArray(flag) || !flag.every((f) => typeof f === 'string' && Object.hasOwn(fields, f))) {
            throw new ParseError(ErrorCode.INVALID_JSON, `invalid pointerFields in ${key}`);
          }
        } else if (flag !== true) {
          throw new ParseError(
            ErrorCode.INVALID_JSON,
            `'${String(flag)}' is not a valid value for class level permissions ${key}:${principal}`,
          );
        }
      }
      clp[key] = value as Record<string, boolean>;
    } else if (key === 'readUserFields' || key === 'writeUserFields') {
      if (!Array.isArray(value) || !value.every((f) => typeof f === 'string' && fields[f]?.type === 'Pointer')) {
        throw new ParseError(ErrorCode.INVALID_JSON, `${key} must list Pointer<_User> fields`);
      }
      clp[key] = value as string[];
    } else if (key === 'protectedFields') {
      if (
        !isPlainObject(value) ||
        !Object.values(value).every((v) => Array.isArray(v) && v.every((f) => typeof f === 'string'))
      ) {
        throw new ParseError(ErrorCode.INVALID_JSON, 'protectedFields must map principals to field lists');
      }
      clp.protectedFields = value as Record<string, string[]>;
    } else {
      throw new ParseError(ErrorCode.INVALID_JSON, `${key} is not a valid operation for class level permissions`);
    }
  }
  return clp;
}

function parseIndexes(raw: unknown, current: ClassSchema['indexes'], fields: Record<string, FieldDef>): ClassSchema['indexes'] {
  if (raw === undefined) return current;
  if (!isPlainObject(raw)) throw new ParseError(ErrorCode.INVALID_QUERY, 'indexes must be an object');
  const next = { ...current };
  for (const [name, spec] of Object.entries(raw)) {
    assertFieldName(name);
    if (isPlainObject(spec) && spec.__op === 'Delete') {
      if (!Object.hasOwn(next, name))
        throw new ParseError(ErrorCode.INVALID_QUERY, `Index ${name} does not exist, cannot delete.`);
      delete next[name];
      continue;
    }
    if (Object.hasOwn(next, name)) throw new ParseError(ErrorCode.INVALID_QUERY, `Index ${name} exists, cannot update.`);
    if (!isPlainObject(spec) || Object.keys(spec).length === 0)
      throw new ParseError(ErrorCode.INVALID_QUERY, `invalid index ${name}`);
    const keys: Record<string, number> = {};
    for (const [field, direction] of Object.entries(spec)) {
      if (!Object.hasOwn(fields, field) && !Object.hasOwn(DEFAULT_FIELDS, field)) {
        throw new ParseError(ErrorCode.INVALID_QUERY, `Field ${field} does not exist, cannot add index.`);
      }
      if (direction !== 1 && direction !== -1)
        throw new ParseError(ErrorCode.INVALID_QUERY, `invalid index direction for ${field}`);
      keys[field] = direction;
    }
    next[name] = keys;
  }
  return next;
}

/** POST /schemas/:className */
export function buildNewClass(className: string, body: Record<string, unknown>, knownClass: (c: string) => boolean): ClassSchema {
  assertClassName(className);
  if (body.className !== undefined && body.className !== className) {
    throw new ParseError(ErrorCode.INVALID_CLASS_NAME, 'Class name mismatch between body and URL.');
  }
  const rawFields = body.fields ?? {};
  if (!isPlainObject(rawFields)) throw new ParseError(ErrorCode.INVALID_JSON, 'fields must be an object');
  const fields: Record<string, FieldDef> = {};
  for (const [name, raw] of Object.entries(rawFields)) {
    if (Object.hasOwn(DEFAULT_FIELDS, name)) continue;
    fields[name] = parseFieldDef(name, raw, (c) => c === className || knownClass(c));
  }
  return {
    className,
    fields,
    classLevelPermissions: parseClp(body.classLevelPermissions, fields),
    indexes: parseIndexes(body.indexes, {}, fields),
  };
}

/** PUT /schemas/:className — adds fields, deletes fields ({__op:'Delete'}), replaces CLPs, edits indexes. */
export function buildUpdatedClass(
  current: ClassSchema,
  body: Record<string, unknown>,
  knownClass: (c: string) => boolean,
): ClassSchema {
  if (body.className !== undefined && body.className !== current.className) {
    throw new ParseError(ErrorCode.INVALID_CLASS_NAME, 'Class name mismatch between body and URL.');
  }
  const rawFields = body.fields ?? {};
  if (!isPlainObject(rawFields)) throw new ParseError(ErrorCode.INVALID_JSON, 'fields must be an object');
  const fields = { ...current.fields };
  for (const [name, raw] of Object.entries(rawFields)) {
    if (isPlainObject(raw) && raw.__op === 'Delete') {
      if (!Object.hasOwn(fields, name))
        throw new ParseError(ErrorCode.CLASS_NOT_EMPTY, `Field ${name} does not exist, cannot delete.`);
      delete fields[name];
      continue;
    }
    if (Object.hasOwn(fields, name) || Object.hasOwn(DEFAULT_FIELDS, name)) {
      throw new ParseError(ErrorCode.CLASS_NOT_EMPTY, `Field ${name} exists, cannot update.`);
    }
    fields[name] = parseFieldDef(name, raw, (c) => c === current.className || knownClass(c));
  }
  const indexes = parseIndexes(body.indexes, current.indexes, fields);
  for (const [name, keys] of Object.entries(indexes)) {
    if (Object.keys(keys).some((f) => !Object.hasOwn(fields, f) && !Object.hasOwn(DEFAULT_FIELDS, f))) delete indexes[name];
  }
  return {
    className: current.className,
    fields,
    classLevelPermissions:
      body.classLevelPermissions === undefined ? current.classLevelPermissions : parseClp(body.classLevelPermissions, fields),
    indexes,
  };
}

/** The Schema API's view of a class: default fields included. */
export function schemaToJson(schema: ClassSchema): Record<string, unknown> {
  return {
    className: schema.className,
    fields: { ...DEFAULT_FIELDS, ...schema.fields },
    classLevelPermissions: schema.classLevelPermissions,
    indexes: { _id_: { _id: 1 }, ...schema.indexes },
  };
}
