/**
 * Parse `where` JSON (REST, SDK) into the typed AST. This is the only place wire-format query JSON is read:
 * every key is validated, every operand checked against the field's declared type and converted to storage
 * form, and shapes Parse answers without an error (unknown fields, pointers of the wrong class, unknown
 * sub-query classes) are folded into constants here so the back ends never see them.
 */
import { ErrorCode, invalidQuery, ParseError } from '../errors/parse-error.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import { CLASS_NAME_PATTERN, SUPPORTED_FIELD_TYPES, type FieldDef } from '../schema/types.js';
import { and, FALSE, TRUE, type ComparisonOp, type Expr, type StoredScalar, type SubQuery } from './ast.js';
import { echo, invalidKeyName, isValidSegment, resolveKey } from './field-ref.js';
import { translateRegex } from './regex.js';
import { canHold, isJsonTarget, readPointer, toStored, type ValueTarget } from './where-values.js';

export interface ParseWhereOptions {
  /** Deepest nesting of $and/$or/$nor and sub-queries. */
  maxDepth?: number;
  /** Total operand values ($in, $nin, $all, $containedBy, logical items) across the whole where. */
  maxInValues?: number;
}

export const DEFAULT_MAX_DEPTH = 16;
export const DEFAULT_MAX_IN_VALUES = 10_000;

interface State {
  schema: SchemaLookup;
  maxDepth: number;
  maxInValues: number;
  valuesSeen: number;
}

type Json = Record<string, unknown>;

const RANGE_OPS: Record<string, ComparisonOp> = { $lt: 'lt', $lte: 'lte', $gt: 'gt', $gte: 'gte' };

export function parseWhere(where: unknown, cls: CompiledClass, schema: SchemaLookup, options: ParseWhereOptions = {}): Expr {
  if (!isPlainObject(where)) throw invalidQuery('where must be a JSON object');
  const state: State = {
    schema,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxInValues: options.maxInValues ?? DEFAULT_MAX_IN_VALUES,
    valuesSeen: 0,
  };
  return parseObject(where, cls, state, 1);
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(where: Json, cls: CompiledClass, st: State, depth: number): Expr {
  if (depth > st.maxDepth) throw invalidQuery(`where is nested too deeply (limit ${st.maxDepth})`);
  const parts: Expr[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (key === '$and' || key === '$or' || key === '$nor') parts.push(parseLogical(key, value, cls, st, depth));
    else if (key === '$relatedTo') parts.push(parseRelatedTo(value, cls, st));
    else parts.push(parseField(key, value, cls, st, depth));
  }
  return and(...parts);
}

function spend(st: State, count: number): void {
  st.valuesSeen += count;
  if (st.valuesSeen > st.maxInValues) throw invalidQuery(`where holds too many values (limit ${st.maxInValues})`);
}

function parseLogical(op: '$and' | '$or' | '$nor', value: unknown, cls: CompiledClass, st: State, depth: number): Expr {
  if (!Array.isArray(value) || value.length === 0) throw invalidQuery(`${op} must be a non-empty array`);
  spend(st, value.length);
  const items = value.map((item) => {
    if (!isPlainObject(item)) throw invalidQuery(`${op} items must be objects`);
    return parseObject(item, cls, st, depth + 1);
  });
  if (op === '$and') return and(...items);
  return op === '$or' ? or(items) : nor(items);
}

export function or(items: Expr[]): Expr {
  const kept = items.filter((e) => !(e.kind === 'const' && !e.value));
  if (kept.some((e) => e.kind === 'const' && e.value)) return TRUE;
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0] : { kind: 'or', items: kept };
}

export function nor(items: Expr[]): Expr {
  const inner = or(items);
  if (inner.kind === 'const') return inner.value ? FALSE : TRUE;
  return { kind: 'nor', items: inner.kind === 'or' ? inner.items : [inner] };
}

const not = (e: Expr): Expr => nor([e]);
const either = (negate: boolean): Expr => (negate ? TRUE : FALSE);

/** An object of `$` operators, as opposed to a value compared for equality. */
function isOperatorObject(value: unknown, key: string): value is Json {
  if (!isPlainObject(value) || '__type' in value) return false;
  const keys = Object.keys(value);
  const operators = keys.filter((k) => k.startsWith('$')).length;
  if (operators > 0 && operators < keys.length) throw invalidQuery(`Cannot mix operators and values in ${key}`);
  return operators > 0;
}

const unsupportedOperator = (op: string, key: string) => invalidQuery(`Unsupported operator ${echo(op)} on ${key}`);

function parseField(key: string, value: unknown, cls: CompiledClass, st: State, depth: number): Expr {
  const resolved = resolveKey(cls, key);
  if (resolved.kind === 'missing') return parseMissing(key, value, st, depth);
  const { ref, def } = resolved;
  if (!SUPPORTED_FIELD_TYPES.has(def.type)) throw invalidQuery(`Queries on ${def.type} fields are not supported`);
  if (def.type === 'Relation') return parseRelation(key, value, def, ref.field, st);
  const t: ValueTarget = { key, ref, def };
  if (!isOperatorObject(value, key)) return equality(t, value, false);

  const parts: Expr[] = [];
  for (const [op, operand] of Object.entries(value)) {
    switch (op) {
      case '$eq':
      case '$ne':
        parts.push(equality(t, operand, op === '$ne'));
        break;
      case '$lt':
      case '$lte':
      case '$gt':
      case '$gte':
        parts.push(range(t, RANGE_OPS[op], op, operand));
        break;
      case '$in':
      case '$nin':
        parts.push(inList(t, op, operand, st));
        break;
      case '$all':
        parts.push(containsAll(t, operand, st));
        break;
      case '$containedBy':
        parts.push(containedBy(t, operand, st));
        break;
      case '$exists':
        parts.push({ kind: 'exists', ref, exists: existsOperand(key, operand) });
        break;
      case '$regex':
        parts.push(regex(t, operand, value.$options));
        break;
      case '$options':
        if (!('$regex' in value)) throw invalidQuery(`$options on ${key} needs $regex`);
        break;
      case '$select':
      case '$dontSelect':
        parts.push(select(t, op, operand, st, depth));
        break;
      case '$inQuery':
      case '$notInQuery':
        parts.push(inQuery(t, op, operand, st, depth));
        break;
      default:
        throw unsupportedOperator(op, key);
    }
  }
  return and(...parts);
}

function equality(t: ValueTarget, raw: unknown, negate: boolean): Expr {
  if (Array.isArray(raw) || (isPlainObject(raw) && !('__type' in raw))) {
    throw invalidQuery(
      `Equality with a whole ${Array.isArray(raw) ? 'array' : 'object'} is not supported on ${t.key}; ` +
        'use $all/$containedBy or dot notation',
    );
  }
  if (raw === undefined) throw invalidQuery(`Missing value for ${t.key}`);
  const converted = toStored(t, raw);
  if (!converted.ok) return either(negate);
  return { kind: 'compare', ref: t.ref, op: negate ? 'ne' : 'eq', value: converted.value };
}

function range(t: ValueTarget, op: ComparisonOp, name: string, raw: unknown): Expr {
  const type = t.def.type;
  const orderable = isJsonTarget(t) || type === 'String' || type === 'Number' || type === 'Date';
  if (!orderable) throw invalidQuery(`${name} is not supported on ${type} field ${t.key}`);
  if (raw === null || raw === undefined || typeof raw === 'boolean' || Array.isArray(raw)) {
    throw invalidQuery(`${name} on ${t.key} needs a ${isJsonTarget(t) ? 'string or number' : type} value`);
  }
  const converted = toStored(t, raw);
  // Only pointers can fail to convert, and they are not orderable.
  if (!converted.ok) return FALSE;
  return { kind: 'compare', ref: t.ref, op, value: converted.value };
}

function operandArray(name: string, key: string, raw: unknown, st: State): unknown[] {
  if (!Array.isArray(raw)) throw new ParseError(ErrorCode.INVALID_JSON, `bad ${name} value on ${key}: must be an array`);
  spend(st, raw.length);
  return raw;
}

function dedupe(values: StoredScalar[]): StoredScalar[] {
  return [...new Set(values)];
}

function inList(t: ValueTarget, op: '$in' | '$nin', raw: unknown, st: State): Expr {
  const items = operandArray(op, t.key, raw, st);
  if (t.def.type === 'Object' && t.ref.path.length === 0) throw invalidQuery(`${op} is not supported on Object field ${t.key}`);
  const values: StoredScalar[] = [];
  for (const item of items) {
    if (Array.isArray(item)) throw invalidQuery(`${op} on ${t.key} must list single values, not arrays`);
    const converted = toStored(t, item);
    // A pointer of a class the field cannot hold matches no row; for $nin it excludes none.
    if (converted.ok) values.push(converted.value);
  }
  const negate = op === '$nin';
  if (values.length === 0) return either(negate);
  return { kind: 'in', ref: t.ref, values: dedupe(values), negate };
}

function arrayOnly(name: string, t: ValueTarget): void {
  if (t.def.type !== 'Array' || t.ref.path.length > 0) throw invalidQuery(`${name} only applies to Array fields (${t.key})`);
}

function nonNullElements(name: string, t: ValueTarget, items: unknown[]): StoredScalar[] {
  return dedupe(
    items.map((item) => {
      if (item === null || item === undefined) throw invalidQuery(`${name} on ${t.key} cannot list null`);
      const converted = toStored(t, item);
      return converted.ok ? converted.value : null;
    }),
  );
}

function containsAll(t: ValueTarget, raw: unknown, st: State): Expr {
  arrayOnly('$all', t);
  const items = operandArray('$all', t.key, raw, st);
  // Mongo: `$all: []` matches nothing.
  if (items.length === 0) return FALSE;
  // The SDK's containsAllStartingWith sends `$all: [{$regex}]`: each must match some element.
  const patterns = items.filter((item): item is Json => isPlainObject(item) && '$regex' in item);
  const plain = items.filter((item) => !patterns.includes(item as Json));
  const parts: Expr[] = patterns.map((item) => {
    if (Object.keys(item).some((k) => k !== '$regex' && k !== '$options')) {
      throw invalidQuery(`$all on ${t.key} accepts values or {$regex, $options} objects`);
    }
    return regex(t, item.$regex, item.$options);
  });
  if (plain.length > 0) parts.unshift({ kind: 'all', ref: t.ref, values: nonNullElements('$all', t, plain) });
  return and(...parts);
}

function containedBy(t: ValueTarget, raw: unknown, st: State): Expr {
  arrayOnly('$containedBy', t);
  const items = operandArray('$containedBy', t.key, raw, st);
  return { kind: 'containedBy', ref: t.ref, values: nonNullElements('$containedBy', t, items) };
}

function existsOperand(key: string, raw: unknown): boolean {
  if (typeof raw !== 'boolean') throw invalidQuery(`$exists on ${key} must be true or false`);
  return raw;
}

function regex(t: ValueTarget, pattern: unknown, options: unknown): Expr {
  if (!isJsonTarget(t) && t.def.type !== 'String') {
    throw invalidQuery(`$regex only applies to String, Array and Object sub-key fields (${t.key})`);
  }
  const safe = translateRegex(pattern, options);
  return { kind: 'regex', ref: t.ref, pattern: safe.pattern, flags: safe.flags };
}

interface ParsedSubQuery {
  cls?: CompiledClass;
  query: SubQuery;
}

/** `{className, where}` of $inQuery / $select; an unknown class yields no `cls` (it has no rows). */
function subQuery(raw: Json, key: string, st: State, depth: number): ParsedSubQuery {
  const { className, where } = raw;
  if (typeof className !== 'string') throw invalidQuery(`Sub-query on ${key} needs a className`);
  if (!CLASS_NAME_PATTERN.test(className)) {
    throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `Invalid class name: ${echo(className)}`);
  }
  if (where !== undefined && !isPlainObject(where)) throw invalidQuery(`Sub-query where on ${key} must be an object`);
  const cls = st.schema.get(className);
  if (!cls) return { query: { className, where: FALSE } };
  return { cls, query: { className, where: parseObject(where ?? {}, cls, st, depth + 1) } };
}

function isScalarColumn(t: ValueTarget): boolean {
  const type = t.def.type;
  return t.ref.path.length === 0 && type !== 'Array' && type !== 'Object' && type !== 'Relation' && type !== 'ACL';
}

function select(t: ValueTarget, op: '$select' | '$dontSelect', raw: unknown, st: State, depth: number): Expr {
  if (!isPlainObject(raw) || !isPlainObject(raw.query) || typeof raw.key !== 'string') {
    throw invalidQuery(`${op} on ${t.key} needs {query: {className, where}, key}`);
  }
  if (!isScalarColumn(t)) throw invalidQuery(`${op} is not supported on ${t.def.type} field ${t.key}`);
  const negate = op === '$dontSelect';
  const sub = subQuery(raw.query, t.key, st, depth);
  if (!sub.cls) return either(negate);
  const keyField = resolveKey(sub.cls, raw.key);
  const where = sub.query.where;
  if (keyField.kind === 'missing' || (where.kind === 'const' && !where.value)) return either(negate);
  const keyTarget: ValueTarget = { key: raw.key, ref: keyField.ref, def: keyField.def };
  if (!isScalarColumn(keyTarget)) throw invalidQuery(`${op} key ${raw.key} must be a top-level scalar field`);
  return { kind: 'select', ref: t.ref, query: sub.query, key: keyField.ref, negate };
}

function inQuery(t: ValueTarget, op: '$inQuery' | '$notInQuery', raw: unknown, st: State, depth: number): Expr {
  if (t.def.type !== 'Pointer' || t.ref.path.length > 0) throw invalidQuery(`${op} only applies to Pointer fields (${t.key})`);
  if (!isPlainObject(raw)) throw invalidQuery(`${op} on ${t.key} needs {className, where}`);
  const negate = op === '$notInQuery';
  const sub = subQuery(raw, t.key, st, depth);
  const where = sub.query.where;
  if (!sub.cls || !canHold(t.def, sub.query.className) || (where.kind === 'const' && !where.value)) {
    return either(negate);
  }
  return { kind: 'inQuery', ref: t.ref, query: sub.query, negate };
}

function parseRelatedTo(raw: unknown, cls: CompiledClass, st: State): Expr {
  if (!isPlainObject(raw)) throw invalidQuery('$relatedTo needs {object, key}');
  const owner = readPointer(raw.object);
  if (!owner) throw invalidQuery('$relatedTo.object must be a Pointer');
  if (!CLASS_NAME_PATTERN.test(owner.className)) {
    throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `Invalid class name: ${echo(owner.className)}`);
  }
  if (typeof raw.key !== 'string') throw invalidQuery('$relatedTo.key must be a string');
  if (!isValidSegment(raw.key)) throw invalidKeyName(raw.key);
  const def = st.schema.get(owner.className)?.fields.get(raw.key);
  // Not a relation of that class, or one holding other objects: Parse answers an empty result.
  if (def?.type !== 'Relation' || def.targetClass !== cls.className) return FALSE;
  return { kind: 'relatedTo', ownerClass: owner.className, ownerId: owner.objectId, key: raw.key };
}

/** Relation fields have no column: equality with a pointer asks the join table. */
function parseRelation(key: string, value: unknown, def: FieldDef, field: string, st: State): Expr {
  const holds = (raw: unknown): Expr => {
    const pointer = readPointer(raw);
    if (!pointer) throw invalidQuery(`Invalid value for ${key}: expected a Pointer`);
    if (pointer.className !== def.targetClass) return FALSE;
    return { kind: 'relationContains', key: field, relatedId: pointer.objectId };
  };
  if (!isOperatorObject(value, key)) return holds(value);
  const parts: Expr[] = [];
  for (const [op, operand] of Object.entries(value)) {
    switch (op) {
      case '$eq':
        parts.push(holds(operand));
        break;
      case '$ne':
        parts.push(not(holds(operand)));
        break;
      case '$in':
        parts.push(or(operandArray(op, key, operand, st).map(holds)));
        break;
      case '$nin':
        parts.push(nor(operandArray(op, key, operand, st).map(holds)));
        break;
      case '$all': {
        const items = operandArray(op, key, operand, st);
        parts.push(items.length === 0 ? FALSE : and(...items.map(holds)));
        break;
      }
      default:
        throw unsupportedOperator(op, key);
    }
  }
  return and(...parts);
}

/**
 * A field the class does not have reads as always missing, so each condition has a fixed answer. Operands
 * are still checked for shape so a malformed query fails the same way whatever the schema.
 */
function parseMissing(key: string, value: unknown, st: State, depth: number): Expr {
  if (!isOperatorObject(value, key)) return value === null ? TRUE : FALSE;
  const parts: Expr[] = [];
  for (const [op, operand] of Object.entries(value)) {
    switch (op) {
      case '$eq':
        parts.push(operand === null ? TRUE : FALSE);
        break;
      case '$ne':
        parts.push(operand === null ? FALSE : TRUE);
        break;
      case '$lt':
      case '$lte':
      case '$gt':
      case '$gte':
        if (operand === null || typeof operand === 'boolean' || Array.isArray(operand) || operand === undefined) {
          throw invalidQuery(`${op} on ${key} needs a comparable value`);
        }
        parts.push(FALSE);
        break;
      case '$in':
        parts.push(operandArray(op, key, operand, st).includes(null) ? TRUE : FALSE);
        break;
      case '$nin':
        parts.push(operandArray(op, key, operand, st).includes(null) ? FALSE : TRUE);
        break;
      case '$all':
        operandArray(op, key, operand, st);
        parts.push(FALSE);
        break;
      case '$containedBy':
        operandArray(op, key, operand, st);
        parts.push(TRUE);
        break;
      case '$exists':
        parts.push(existsOperand(key, operand) ? FALSE : TRUE);
        break;
      case '$regex':
        translateRegex(operand, value.$options);
        parts.push(FALSE);
        break;
      case '$options':
        if (!('$regex' in value)) throw invalidQuery(`$options on ${key} needs $regex`);
        break;
      case '$select':
      case '$dontSelect':
        if (!isPlainObject(operand) || !isPlainObject(operand.query) || typeof operand.key !== 'string') {
          throw invalidQuery(`${op} on ${key} needs {query: {className, where}, key}`);
        }
        subQuery(operand.query, key, st, depth);
        parts.push(either(op === '$dontSelect'));
        break;
      case '$inQuery':
      case '$notInQuery':
        if (!isPlainObject(operand)) throw invalidQuery(`${op} on ${key} needs {className, where}`);
        subQuery(operand, key, st, depth);
        parts.push(either(op === '$notInQuery'));
        break;
      default:
        throw unsupportedOperator(op, key);
    }
  }
  return and(...parts);
}
