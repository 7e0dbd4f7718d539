/**
 * Converts a where operand from Parse wire JSON into the storage form of the field it is compared with
 * (see StoredScalar in ast.ts). A pointer to a class the field cannot hold is not an error in Parse — the
 * query simply matches nothing — so it comes back as `{ ok: false }` for the caller to fold into a constant.
 */
import { invalidQuery } from '../errors/parse-error.js';
import { isPolymorphicPointer } from '../schema/compiled.js';
import { CLASS_NAME_PATTERN, type FieldDef } from '../schema/types.js';
import type { FieldRef, StoredScalar } from './ast.js';
import { echo } from './field-ref.js';
import { normalizeIsoDate } from './iso-date.js';

export interface ValueTarget {
  /** The key as the client wrote it, for messages. */
  key: string;
  ref: FieldRef;
  def: FieldDef;
}

export type Converted = { ok: true; value: StoredScalar } | { ok: false };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const mismatch = (t: ValueTarget, expected: string, raw: unknown) =>
  invalidQuery(`Invalid value for ${t.key}: expected ${expected}, got ${describe(raw)}`);

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  if (isObject(raw)) return typeof raw.__type === 'string' ? `a ${echo(raw.__type)}` : 'an object';
  return `a ${typeof raw}`;
}

/** True when the target stores JSON values (Array elements, Object sub-keys) rather than a typed column. */
export const isJsonTarget = (t: ValueTarget): boolean => t.ref.path.length > 0 || t.def.type === 'Array';

export function toStored(t: ValueTarget, raw: unknown): Converted {
  if (raw === null) return { ok: true, value: null };
  if (isJsonTarget(t)) {
    if (typeof raw === 'string' || typeof raw === 'boolean' || (typeof raw === 'number' && Number.isFinite(raw))) {
      return { ok: true, value: raw };
    }
    throw mismatch(t, 'a string, number or boolean', raw);
  }
  switch (t.def.type) {
    case 'String':
      if (typeof raw === 'string') return { ok: true, value: raw };
      throw mismatch(t, 'a String', raw);
    case 'Number':
      if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: raw };
      throw mismatch(t, 'a Number', raw);
    case 'Boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      throw mismatch(t, 'a Boolean', raw);
    case 'Date':
      return { ok: true, value: toIso(t, raw) };
    case 'Pointer':
      return pointerValue(t, raw);
    default:
      throw invalidQuery(`${t.key} is a ${t.def.type} field and can only be compared with null`);
  }
}

function toIso(t: ValueTarget, raw: unknown): string {
  // REST clients often send plain ISO strings; the SDK sends {"__type":"Date","iso"}.
  const text = isObject(raw) && raw.__type === 'Date' ? raw.iso : raw;
  if (typeof text !== 'string') throw mismatch(t, 'a Date', raw);
  const iso = normalizeIsoDate(text);
  if (iso === undefined)
    throw invalidQuery(`Invalid value for ${t.key}: ${echo(JSON.stringify(text))} is not a valid ISO-8601 date`);
  return iso;
}

export interface PointerJson {
  className: string;
  objectId: string;
}

/** Pointer JSON (or an included object, which carries the same identity) → {className, objectId}. */
export function readPointer(raw: unknown): PointerJson | undefined {
  if (!isObject(raw) || (raw.__type !== 'Pointer' && raw.__type !== 'Object')) return undefined;
  const { className, objectId } = raw;
  if (typeof className !== 'string' || typeof objectId !== 'string' || objectId === '') return undefined;
  return { className, objectId };
}

function pointerValue(t: ValueTarget, raw: unknown): Converted {
  const pointer = readPointer(raw);
  if (!pointer) throw mismatch(t, 'a Pointer', raw);
  if (!CLASS_NAME_PATTERN.test(pointer.className)) throw invalidQuery(`Invalid pointer class name in ${t.key}`);
  if (!canHold(t.def, pointer.className)) return { ok: false };
  return {
    ok: true,
    value: isPolymorphicPointer(t.def) ? `${pointer.className}$${pointer.objectId}` : pointer.objectId,
  };
}

/** Whether a Pointer (or Relation) field may point at `className`. */
export function canHold(def: FieldDef, className: string): boolean {
  if (def.targetClass) return def.targetClass === className;
  return !def.targetClasses || def.targetClasses.includes(className);
}
