/**
 * `GET <mount>/openapi.json`: readable without any key, so tools and the playground can load it before the
 * user has credentials. Built on first request after a schema change and kept until the next one — the
 * registry tells us (also when another instance changed the schema), so no request ever pays for a rebuild
 * it does not need.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/services.js';
import { buildOpenApi } from './openapi.js';

// The same relative path from src/docs and dist/docs.
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

interface Built {
  json: string;
  etag: string;
}

export function registerOpenApi(app: FastifyInstance, services: Services): void {
  const { config, schema } = services;
  let built: Built | null = null;
  schema.onChange(() => {
    built = null;
  });
  const current = (): Built => {
    if (built) return built;
    const document = buildOpenApi(
      schema.all().map((c) => c.schema),
      { mountPath: config.mountPath, version, clientKeyRequired: !!(config.javascriptKey || config.restApiKey) },
    );
    const json = JSON.stringify(document);
    built = { json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"` };
    return built;
  };

  app.get(`${config.mountPath}/openapi.json`, async (request, reply) => {
    const { json, etag } = current();
    // no-cache, not max-age: a schema change must show on the next load, and the ETag keeps that cheap.
    reply.header('Cache-Control', 'no-cache').header('ETag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(json);
  });
}
