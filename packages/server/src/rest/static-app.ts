/**
 * Serves the built Angular app at `/` from STATIC_DIR (by default packages/app/dist/app/browser when it
 * exists), so `npm start` serves the whole product on one port. Paths without a file fall back to index.html
 * (client-side routes), with the app id injected as a meta tag so the app needs no build-time configuration.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config/config.js';

const DEFAULT_STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../app/dist/app/browser');

export function staticDirFor(config: ServerConfig): string | null {
  const dir = config.staticDir ?? DEFAULT_STATIC_DIR;
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

const escapeAttribute = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export async function registerStaticApp(app: FastifyInstance, config: ServerConfig): Promise<void> {
  const root = staticDirFor(config);
  if (!root) return;
  const meta = `<meta name="crm-app-id" content="${escapeAttribute(config.appId)}">`;
  const index = readFileSync(path.join(root, 'index.html'), 'utf8').replace('</head>', `${meta}</head>`);
  // serve: false — only reply.sendFile; the routes below decide what is a file and what is the app shell.
  await app.register(fastifyStatic, { root, serve: false });
  const sendIndex = async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.header('Cache-Control', 'no-cache').type('text/html').send(index);
  app.get('/', sendIndex);
  app.get('/index.html', sendIndex);
  const apiPrefixes = [`${config.mountPath}/`, '/graphql'];
  app.get('/*', async (request, reply) => {
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(request.url.split('?')[0]);
    } catch {
      return reply.code(400).send({ code: 107, error: 'Malformed URL' });
    }
    if (urlPath === config.mountPath || apiPrefixes.some((p) => urlPath.startsWith(p))) {
      return reply.code(404).send({ code: 101, error: `Cannot GET ${urlPath}` });
    }
    const file = path.join(root, urlPath);
    if (file.startsWith(root + path.sep) && existsSync(file) && !file.endsWith(path.sep)) {
      return reply.sendFile(urlPath.slice(1));
    }
    // Unknown asset-like paths are real 404s; everything else is a client-side route.
    if (path.extname(urlPath)) return reply.code(404).send({ code: 101, error: 'Not found' });
    return sendIndex(request, reply);
  });
}
