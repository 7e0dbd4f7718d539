/**
 * Serves the built Angular app at `/` from STATIC_DIR (by default packages/app/dist/app/browser when it
 * exists), so `npm start` serves the whole product on one port. Paths without a file fall back to index.html
 * (client-side routes), with the app id injected as a meta tag so the app needs no build-time configuration.
 * Because that changes index.html, the service worker manifest is served with the page's new hash, or the
 * worker would refuse to cache the shell. Hashed bundles are cached for a year; the shell and the worker files
 * are revalidated on every load; everything goes out compressed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerConfig } from '../config/config.js';

const DEFAULT_STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../app/dist/app/browser');

/** Angular's output names carry a content hash (`main-RRRRQMHS.js`), and media files live under /media. */
const IMMUTABLE = /(-[A-Z0-9]{8}\.(js|css)$)|(^\/media\/)/;
const NO_CACHE = new Set(['/ngsw.json', '/ngsw-worker.js', '/safety-worker.js', '/worker-basic.min.js', '/manifest.webmanifest']);

export function staticDirFor(config: ServerConfig): string | null {
  const dir = config.staticDir ?? DEFAULT_STATIC_DIR;
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

const escapeAttribute = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** ngsw.json with the served index.html's SHA-1 in place of the build's. */
function workerManifest(root: string, index: string): string | null {
  const file = path.join(root, 'ngsw.json');
  if (!existsSync(file)) return null;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { hashTable?: Record<string, string> };
  if (manifest.hashTable?.['/index.html']) manifest.hashTable['/index.html'] = createHash('sha1').update(index).digest('hex');
  return JSON.stringify(manifest);
}

export async function registerStaticApp(app: FastifyInstance, config: ServerConfig): Promise<void> {
  const root = staticDirFor(config);
  if (!root) return;
  const meta = `<meta name="crm-app-id" content="${escapeAttribute(config.appId)}">`;
  const index = readFileSync(path.join(root, 'index.html'), 'utf8').replace('</head>', `${meta}</head>`);
  const manifest = workerManifest(root, index);
  // Compression only where it pays: the app's files (API responses are small and latency-bound).
  await app.register(fastifyCompress, { global: false });
  // serve: false — only reply.sendFile; the routes below decide what is a file and what is the app shell.
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });
  const compressed = { compress: {} };
  const sendIndex = async (_request: unknown, reply: FastifyReply) =>
    reply.header('Cache-Control', 'no-cache').type('text/html').compress(index);
  app.get('/', { config: compressed }, sendIndex);
  app.get('/index.html', { config: compressed }, sendIndex);
  if (manifest) {
    app.get('/ngsw.json', { config: compressed }, async (_request, reply) =>
      reply.header('Cache-Control', 'no-cache').type('application/json').compress(manifest),
    );
  }
  const apiPrefixes = [`${config.mountPath}/`, '/graphql'];
  app.get('/*', { config: compressed }, async (request, reply) => {
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
      if (IMMUTABLE.test(urlPath)) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
      else if (NO_CACHE.has(urlPath)) reply.header('Cache-Control', 'no-cache');
      else reply.header('Cache-Control', 'public, max-age=3600');
      return reply.sendFile(urlPath.slice(1));
    }
    // Unknown asset-like paths are real 404s; everything else is a client-side route.
    if (path.extname(urlPath)) return reply.code(404).send({ code: 101, error: 'Not found' });
    return sendIndex(request, reply);
  });
}
