/**
 * The scalars Parse's GraphQL API uses. Inputs are coerced straight into Parse's wire JSON (a Date becomes
 * `{"__type":"Date","iso":…}`), so resolvers hand them to the service layer without knowing field types.
 */
import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { canonicalIso, isoFromDateJson, isPlainObject } from '../codec/values.js';

function isoOf(value: unknown): string | null {
  if (typeof value === 'string') return canonicalIso(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return isoFromDateJson(value);
}

/**
 * Stored dates are already canonical ISO text (see docs/DECISIONS.md "Dates"), so output passes them through
 * unparsed — a page of results would otherwise parse every date once more.
 */
function storedIso(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && (value as { __type?: unknown }).__type === 'Date') {
    const iso = (value as { iso?: unknown }).iso;
    if (typeof iso === 'string') return iso;
  }
  return null;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'An ISO-8601 date-time string (UTC), e.g. 2026-03-01T00:00:00.000Z.',
  serialize(value) {
    const iso = storedIso(value) ?? isoOf(value);
    if (iso === null) throw new GraphQLError('Date cannot represent this value');
    return iso;
  },
  parseValue(value) {
    const iso = isoOf(value);
    if (iso === null) throw new GraphQLError('Date must be an ISO-8601 string');
    return { __type: 'Date', iso };
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be an ISO-8601 string', { nodes: ast });
    const iso = canonicalIso(ast.value);
    if (iso === null) throw new GraphQLError('Date must be an ISO-8601 string', { nodes: ast });
    return { __type: 'Date', iso };
  },
});

export const ObjectScalar = new GraphQLScalarType({
  name: 'Object',
  description: 'A JSON object.',
  serialize: (value) => value,
  parseValue(value) {
    if (!isPlainObject(value)) throw new GraphQLError('Object must be a JSON object');
    return value;
  },
  parseLiteral(ast: ValueNode, variables) {
    if (ast.kind !== Kind.OBJECT) throw new GraphQLError('Object must be a JSON object', { nodes: ast });
    return valueFromASTUntyped(ast, variables);
  },
});

export const AnyScalar = new GraphQLScalarType({
  name: 'Any',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast: ValueNode, variables) => valueFromASTUntyped(ast, variables),
});
