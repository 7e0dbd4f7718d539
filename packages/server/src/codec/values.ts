/**
 * Conversions between Parse's wire JSON and stored values, one field type at a time. Writes are strict
 * (wrong type → 111 with Parse's message); reads trust what we stored.
 */
import { ErrorCode, ParseError, incorrectType } from '../errors/parse-error.js';
import type { FieldDef } from '../schema/types.js';

export const OBJECT_ID_PATTERN = /^[A-Za-z0-9]{1,32}$/;

export interface PointerJson {
  __type: 'Pointer';
  className: string;
  objectId: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{"__type":"Date","iso":…}` → canonical ISO string, or null when malformed. */
export function isoFromDateJson(value: unknown): string | null {
  if (!isPlainObject(value) || value.__type !== 'Date' || typeof value.iso !== 'string') return null;
  return canonicalIso(value.iso);
}

export function canonicalIso(text: string): string | null {
  if (text.length > 40) return null;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return null;
  return date.toISOString();
}

/** A pointer given as Pointer JSON or as a full object (`__type:"Object"`), as the SDK may send. */
export function pointerFromJson(value: unknown): PointerJson | null {
  if (!isPlainObject(value)) return null;
  if (value.__type !== 'Pointer' && value.__type !== 'Object') return null;
  if (typeof value.className !== 'string' || typeof value.objectId !== 'string') return null;
  if (!OBJECT_ID_PATTERN.test(value.objectId)) return null;
  return { __type: 'Pointer', className: value.className, objectId: value.objectId };
}

export function describeWireType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (isPlainObject(value)) {
    if (value.__type === 'Pointer' && typeof value.className === 'string') return `Pointer<${value.className}>`;
    if (typeof value.__type === 'string') return value.__type;
    return 'Object';
  }
  const t = typeof value;
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function describeFieldType(def: FieldDef): string {
  if (def.type === 'Pointer' || def.type === 'Relation') {
    return def.targetClass ? `${def.type}<${def.targetClass}>` : `${def.type}<${(def.targetClasses ?? ['*']).join('|')}>`;
  }
  return def.type;
}

function mismatch(className: string, field: string, def: FieldDef, value: unknown): ParseError {
  return incorrectType(
    `schema mismatch for ${className}.${field}; expected ${describeFieldType(def)} but got ${describeWireType(value)}`,
  );
}

/** Object values may not smuggle operators or dotted keys (they would be ambiguous in dot-path queries). */
function assertCleanKeys(value: unknown, depth = 0): void {
  if (depth > 32) throw new ParseError(ErrorCode.INVALID_NESTED_KEY, 'Object nested too deeply');
  if (Array.isArray(value)) {
    for (const item of value) assertCleanKeys(item, depth + 1);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (key.includes('$') || key.includes('.') || key === '__proto__') {
        throw new ParseError(ErrorCode.INVALID_NESTED_KEY, "Nested keys should not contain the '$' or '.' characters");
      }
      assertCleanKeys(value[key], depth + 1);
    }
  }
}

/** NUL characters are refused: PostgreSQL cannot store them, and both backends must accept the same data. */
function assertNoNul(text: string): void {
  if (text.includes('\u0000')) throw new ParseError(ErrorCode.INVALID_VALUE, 'Strings may not contain the NUL character');
}

function cleanJson(value: unknown): string {
  assertCleanKeys(value);
  const text = JSON.stringify(value);
  assertNoNul(text.replace(/\\u0000/g, '\u0000'));
  return text;
}

/** Stored form of a polymorphic pointer: `ClassName$objectId`. */
export const polymorphicKey = (className: string, objectId: string): string => `${className}$${objectId}`;

/** Wire value → stored value for a non-Relation field. `null` clears the field. */
export function toStored(className: string, field: string, def: FieldDef, value: unknown): unknown {
  if (value === null) return null;
  switch (def.type) {
    case 'String':
      if (typeof value !== 'string') throw mismatch(className, field, def, value);
      assertNoNul(value);
      return value;
    case 'Number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch(className, field, def, value);
      return value;
    case 'Boolean':
      if (typeof value !== 'boolean') throw mismatch(className, field, def, value);
      return value;
    case 'Date': {
      const iso = isoFromDateJson(value);
      if (iso === null) throw mismatch(className, field, def, value);
      return iso;
    }
    case 'Object':
      if (!isPlainObject(value) || typeof value.__type === 'string') throw mismatch(className, field, def, value);
      return cleanJson(value);
    case 'Array':
      if (!Array.isArray(value)) throw mismatch(className, field, def, value);
      return cleanJson(value);
    case 'Pointer': {
      const pointer = pointerFromJson(value);
      if (!pointer) throw mismatch(className, field, def, value);
      if (def.targetClass) {
        if (pointer.className !== def.targetClass) throw mismatch(className, field, def, value);
        return pointer.objectId;
      }
      if (def.targetClasses && !def.targetClasses.includes(pointer.className)) throw mismatch(className, field, def, value);
      return polymorphicKey(pointer.className, pointer.objectId);
    }
    default:
      throw incorrectType(`field type ${def.type} cannot be written directly`);
  }
}

export type Decoder = (stored: unknown) => unknown;

/** Stored value → wire value; built once per field when a class is compiled. */
export function decoderFor(def: FieldDef): Decoder {
  switch (def.type) {
    case 'Boolean':
      return (v) => v === 1 || v === true;
    case 'Date':
      return (v) => ({ __type: 'Date', iso: v });
    case 'Object':
    case 'Array':
      return (v) => (typeof v === 'string' ? JSON.parse(v) : v);
    case 'Pointer': {
      const target = def.targetClass;
      if (target) return (v) => ({ __type: 'Pointer', className: target, objectId: v });
      return (v) => {
        const text = String(v);
        const at = text.indexOf('$');
        return { __type: 'Pointer', className: text.slice(0, at), objectId: text.slice(at + 1) };
      };
    }
    default:
      return (v) => v;
  }
}

/** The pointer a stored value stands for (include resolution). */
export function storedPointer(def: FieldDef, stored: unknown): { className: string; objectId: string } | null {
  if (typeof stored !== 'string') return null;
  if (def.targetClass) return { className: def.targetClass, objectId: stored };
  const at = stored.indexOf('$');
  return at > 0 ? { className: stored.slice(0, at), objectId: stored.slice(at + 1) } : null;
}

/** Inference for fields a client adds by writing them (Parse's schemaless habit, allowed by CLP addField). */
export function inferFieldDef(value: unknown): FieldDef | null {
  if (typeof value === 'string') return { type: 'String' };
  if (typeof value === 'number') return { type: 'Number' };
  if (typeof value === 'boolean') return { type: 'Boolean' };
  if (Array.isArray(value)) return { type: 'Array' };
  if (isPlainObject(value)) {
    if (value.__type === 'Date') return { type: 'Date' };
    if (value.__type === 'Pointer' && typeof value.className === 'string')
      return { type: 'Pointer', targetClass: value.className };
    if (value.__op === 'Increment') return { type: 'Number' };
    if (value.__op === 'Add' || value.__op === 'AddUnique' || value.__op === 'Remove') return { type: 'Array' };
    if (value.__op === 'AddRelation' || value.__op === 'RemoveRelation') {
      const first = Array.isArray(value.objects) ? pointerFromJson(value.objects[0]) : null;
      return first ? { type: 'Relation', targetClass: first.className } : null;
    }
    if (value.__op === 'Delete') return null;
    if (typeof value.__type === 'string' || typeof value.__op === 'string') return null;
    return { type: 'Object' };
  }
  return null;
}
