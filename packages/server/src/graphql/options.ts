/**
 * GraphQL limits. Defaults suit the CRM's screens (a 100-row page with a few nested pointers costs ~1,000);
 * GRAPHQL_MAX_DEPTH / GRAPHQL_MAX_COST override them, GRAPHQL_PLAYGROUND=off hides the bundled GraphiQL.
 */
export interface GraphQLOptions {
  /** Deepest nesting of fields in one operation (introspection fields excepted). */
  maxDepth: number;
  /** Estimated objects touched: each field 1, a connection's selection × its page size (first/last, else the default limit). */
  maxCost: number;
  playground: boolean;
}

export const DEFAULT_GRAPHQL_OPTIONS: GraphQLOptions = { maxDepth: 10, maxCost: 50_000, playground: true };

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function graphqlOptionsFrom(env: NodeJS.ProcessEnv = process.env): GraphQLOptions {
  return {
    maxDepth: positive('GRAPHQL_MAX_DEPTH', env.GRAPHQL_MAX_DEPTH, DEFAULT_GRAPHQL_OPTIONS.maxDepth),
    maxCost: positive('GRAPHQL_MAX_COST', env.GRAPHQL_MAX_COST, DEFAULT_GRAPHQL_OPTIONS.maxCost),
    playground: !/^(off|0|false|no)$/i.test(env.GRAPHQL_PLAYGROUND ?? ''),
  };
}
