/**
 * A subscription compiled once: its `where` as a row matcher, and the caller's read permission — the very
 * read filter a REST find would add to its SQL (security/read-access.ts) — as a second matcher. No rule is
 * re-implemented here: LiveQuery asks the same authorize pipeline, then evaluates its answer in memory.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { and } from '../query/ast.js';
import { parseWhere } from '../query/parse-where.js';
import { parseKeys } from '../query/parse-order.js';
import type { CompiledClass } from '../schema/compiled.js';
import { assertClassName } from '../schema/validate-schema.js';
import type { Auth } from '../security/auth.js';
import { protectedFieldsFor } from '../security/class-permissions.js';
import { readContextFor, requireClassAccess } from '../security/read-access.js';
import { assertNoHiddenKeys, secureWhere } from '../security/secure-subqueries.js';
import type { ReadContext } from '../service/read-context.js';
import type { Services } from '../service/services.js';
import { compileMatcher, databaseOnlyKind, unsupportedInLiveQuery, type RowMatcher } from './matcher.js';
import type { SubscriptionQuery } from './protocol.js';

export interface Subscription {
  requestId: number;
  query: SubscriptionQuery;
  /** The token this subscription authenticated with (its own, or the connection's). */
  sessionToken?: string;
  auth: Auth;
  cls: CompiledClass;
  ctx: ReadContext;
  matches: RowMatcher;
  visible: RowMatcher;
  keys?: Set<string>;
  watch?: string[];
  include: string[];
  /** Subscribers with equal view keys see an object identically (event-view.ts shares its rendering). */
  viewKey: string;
}

export function buildSubscription(
  services: Services,
  auth: Auth,
  requestId: number,
  query: SubscriptionQuery,
  sessionToken?: string,
): Subscription {
  assertClassName(query.className);
  if (!services.config.liveQueryClasses.includes(query.className)) {
    throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, `Class ${query.className} is not served by LiveQuery.`);
  }
  const cls = services.schema.get(query.className);
  if (!cls)
    throw new ParseError(
      ErrorCode.OPERATION_FORBIDDEN,
      `This user is not allowed to access non-existent class: ${query.className}`,
    );
  const scope = requireClassAccess(auth, cls, 'find');
  const ctx = readContextFor(auth, services.storage, services.schema, 'find');
  assertNoHiddenKeys(query.where, protectedFieldsFor(auth, cls), cls.className);
  const where = secureWhere(ctx, cls, parseWhere(query.where, cls, services.schema));
  const unsupported = databaseOnlyKind(where);
  if (unsupported) throw unsupportedInLiveQuery(unsupported);
  const matcherContext = { schema: services.schema };
  const keys = query.keys ? parseKeys(query.keys) : undefined;
  return {
    requestId,
    query,
    sessionToken,
    auth,
    cls,
    ctx,
    matches: compileMatcher(where, matcherContext),
    visible: compileMatcher(and(ctx.readFilter(cls), scope), matcherContext),
    keys: keys ? new Set(keys) : undefined,
    viewKey: `${cls.className}|${keys ? [...keys].sort().join(',') : '*'}|${[...ctx.hiddenFields(cls)].sort().join(',')}`,
    watch: query.watch ? parseKeys(query.watch) : undefined,
    include: query.include ? parseKeys(query.include) : [],
  };
}
