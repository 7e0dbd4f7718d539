/**
 * From a request's `{query, variables, operationName}` to an operation that may run, for HTTP and WebSocket
 * alike: cached parse and validation, then the checks that depend on the caller and the variables — master-only
 * introspection, depth, cost, the one-account-mutation rule — and finally execution with Parse-coded errors.
 */
import {
  execute,
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import type { Auth } from '../security/auth.js';
import type { GraphQLContext } from './context.js';
import { formatError, RequestRejected, type ErrorLogger } from './errors.js';
import { costOf, depthOf, rootFields } from './limits.js';
import type { GraphQLOptions } from './options.js';
import type { SchemaVersion } from './schema-cache.js';

export type Transport = 'GET' | 'POST' | 'WS';

export interface OperationRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface ReadyOperation {
  version: SchemaVersion;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName?: string;
  variables: Record<string, unknown>;
  /** Log-ins and sign-ups it performs: guessing passwords and minting accounts are rate-limited. */
  accountMutations: number;
}

export interface OperationLimits extends GraphQLOptions {
  defaultLimit: number;
  maxLimit: number;
}

/** Mutations that try a password or create an account. */
const ACCOUNT_MUTATIONS = new Set(['logIn', 'signUp', 'createUser']);

function variablesOf(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw RequestRejected.of(400, 'BAD_REQUEST', 'Variables are invalid JSON.');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw RequestRejected.of(400, 'BAD_REQUEST', 'Variables must be an object.');
  return value as Record<string, unknown>;
}

export function prepareOperation(
  version: SchemaVersion,
  request: OperationRequest,
  auth: Auth,
  transport: Transport,
  limits: OperationLimits,
): ReadyOperation {
  const { query, operationName } = request;
  if (typeof query !== 'string' || query.trim() === '')
    throw RequestRejected.of(400, 'BAD_REQUEST', 'Must provide query string.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    throw RequestRejected.of(400, 'BAD_REQUEST', 'operationName must be a string.');
  }
  const variables = variablesOf(request.variables);
  const prepared = version.document(query);
  const operation = getOperationAST(prepared.document, operationName ?? undefined);
  if (!operation)
    throw RequestRejected.of(
      400,
      'BAD_REQUEST',
      operationName ? `Unknown operation named "${operationName}".` : 'Unable to identify operation.',
    );
  if (transport === 'GET' && operation.operation !== 'query') {
    throw RequestRejected.of(
      405,
      'METHOD_NOT_ALLOWED',
      `Can only perform a ${operation.operation} operation from a POST request.`,
    );
  }
  if (transport !== 'WS' && operation.operation === 'subscription') {
    throw RequestRejected.of(400, 'BAD_REQUEST', 'Subscriptions use the graphql-ws WebSocket protocol at /graphql.');
  }
  // Introspection would describe every class and field to anyone; Parse reserves it for the master key.
  if (prepared.introspection && !auth.isMaster)
    throw RequestRejected.of(403, 'INTROSPECTION_NOT_ALLOWED', 'Introspection is not allowed');

  const depth = depthOf(operation, prepared.fragments);
  if (depth > limits.maxDepth) {
    throw RequestRejected.of(400, 'GRAPHQL_VALIDATION_FAILED', `Query depth ${depth} exceeds the maximum of ${limits.maxDepth}.`);
  }
  const coerced = getVariableValues(version.schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw RequestRejected.fromGraphQL(400, 'BAD_USER_INPUT', coerced.errors);
  const cost = costOf(operation, {
    schema: version.schema,
    fragments: prepared.fragments,
    variables,
    defaultLimit: limits.defaultLimit,
    maxLimit: limits.maxLimit,
  });
  if (cost > limits.maxCost) {
    throw RequestRejected.of(400, 'GRAPHQL_VALIDATION_FAILED', `Query cost ${cost} exceeds the maximum of ${limits.maxCost}.`);
  }

  const accountMutations =
    operation.operation === 'mutation'
      ? rootFields(operation, prepared.fragments).filter((f) => ACCOUNT_MUTATIONS.has(f)).length
      : 0;
  // One request, one password guess: aliases must not multiply what the rate limit counts once.
  if (accountMutations > 1 && !auth.isMaster) {
    throw RequestRejected.of(400, 'BAD_REQUEST', 'Only one logIn, signUp or createUser per request.');
  }
  if (accountMutations > 0 && transport === 'WS') {
    throw RequestRejected.of(400, 'BAD_REQUEST', 'logIn, signUp and createUser are only available over HTTP.');
  }
  return {
    version,
    document: prepared.document,
    operation,
    operationName: operationName ?? undefined,
    variables,
    accountMutations,
  };
}

export function formatResult(result: ExecutionResult, log: ErrorLogger): FormattedExecutionResult {
  const formatted: FormattedExecutionResult = {};
  if (result.errors?.length) formatted.errors = result.errors.map((e) => formatError(e, log));
  if ('data' in result) formatted.data = result.data;
  return formatted;
}

export async function runOperation(
  ready: ReadyOperation,
  ctx: GraphQLContext,
  log: ErrorLogger,
): Promise<FormattedExecutionResult> {
  const result = await execute({
    schema: ready.version.schema,
    document: ready.document,
    operationName: ready.operationName,
    variableValues: ready.variables,
    contextValue: ctx,
  });
  return formatResult(result, log);
}
