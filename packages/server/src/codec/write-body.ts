/**
 * A create/update body → what storage needs: stored values, the field operations that depend on the current
 * row (Increment, Add…), relation changes, the ACL, and any new fields the body introduces. Pure: schema
 * changes and permission checks are the service's job.
 */
import { ErrorCode, ParseError, invalidKey, incorrectType } from '../errors/parse-error.js';
import type { CompiledClass } from '../schema/compiled.js';
import { FIELD_NAME_PATTERN, type FieldDef } from '../schema/types.js';
import type { RelationChange, Row } from '../storage/adapter.js';
import { parseAcl, type StoredAcl } from './acl.js';
import { describeFieldType, inferFieldDef, isPlainObject, isoFromDateJson, pointerFromJson, toStored } from './values.js';

export type FieldOp = { op: 'Increment'; amount: number } | { op: 'Add' | 'AddUnique' | 'Remove'; objects: unknown[] };

export interface DecodedWrite {
  values: Row;
  ops: Map<string, FieldOp>;
  relations: RelationChange[];
  acl?: StoredAcl;
  /** Fields the body writes that the class does not declare yet, with inferred types. */
  newFields: Record<string, FieldDef>;
  /** createdAt/updatedAt given by a master-key client (imports keep their timestamps). */
  timestamps: { createdAt?: string; updatedAt?: string };
  /** Wire values write hooks set on the server (e.g. Deal.stageChangedAt), echoed in the response as Parse does. */
  echo?: Record<string, unknown>;
}

export interface DecodeOptions {
  mode: 'create' | 'update';
  isMaster: boolean;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ARRAY_OP_ITEMS = 10_000;

export function decodeWrite(cls: CompiledClass, body: Record<string, unknown>, options: DecodeOptions): DecodedWrite {
  const result: DecodedWrite = { values: {}, ops: new Map(), relations: [], newFields: {}, timestamps: {} };
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (key === 'objectId') {
      if (options.mode === 'update' && value === undefined) continue;
      throw new ParseError(ErrorCode.INVALID_KEY_NAME, 'objectId is an invalid field name.');
    }
    if (key === 'createdAt' || key === 'updatedAt') {
      decodeTimestamp(result, key, value, options.isMaster);
      continue;
    }
    if (key === 'ACL') {
      result.acl = parseAcl(value);
      continue;
    }
    if (!FIELD_NAME_PATTERN.test(key) || RESERVED_KEYS.has(key) || key.length > 100) throw invalidKey(key);
    let def = cls.fields.get(key);
    if (!def) {
      const inferred = inferFieldDef(value);
      if (!inferred) {
        if (isPlainObject(value) && value.__op === 'Delete') continue;
        throw incorrectType(`cannot infer the type of ${cls.className}.${key}`);
      }
      result.newFields[key] = inferred;
      def = inferred;
    }
    decodeField(cls.className, key, def, value, result);
  }
  return result;
}

function decodeTimestamp(result: DecodedWrite, key: 'createdAt' | 'updatedAt', value: unknown, isMaster: boolean): void {
  const iso = isoFromDateJson(value);
  if (iso === null) throw incorrectType(`schema mismatch for ${key}; expected Date but got ${typeof value}`);
  if (isMaster) result.timestamps[key] = iso;
}

function decodeField(className: string, key: string, def: FieldDef, value: unknown, result: DecodedWrite): void {
  if (!isPlainObject(value) || typeof value.__op !== 'string') {
    if (def.type === 'Relation') throw incorrectType(`schema mismatch for ${className}.${key}; expected Relation operations`);
    result.values[key] = toStored(className, key, def, value);
    return;
  }
  switch (value.__op) {
    case 'Delete':
      if (def.type === 'Relation') throw incorrectType(`cannot delete relation field ${key}`);
      result.values[key] = null;
      return;
    case 'Increment':
      if (def.type !== 'Number')
        throw incorrectType(`schema mismatch for ${className}.${key}; expected ${describeFieldType(def)} but got Number`);
      if (typeof value.amount !== 'number' || !Number.isFinite(value.amount))
        throw incorrectType('Increment amount must be a number');
      result.ops.set(key, { op: 'Increment', amount: value.amount });
      return;
    case 'Add':
    case 'AddUnique':
    case 'Remove':
      if (def.type !== 'Array')
        throw incorrectType(`schema mismatch for ${className}.${key}; expected ${describeFieldType(def)} but got Array`);
      if (!Array.isArray(value.objects) || value.objects.length > MAX_ARRAY_OP_ITEMS) {
        throw new ParseError(ErrorCode.INVALID_JSON, `${value.__op} needs an array of objects`);
      }
      toStored(className, key, def, value.objects);
      result.ops.set(key, { op: value.__op, objects: value.objects });
      return;
    case 'AddRelation':
    case 'RemoveRelation':
      addRelationChange(className, key, def, value.__op, value.objects, result);
      return;
    case 'Batch':
      if (!Array.isArray(value.ops)) throw new ParseError(ErrorCode.INVALID_JSON, 'Batch needs ops');
      for (const op of value.ops) decodeField(className, key, def, op, result);
      return;
    default:
      throw new ParseError(ErrorCode.INVALID_JSON, `unknown operation ${String(value.__op)}`);
  }
}

function addRelationChange(
  className: string,
  key: string,
  def: FieldDef,
  op: 'AddRelation' | 'RemoveRelation',
  objects: unknown,
  result: DecodedWrite,
): void {
  if (def.type !== 'Relation')
    throw incorrectType(`schema mismatch for ${className}.${key}; expected ${describeFieldType(def)} but got Relation`);
  if (!Array.isArray(objects) || objects.length > MAX_ARRAY_OP_ITEMS)
    throw new ParseError(ErrorCode.INVALID_JSON, `${op} needs an array of objects`);
  let change = result.relations.find((c) => c.field === key);
  if (!change) {
    change = { field: key, add: [], remove: [] };
    result.relations.push(change);
  }
  for (const object of objects) {
    const pointer = pointerFromJson(object);
    if (!pointer || pointer.className !== def.targetClass) {
      throw incorrectType(`schema mismatch for ${className}.${key}; expected Relation<${def.targetClass}>`);
    }
    (op === 'AddRelation' ? change.add : change.remove).push(pointer.objectId);
  }
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies the operations that read the current value. Returns the stored values to write and the wire
 * results Parse echoes in the update response (new counter values, new arrays).
 */
export function applyFieldOps(current: Row, ops: Map<string, FieldOp>): { values: Row; results: Record<string, unknown> } {
  const values: Row = {};
  const results: Record<string, unknown> = {};
  for (const [field, op] of ops) {
    if (op.op === 'Increment') {
      const base = typeof current[field] === 'number' ? (current[field] as number) : 0;
      values[field] = base + op.amount;
      results[field] = values[field];
      continue;
    }
    const stored = current[field];
    // SQLite hands JSON columns back as text, PostgreSQL as parsed values.
    const list: unknown[] = typeof stored === 'string' ? (JSON.parse(stored) as unknown[]) : Array.isArray(stored) ? stored : [];
    let next: unknown[];
    if (op.op === 'Add') next = [...list, ...op.objects];
    else if (op.op === 'AddUnique') {
      next = [...list];
      for (const item of op.objects) if (!next.some((x) => sameJson(x, item))) next.push(item);
    } else next = list.filter((x) => !op.objects.some((item) => sameJson(x, item)));
    values[field] = JSON.stringify(next);
    results[field] = next;
  }
  return { values, results };
}
