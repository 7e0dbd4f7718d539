/**
 * Relay connections over `objects.find`: `skip`, `first`/`after`, `last`/`before` become one REST-style find
 * (`skip`, `limit`, `count` only when `count` is selected). Cursors are absolute offsets,
 * base64("arrayconnection:<offset>") as Parse issues them.
 */
import { GraphQLBoolean, GraphQLNonNull, GraphQLObjectType, GraphQLString, type GraphQLResolveInfo } from 'graphql';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { ParseObjectJson } from '../codec/row-codec.js';
import type { GraphQLContext } from './context.js';
import type { ClassModel, SchemaModel } from './model.js';
import { toParseOrder } from './order.js';
import { selectedFields } from './selection.js';
import { toParseWhere } from './where-translate.js';

export interface ConnectionArgs {
  where?: Record<string, unknown> | null;
  order?: string[] | null;
  skip?: number | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** An edge keeps its offset; the cursor is encoded only if a client selects it. */
export interface Edge {
  offset: number;
  node: ParseObjectJson;
}

export interface Connection {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  count?: number;
}

export const PageInfoType = new GraphQLObjectType({
  name: 'PageInfo',
  fields: {
    hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) },
    hasPreviousPage: { type: new GraphQLNonNull(GraphQLBoolean) },
    startCursor: { type: GraphQLString },
    endCursor: { type: GraphQLString },
  },
});

const CURSOR_PREFIX = 'arrayconnection:';

export const toCursor = (offset: number): string => Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64');

function offsetOf(cursor: string): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const offset = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ParseError(ErrorCode.INVALID_QUERY, 'Invalid cursor');
  return offset;
}

function count(name: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value < 0) throw new ParseError(ErrorCode.INVALID_QUERY, `${name} must not be negative`);
  return value;
}

interface Window {
  skip: number;
  /** Rows of the page; Infinity until a total is known (`last` without `before`). */
  upper: number;
  last?: number;
}

function windowOf(args: ConnectionArgs): Window {
  let skip = count('skip', args.skip) ?? 0;
  if (args.after) skip = Math.max(skip, offsetOf(args.after) + 1);
  let upper = args.before ? offsetOf(args.before) : Infinity;
  const first = count('first', args.first);
  if (first !== undefined) upper = Math.min(upper, skip + first);
  return { skip, upper, last: count('last', args.last) };
}

export async function resolveConnection(
  ctx: GraphQLContext,
  model: ClassModel,
  schema: SchemaModel,
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
  scope?: Record<string, unknown>,
): Promise<Connection> {
  const { objects, config } = ctx.services;
  const where = { ...toParseWhere(args.where, model, schema), ...scope };
  const order = toParseOrder(args.order);
  const base: Record<string, unknown> = Object.keys(where).length ? { where } : {};
  if (order) base.order = order;
  const wanted = selectedFields(info);
  const wantsCount = wanted.has('count');
  const wantsPageInfo = wanted.has('pageInfo');
  const wantsRows = wantsPageInfo || wanted.has('edges');

  const window = windowOf(args);
  let total: number | undefined;
  if (window.last !== undefined && window.upper === Infinity) {
    total = (await objects.find(ctx.auth, model.className, { ...base, count: 1, limit: 0 })).count ?? 0;
    window.upper = total;
  }
  let { skip } = window;
  if (window.last !== undefined) skip = Math.max(skip, window.upper - window.last);
  const limit = Math.min(Number.isFinite(window.upper) ? Math.max(0, window.upper - skip) : config.defaultLimit, config.maxLimit);

  // One extra row answers hasNextPage without a count.
  const fetch = wantsRows ? limit + (wantsPageInfo ? 1 : 0) : 0;
  let rows: ParseObjectJson[] = [];
  if (fetch > 0 || (wantsCount && total === undefined)) {
    const raw = { ...base, skip, limit: fetch, ...(wantsCount && total === undefined ? { count: 1 } : {}) };
    const found = await objects.find(ctx.auth, model.className, raw);
    rows = found.results;
    total ??= found.count;
  }
  const page = rows.length > limit ? rows.slice(0, limit) : rows;
  const edges = page.map((node, i) => ({ offset: skip + i, node }));
  return {
    edges,
    count: total,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: skip > 0,
      startCursor: edges.length ? toCursor(skip) : null,
      endCursor: edges.length ? toCursor(skip + edges.length - 1) : null,
    },
  };
}
