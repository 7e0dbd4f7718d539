/**
 * GraphQL where input → Parse REST `where` JSON, handed to `objects.find` exactly as a REST query would be: the
 * query parser, sub-query securing and protected-field checks then run on it unchanged. Nothing here decides
 * what a caller may see.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { fromGlobalId, pointerFromId } from './global-id.js';
import type { ClassModel, FieldModel, SchemaModel } from './model.js';

type Json = Record<string, unknown>;

const OPERATORS: Record<string, string> = {
  equalTo: '$eq',
  notEqualTo: '$ne',
  lessThan: '$lt',
  lessThanOrEqualTo: '$lte',
  greaterThan: '$gt',
  greaterThanOrEqualTo: '$gte',
  in: '$in',
  notIn: '$nin',
  exists: '$exists',
  matchesRegex: '$regex',
  options: '$options',
  inQueryKey: '$select',
  notInQueryKey: '$dontSelect',
  contains: '$all',
  containedBy: '$containedBy',
};

const LOGICAL: Record<string, string> = { OR: '$or', AND: '$and', NOR: '$nor' };

/** `equalTo: null` asks for a missing value; any other null operand is as if left out. */
const keeps = (name: string, value: unknown): boolean =>
  value !== undefined && (value !== null || name === 'equalTo' || name === 'notEqualTo');

function operatorObject(input: Json, schema: SchemaModel, convert: (value: unknown) => unknown = (v) => v): Json {
  const out: Json = {};
  for (const [name, value] of Object.entries(input)) {
    if (!keeps(name, value)) continue;
    const op = OPERATORS[name];
    if (name === 'inQueryKey' || name === 'notInQueryKey') out[op] = selectOperand(value as Json, schema);
    else if (Array.isArray(value)) out[op] = name === 'contains' || name === 'containedBy' ? value : value.map(convert);
    else out[op] = name === 'exists' || name === 'matchesRegex' || name === 'options' ? value : convert(value);
  }
  return out;
}

function selectOperand(input: Json, schema: SchemaModel): Json {
  const query = input.query as { className: string; where: Json };
  const className = schema.byTypeName.get(query.className)?.className ?? query.className;
  return { query: { className, where: query.where }, key: input.key };
}

/** Ids in `objectId`/`id` conditions may be global ids; one of another class is compared as given (matching nothing). */
function idValue(className: string): (value: unknown) => unknown {
  return (value) => {
    const decoded = typeof value === 'string' ? fromGlobalId(value) : null;
    return decoded && decoded.className === className ? decoded.objectId : value;
  };
}

function pointerConditions(field: FieldModel, input: Json, schema: SchemaModel, into: Array<[string, unknown]>): void {
  if (field.kind.kind !== 'pointer') return;
  const { targets, polymorphic } = field.kind;
  const operators: Json = {};
  const toPointer = (id: unknown) => pointerFromId(String(id), targets);
  for (const [name, value] of Object.entries(input)) {
    if (!keeps(name, value)) continue;
    if (name === 'have' || name === 'haveNot') {
      const op = name === 'have' ? '$inQuery' : '$notInQuery';
      const subQuery = (className: string, where: Json) => ({
        className,
        where: toParseWhere(where, schema.classes.get(className)!, schema),
      });
      if (!polymorphic) {
        operators[op] = subQuery(targets[0], value as Json);
        continue;
      }
      const perClass = Object.entries(value as Json)
        .filter(([, where]) => where != null)
        .map(([typeName, where]) => ({
          [field.name]: { [op]: subQuery(schema.byTypeName.get(typeName)!.className, where as Json) },
        }));
      // have: the target is one of the listed ones; haveNot: it is none of them.
      if (perClass.length === 1) into.push([field.name, perClass[0][field.name]]);
      else if (perClass.length > 1) into.push([name === 'have' ? '$or' : '$and', perClass]);
    } else if (name === 'exists') {
      operators.$exists = value;
    } else if (value === null) {
      operators[OPERATORS[name]] = null;
    } else {
      operators[OPERATORS[name]] = Array.isArray(value) ? value.map(toPointer) : toPointer(value);
    }
  }
  if (Object.keys(operators).length) into.push([field.name, operators]);
}

/** `{stage: {}}` asks nothing; sent on, REST would read it as equality with an object. */
function pushOperators(into: Array<[string, unknown]>, key: string, operators: Json): void {
  if (Object.keys(operators).length) into.push([key, operators]);
}

/** Conditions on different keys share one object; a key used twice moves to `$and`. */
function combine(conditions: Array<[string, unknown]>): Json {
  const out: Json = {};
  const extra: Json[] = [];
  for (const [key, value] of conditions) {
    if (key in out) extra.push({ [key]: value });
    else out[key] = value;
  }
  if (extra.length === 0) return out;
  return { $and: [out, ...extra] };
}

export function toParseWhere(input: Json | null | undefined, model: ClassModel, schema: SchemaModel): Json {
  if (!input) return {};
  const conditions: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (key in LOGICAL) {
      const items = (value as Json[]).map((item) => toParseWhere(item, model, schema));
      if (items.length) conditions.push([LOGICAL[key], items]);
    } else if (key === 'id' || key === 'objectId') {
      pushOperators(conditions, 'objectId', operatorObject(value as Json, schema, idValue(model.className)));
    } else if (key === 'createdAt' || key === 'updatedAt') {
      pushOperators(conditions, key, operatorObject(value as Json, schema));
    } else {
      const field = model.field.get(key);
      if (!field) throw new ParseError(ErrorCode.INVALID_KEY_NAME, `Invalid field name: ${key}.`);
      if (field.kind.kind === 'pointer') pointerConditions(field, value as Json, schema, conditions);
      else pushOperators(conditions, key, operatorObject(value as Json, schema));
    }
  }
  return combine(conditions);
}
