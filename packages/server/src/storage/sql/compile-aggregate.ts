/**
 * `GET /parse/aggregate/:className`: `distinct` and a pipeline subset ($match $group $sort $limit $skip
 * $project $count) compiled to one SQL statement. Stages fold into the SELECT being built while SQL's clause
 * order can express them; a stage that must see the previous result (e.g. $match after $group) wraps what
 * exists so far as a sub-select and continues over its output columns.
 */
import { invalidQuery } from '../../errors/parse-error.js';
import type { Expr } from '../../query/ast.js';
import { echo, invalidKeyName, isValidSegment, splitKey, unknownField } from '../../query/field-ref.js';
import { parseWhere } from '../../query/parse-where.js';
import type { CompiledClass, SchemaLookup } from '../../schema/compiled.js';
import type { FieldDef } from '../../schema/types.js';
import { decodeValue, type Encoding } from './aggregate-decode.js';
import { orderTerm } from './compile-order.js';
import { compileWhere, type WhereContext } from './compile-where.js';
import { ident, join, keyword, limitCount, qualified, sql, type DialectName, type SqlFragment } from './fragment.js';
import { jsonAt, jsonEncodedAt } from './json-sql.js';

type Row = Record<string, unknown>;

export interface AggregateContext {
  dialect: DialectName;
}

export interface CompiledPipeline {
  fragment: SqlFragment;
  decode(row: Row): Record<string, unknown>;
}

export interface CompiledDistinct {
  fragment: SqlFragment;
  decode(rows: readonly Row[]): unknown[];
}

const MAX_STAGES = 32;
const NUMBER: FieldDef = { type: 'Number' };
const JSON_VALUE: FieldDef = { type: 'Object' };
/** Parse renames Mongo's `_id` to `objectId` in results; compound keys become `objectId.<part>` columns. */
const KEY = 'objectId';

interface Column {
  /** Output name, also the SQL column alias. */
  name: string;
  expr: SqlFragment;
  def: FieldDef;
  encoding: Encoding;
  /** Group keys and accumulators report null; unset stored fields are left out, as Parse omits them. */
  keepNull: boolean;
}

interface Builder {
  dialect: DialectName;
  from: SqlFragment;
  alias: string;
  /** The current row shape as a class, so $match can reuse parseWhere/compileWhere. */
  cls: CompiledClass;
  schema: SchemaLookup;
  source: Map<string, Column>;
  select: Column[] | null;
  where: SqlFragment[];
  groupKeys: number;
  /** Aggregating without GROUP BY: an empty input must give no row (Mongo), not one row of NULLs. */
  nonEmpty: boolean;
  order: SqlFragment[];
  limit?: number;
  offset: number;
  wraps: { next: number };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------------------
// distinct

export function compileDistinct(field: unknown, where: Expr, cls: CompiledClass, ctx: WhereContext): CompiledDistinct {
  if (typeof field !== 'string') throw invalidQuery('distinct must be a field name');
  const [name, ...path] = splitKey(field);
  const def = cls.fields.get(name);
  if (!def || def.type === 'Relation' || def.type === 'ACL' || (path.length > 0 && def.type !== 'Object')) {
    throw unknownField(field);
  }
  const table = cls.className;
  const column = qualified(table, name);
  const filter = compileWhere(where, { ...ctx, table, alias: undefined });
  let value: SqlFragment;
  let from = sql`${ident(table)}`;
  let encoding: Encoding = 'column';
  if (path.length > 0) {
    value = jsonEncodedAt(column, path, ctx.dialect);
    encoding = 'json';
  } else if (def.type === 'Array') {
    // Mongo's distinct unwinds arrays: each element is a candidate value.
    from =
      ctx.dialect === 'sqlite'
        ? sql`${from}, json_each(${column}) AS "el"`
        : sql`${from}, jsonb_array_elements(${column}) AS "el"("value")`;
    value = ctx.dialect === 'sqlite' ? sql`${column} -> ${qualified('el', 'fullkey')}` : qualified('el', 'value');
    encoding = 'json';
  } else {
    value = column;
  }
  const fragment = sql`SELECT DISTINCT ${value} AS "value" FROM ${from} WHERE ${filter} AND ${value} IS NOT NULL ORDER BY "value"`;
  return {
    fragment,
    decode: (rows) => rows.map((row) => decodeValue(row.value, def, name, encoding, ctx.dialect)).filter((v) => v !== null),
  };
}

// ---------------------------------------------------------------------------------------------------------
// pipeline

export function compilePipeline(
  pipeline: unknown,
  cls: CompiledClass,
  schema: SchemaLookup,
  ctx: AggregateContext,
): CompiledPipeline {
  const stages = Array.isArray(pipeline) ? pipeline : isPlainObject(pipeline) ? [pipeline] : undefined;
  if (!stages) throw invalidQuery('pipeline must be an array of stages');
  if (stages.length > MAX_STAGES) throw invalidQuery(`pipeline has too many stages (limit ${MAX_STAGES})`);
  let b = baseBuilder(cls, schema, ctx.dialect);
  for (const stage of stages) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw invalidQuery('Each pipeline stage must be an object with exactly one stage operator');
    }
    const [name, spec] = Object.entries(stage)[0];
    switch (name) {
      case '$match':
        b = match(b, spec);
        break;
      case '$group':
        b = group(b, spec);
        break;
      case '$sort':
        b = sort(b, spec);
        break;
      case '$limit':
        limit(b, spec);
        break;
      case '$skip':
        skip(b, spec);
        break;
      case '$project':
        b = project(b, spec);
        break;
      case '$count':
        b = count(b, spec);
        break;
      default:
        throw invalidQuery(`Unsupported aggregate stage ${echo(name)}`);
    }
  }
  const columns = b.select ?? [...b.source.values()];
  const dialect = ctx.dialect;
  return { fragment: render(b), decode: (row) => decodeRow(row, columns, dialect) };
}

function baseBuilder(cls: CompiledClass, schema: SchemaLookup, dialect: DialectName): Builder {
  const source = new Map<string, Column>();
  for (const name of cls.columnFields) {
    const def = cls.fields.get(name)!;
    source.set(name, { name, expr: qualified(cls.className, name), def, encoding: 'column', keepNull: false });
  }
  return {
    dialect,
    from: sql`${ident(cls.className)}`,
    alias: cls.className,
    cls,
    schema,
    source,
    select: null,
    where: [],
    groupKeys: 0,
    nonEmpty: false,
    order: [],
    offset: 0,
    wraps: { next: 0 },
  };
}

function render(b: Builder): SqlFragment {
  const columns = b.select ?? [...b.source.values()];
  let q = sql`SELECT ${join(columns.map((c) => sql`${c.expr} AS ${ident(c.name)}`))} FROM ${b.from}`;
  if (b.where.length > 0) q = sql`${q} WHERE ${join(b.where, sql` AND `)}`;
  if (b.groupKeys > 0) {
    // Ordinals, not repeated expressions: a JSON path bound twice is two parameters PostgreSQL cannot match.
    const ordinals = Array.from({ length: b.groupKeys }, (_, i) => keyword(String(i + 1)));
    q = sql`${q} GROUP BY ${join(ordinals)}`;
  }
  if (b.nonEmpty) q = sql`${q} HAVING COUNT(*) > 0`;
  if (b.order.length > 0) q = sql`${q} ORDER BY ${join(b.order)}`;
  if (b.dialect === 'sqlite') {
    // SQLite has no OFFSET without LIMIT; -1 means no limit.
    if (b.limit !== undefined || b.offset > 0) q = sql`${q} LIMIT ${limitCount(b.limit ?? -1)} OFFSET ${b.offset}`;
  } else {
    if (b.limit !== undefined) q = sql`${q} LIMIT ${limitCount(b.limit)}`;
    if (b.offset > 0) q = sql`${q} OFFSET ${b.offset}`;
  }
  return q;
}

/** Turn everything so far into a sub-select; later stages read its output columns. */
function wrap(b: Builder): Builder {
  const columns = b.select ?? [...b.source.values()];
  b.wraps.next += 1;
  const alias = `ag$${b.wraps.next}`;
  const source = new Map(columns.map((c) => [c.name, { ...c, expr: qualified(alias, c.name) }]));
  const shape = shapeClass(alias, columns);
  return {
    dialect: b.dialect,
    from: sql`(${render(b)}) AS ${ident(alias)}`,
    alias,
    cls: shape,
    schema: { get: (name) => (name === alias ? shape : b.schema.get(name)) },
    source,
    select: null,
    where: [],
    groupKeys: 0,
    nonEmpty: false,
    order: [],
    offset: 0,
    wraps: b.wraps,
  };
}

function shapeClass(alias: string, columns: readonly Column[]): CompiledClass {
  const fields = new Map<string, FieldDef>();
  for (const c of columns) if (c.encoding === 'column' && isValidSegment(c.name)) fields.set(c.name, c.def);
  return {
    className: alias,
    schema: { className: alias, fields: Object.fromEntries(fields), classLevelPermissions: {}, indexes: {} },
    fields,
    columnFields: [...fields.keys()],
    relationFields: [],
    requiredFields: [],
  };
}

const pending = (b: Builder): boolean => b.select !== null || b.limit !== undefined || b.offset > 0;

function match(b: Builder, spec: unknown): Builder {
  if (!isPlainObject(spec)) throw invalidQuery('$match must be an object');
  const next = pending(b) ? wrap(b) : b;
  if ('_id' in spec && KEY in spec) throw invalidQuery('$match cannot name both _id and objectId');
  const where = Object.fromEntries(Object.entries(spec).map(([k, v]) => [k === '_id' ? KEY : k, v]));
  const expr = parseWhere(where, next.cls, next.schema);
  next.where.push(
    compileWhere(expr, { dialect: next.dialect, table: next.cls.className, schema: next.schema, alias: next.alias }),
  );
  return next;
}

/** `"$field"` (or `"$meta.key"`) in the current shape. */
function fieldRef(b: Builder, raw: unknown): Column {
  if (typeof raw !== 'string' || !raw.startsWith('$')) {
    throw invalidQuery(`Expected a "$field" reference, got ${echo(JSON.stringify(raw) ?? String(raw))}`);
  }
  const name = raw === '$_id' ? KEY : raw.slice(1);
  const direct = b.source.get(name);
  if (direct) return direct;
  const [field, ...path] = splitKey(name);
  const column = b.source.get(field);
  if (!column || path.length === 0 || column.def.type !== 'Object' || column.encoding !== 'column') throw unknownField(name);
  return { name, expr: jsonEncodedAt(column.expr, path, b.dialect), def: JSON_VALUE, encoding: 'json', keepNull: true };
}

function group(input: Builder, spec: unknown): Builder {
  if (!isPlainObject(spec)) throw invalidQuery('$group must be an object');
  const b = pending(input) ? wrap(input) : input;
  // Ordering before $group only matters to $first/$last, which are not supported.
  b.order = [];
  const hasId = '_id' in spec;
  if (hasId === KEY in spec) throw invalidQuery('$group needs exactly one of _id or objectId');
  const idSpec = hasId ? spec._id : spec[KEY];
  const keys: Column[] = [];
  if (typeof idSpec === 'string') {
    keys.push({ ...fieldRef(b, idSpec), name: KEY, keepNull: true });
  } else if (isPlainObject(idSpec) && Object.keys(idSpec).length > 0) {
    for (const [part, ref] of Object.entries(idSpec)) {
      if (!isValidSegment(part)) throw invalidKeyName(part);
      keys.push({ ...fieldRef(b, ref), name: `${KEY}.${part}`, keepNull: true });
    }
  } else if (idSpec !== null) {
    throw invalidQuery('$group _id must be null, a "$field" reference or an object of them');
  }
  const accumulators: Column[] = [];
  for (const [name, acc] of Object.entries(spec)) {
    if (name === '_id' || name === KEY) continue;
    if (!isValidSegment(name)) throw invalidKeyName(name);
    accumulators.push(accumulator(b, name, acc));
  }
  const nullKey: Column[] =
    idSpec === null ? [{ name: KEY, expr: sql`NULL`, def: { type: 'String' }, encoding: 'column', keepNull: true }] : [];
  b.select = [...keys, ...nullKey, ...accumulators];
  b.groupKeys = keys.length;
  b.nonEmpty = keys.length === 0;
  return b;
}

function accumulator(b: Builder, name: string, acc: unknown): Column {
  if (!isPlainObject(acc) || Object.keys(acc).length !== 1) {
    throw invalidQuery(`Accumulator ${name} must be an object with one operator`);
  }
  const [op, arg] = Object.entries(acc)[0];
  const column = (expr: SqlFragment, def: FieldDef = NUMBER): Column => ({ name, expr, def, encoding: 'column', keepNull: true });
  switch (op) {
    case '$sum':
      if (typeof arg === 'number' && Number.isFinite(arg)) return column(sql`COUNT(*) * CAST(${arg} AS DOUBLE PRECISION)`);
      // A group with no numbers has no sum: the key is left out, as parse-server answers.
      return { ...column(sql`SUM(${numberField(b, op, arg).expr})`), keepNull: false };
    case '$avg':
      return column(sql`AVG(${numberField(b, op, arg).expr})`);
    case '$min':
    case '$max': {
      const source = fieldRef(b, arg);
      const orderable = ['Number', 'String', 'Date'].includes(source.def.type) && source.encoding === 'column';
      if (!orderable) throw invalidQuery(`${op} needs a Number, String or Date field`);
      return column(op === '$min' ? sql`MIN(${source.expr})` : sql`MAX(${source.expr})`, source.def);
    }
    case '$count':
      if (!isPlainObject(arg) || Object.keys(arg).length > 0) throw invalidQuery('$count accumulator takes {}');
      return column(sql`COUNT(*)`);
    default:
      throw invalidQuery(`Unsupported accumulator ${echo(op)}`);
  }
}

function numberField(b: Builder, op: string, arg: unknown): Column {
  const column = fieldRef(b, arg);
  if (column.encoding !== 'column' || column.def.type !== 'Number') throw invalidQuery(`${op} needs a Number field`);
  return column;
}

function sort(input: Builder, spec: unknown): Builder {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) throw invalidQuery('$sort must be a non-empty object');
  const b = pending(input) ? wrap(input) : input;
  b.order = Object.entries(spec).map(([key, direction]) => {
    if (direction !== 1 && direction !== -1) throw invalidQuery(`$sort direction for ${echo(key)} must be 1 or -1`);
    return orderTerm(sortValue(b, key === '_id' ? KEY : key), direction === -1, b.dialect);
  });
  return b;
}

function sortValue(b: Builder, name: string): SqlFragment {
  const direct = b.source.get(name);
  if (direct) return direct.expr;
  const [field, ...path] = splitKey(name);
  const column = b.source.get(field);
  if (!column || path.length === 0 || column.def.type !== 'Object' || column.encoding !== 'column') throw unknownField(name);
  return jsonAt(column.expr, path, b.dialect);
}

function limit(b: Builder, n: unknown): void {
  if (!Number.isSafeInteger(n) || (n as number) <= 0) throw invalidQuery('$limit must be a positive integer');
  b.limit = b.limit === undefined ? (n as number) : Math.min(b.limit, n as number);
}

function skip(b: Builder, n: unknown): void {
  if (!Number.isSafeInteger(n) || (n as number) < 0) throw invalidQuery('$skip must be a non-negative integer');
  b.offset += n as number;
  if (b.limit !== undefined) b.limit = Math.max(b.limit - (n as number), 0);
}

function project(input: Builder, spec: unknown): Builder {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) throw invalidQuery('$project must be a non-empty object');
  const b = input.select !== null ? wrap(input) : input;
  const entries = Object.entries(spec).map(([k, v]) => [k === '_id' ? KEY : k, v] as const);
  for (const [key, v] of entries) {
    if (!(v === 0 || v === 1 || v === true || v === false || typeof v === 'string')) {
      throw invalidQuery(`$project ${echo(key)} must be 1, 0 or a "$field" reference`);
    }
  }
  const excluded = new Set(entries.filter(([, v]) => v === 0 || v === false).map(([k]) => k));
  const included = entries.filter(([, v]) => !(v === 0 || v === false));
  const isKey = (name: string) => name === KEY || name.startsWith(`${KEY}.`);
  const all = [...b.source.values()];
  for (const name of excluded)
    if (!b.source.has(name) && !(name === KEY && all.some((c) => isKey(c.name)))) throw unknownField(name);

  if (included.length === 0) {
    b.select = all.filter((c) => !excluded.has(c.name) && !(excluded.has(KEY) && isKey(c.name)));
    return b;
  }
  if ([...excluded].some((k) => k !== KEY)) throw invalidQuery('$project cannot mix inclusion and exclusion');
  const select: Column[] = excluded.has(KEY) ? [] : all.filter((c) => isKey(c.name));
  for (const [name, v] of included) {
    if (name === KEY && typeof v !== 'string') continue;
    if (!isValidSegment(name)) throw invalidKeyName(name);
    if (typeof v === 'string') {
      select.push({ ...fieldRef(b, v), name, keepNull: false });
    } else {
      const column = b.source.get(name);
      if (!column) throw unknownField(name);
      select.push(column);
    }
  }
  b.select = select;
  return b;
}

function count(input: Builder, name: unknown): Builder {
  if (typeof name !== 'string' || !isValidSegment(name)) throw invalidQuery('$count needs a field name');
  const b = pending(input) ? wrap(input) : input;
  b.order = [];
  b.select = [{ name, expr: sql`COUNT(*)`, def: NUMBER, encoding: 'column', keepNull: true }];
  b.nonEmpty = true;
  return b;
}

function decodeRow(row: Row, columns: readonly Column[], dialect: DialectName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const value = decodeValue(row[c.name], c.def, c.name, c.encoding, dialect);
    if (value === null && !c.keepNull) continue;
    if (c.name.startsWith(`${KEY}.`)) {
      const key = (out[KEY] ??= {}) as Record<string, unknown>;
      key[c.name.slice(KEY.length + 1)] = value;
    } else {
      out[c.name] = value;
    }
  }
  return out;
}
