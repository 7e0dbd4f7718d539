/**
 * Per-address limits on the endpoints that guess passwords or mint accounts (log-in, sign-up, password
 * reset requests), through @fastify/rate-limit. Other endpoints are not limited here: ACLs protect them.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { HttpMethod } from './api-types.js';

type Limiter = (request: FastifyRequest, reply: FastifyReply, method: HttpMethod) => Promise<void>;

const LIMITED = [
  /\/login$/,
  /\/users$/,
  /\/classes\/_User$/,
  /\/requestPasswordReset$/,
  /\/verificationEmailRequest$/,
  /\/verifyPassword$/,
];

export async function authRateLimiter(app: FastifyInstance, perMinute: number): Promise<Limiter> {
  if (perMinute <= 0) return async () => {};
  await app.register(rateLimit, { global: false });
  const hook = app.rateLimit({
    max: perMinute,
    timeWindow: 60_000,
    errorResponseBuilder: () => new ParseError(ErrorCode.REQUEST_LIMIT_EXCEEDED, 'Too many requests, try again later.', 429),
  });
  return async (request, reply, method) => {
    const path = request.url.split('?')[0];
    const limited =
      (method === 'POST' || path.endsWith('/login') || path.endsWith('/verifyPassword')) && LIMITED.some((p) => p.test(path));
    if (limited) await hook.call(app, request, reply);
  };
}
