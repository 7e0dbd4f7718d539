/**
 * Query parameters (from a query string, where everything is text, or from the SDK's JSON body, where
 * `where` is an object and limit a number) → validated find options. Unknown parameters are refused (102)
 * so a typo never silently widens a query.
 */
import { and, type Expr, type OrderKey } from '../query/ast.js';
import { parseWhere } from '../query/parse-where.js';
import { parseKeys, parseOrder } from '../query/parse-order.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import { ErrorCode, ParseError, invalidJson, invalidQuery } from '../errors/parse-error.js';

export interface FindOptions {
  where: Expr;
  order: OrderKey[];
  limit: number;
  skip: number;
  keys?: string[];
  excludeKeys?: string[];
  include: string[];
  count: boolean;
}

export interface Limits {
  defaultLimit: number;
  maxLimit: number;
}

const ACCEPTED = new Set([
  'where',
  'order',
  'limit',
  'skip',
  'keys',
  'excludeKeys',
  'include',
  'count',
  'readPreference',
  'includeReadPreference',
  'subqueryReadPreference',
  'hint',
  'comment',
]);
const GET_ACCEPTED = new Set(['keys', 'excludeKeys', 'include', 'readPreference', 'includeReadPreference']);
const MAX_SKIP = 10_000_000;

function checkParams(raw: Record<string, unknown>, accepted: Set<string>): void {
  for (const key of Object.keys(raw)) {
    if (!accepted.has(key)) throw invalidQuery(`Invalid parameter for query: ${key}`);
  }
}

/** Parse's answers for a `where` that is not an object: 107 for text that is not a JSON object, 105 for an array. */
function parseWhereParam(raw: unknown): unknown {
  if (raw === undefined || raw === '') return {};
  let where = raw;
  if (typeof raw === 'string') {
    try {
      where = JSON.parse(raw);
    } catch {
      throw invalidJson('Invalid JSON in where parameter');
    }
  }
  if (Array.isArray(where)) throw new ParseError(ErrorCode.INVALID_KEY_NAME, 'where must be a JSON object, not an array');
  if (typeof where !== 'object' || where === null) throw invalidJson('where must be a JSON object');
  return where;
}

function integerParam(name: string, raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidQuery(`${name} must be an integer`);
  if (value < 0) throw invalidQuery(`${name} must not be negative`);
  return Math.min(value, max);
}

function countParam(raw: unknown): boolean {
  if (raw === undefined) return false;
  if (raw === 1 || raw === '1' || raw === true || raw === 'true') return true;
  if (raw === 0 || raw === '0' || raw === false || raw === 'false') return false;
  throw invalidQuery('count must be 0 or 1');
}

function optionalKeys(raw: unknown): string[] | undefined {
  return raw === undefined ? undefined : parseKeys(raw);
}

/** `include` paths; `*` stands for every pointer field of the class (Parse's include-all). */
function includeParam(raw: unknown, cls: CompiledClass): string[] {
  if (raw === undefined || raw === '') return [];
  const paths = parseKeys(raw, { allowWildcard: true });
  if (!paths.includes('*')) return paths;
  const pointers = [...cls.fields].filter(([, def]) => def.type === 'Pointer').map(([name]) => name);
  return [...new Set([...paths.filter((p) => p !== '*'), ...pointers])];
}

/** `inspectWhere` sees the raw where object before it is parsed (the security layer's pre-check). */
export function parseFindOptions(
  raw: Record<string, unknown>,
  cls: CompiledClass,
  schema: SchemaLookup,
  limits: Limits,
  inspectWhere: (where: unknown) => void = () => {},
): FindOptions {
  checkParams(raw, ACCEPTED);
  const where = parseWhereParam(raw.where);
  inspectWhere(where);
  return {
    where: parseWhere(where, cls, schema),
    order: raw.order === undefined || raw.order === '' ? [] : parseOrder(raw.order, cls),
    limit: integerParam('limit', raw.limit, limits.defaultLimit, limits.maxLimit),
    skip: integerParam('skip', raw.skip, 0, MAX_SKIP),
    keys: optionalKeys(raw.keys),
    excludeKeys: optionalKeys(raw.excludeKeys),
    include: includeParam(raw.include, cls),
    count: countParam(raw.count),
  };
}

export function parseGetOptions(
  raw: Record<string, unknown>,
  cls: CompiledClass,
  objectId: string,
): Omit<FindOptions, 'where'> & { where: Expr } {
  checkParams(raw, GET_ACCEPTED);
  return {
    where: and({ kind: 'compare', ref: { field: 'objectId', type: 'String', path: [] }, op: 'eq', value: objectId }),
    order: [],
    limit: 1,
    skip: 0,
    keys: optionalKeys(raw.keys),
    excludeKeys: optionalKeys(raw.excludeKeys),
    include: includeParam(raw.include, cls),
    count: false,
  };
}

export const notFound = (): ParseError => new ParseError(ErrorCode.OBJECT_NOT_FOUND, 'Object not found.');
