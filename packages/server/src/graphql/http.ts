/**
 * `/graphql` over HTTP: POST `{query, variables, operationName}` and GET with the same as query parameters
 * (queries only). Credentials are read and checked exactly as for REST (same headers, same AuthGate), and a
 * failure answers REST-style before any GraphQL runs: 403 `unauthorized`, 400 `{"code":209}` for a dead session,
 * 429 `{"code":155}` past the log-in rate limit, 400 `{"code":159}` for a repeated X-Parse-Request-Id.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { readRequestMeta } from '../rest/request-meta.js';
import type { Services } from '../service/services.js';
import { createContext } from './context.js';
import { RequestRejected } from './errors.js';
import { prepareOperation, runOperation, type OperationLimits, type Transport } from './operation.js';
import { playgroundPage, wantsPage } from './playground.js';
import type { SchemaCache } from './schema-cache.js';

/** As long as REST remembers request ids. */
const REQUEST_ID_TTL_MS = 5 * 60 * 1000;

export type AccountLimiter = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface HttpOptions {
  services: Services;
  schemas: SchemaCache;
  limits: OperationLimits;
  /** Applied to operations that log in or sign up (the REST limiter's settings, its own counter). */
  limitAccounts?: AccountLimiter;
}

export function registerGraphQLHttp(app: FastifyInstance, { services, schemas, limits, limitAccounts }: HttpOptions): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const transport: Transport = request.method === 'GET' ? 'GET' : 'POST';
    const input = transport === 'GET' ? request.query : request.body;
    if (transport === 'GET' && limits.playground && wantsPage(request.headers.accept, input)) {
      return reply.type('text/html').header('Cache-Control', 'no-cache').send(playgroundPage(services.config.appId));
    }
    // Headers only: GraphQL bodies carry no SDK-style `_SessionToken` keys.
    const meta = readRequestMeta(request.method, request.headers, {});
    const auth = await services.gate.authenticate(meta, request.ip);
    try {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw RequestRejected.of(400, 'BAD_REQUEST', 'Expected a JSON object {query, variables, operationName}.');
      }
      const ready = prepareOperation(schemas.current(), input, auth, transport, limits);
      if (ready.accountMutations > 0 && limitAccounts) await limitAccounts(request, reply);
      // X-Parse-Request-Id names the whole request: a repeated one runs none of its mutations again.
      if (
        meta.requestId &&
        ready.operation.operation === 'mutation' &&
        !(await services.storage.claimRequestId(meta.requestId, REQUEST_ID_TTL_MS))
      ) {
        throw new ParseError(ErrorCode.DUPLICATE_REQUEST, 'Duplicate request');
      }
      const ctx = createContext({ auth, services, installationId: meta.installationId });
      const result = await runOperation(ready, ctx, (error) => request.log.error({ err: error }, 'graphql resolver failed'));
      return reply.code(200).type('application/json').send(result);
    } catch (error) {
      if (error instanceof RequestRejected)
        return reply.code(error.status).type('application/json').send({ errors: error.errors });
      throw error;
    }
  };
  app.route({ method: ['GET', 'POST'], url: '/graphql', handler });
}
