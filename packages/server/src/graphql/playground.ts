/**
 * GraphiQL at `GET /graphql` (browsers), with every asset served from this server's node_modules under
 * `/graphql/assets/` — no CDN, so it works offline. The header editor starts with the app id filled in; the
 * master key (needed for schema introspection, i.e. autocompletion) or a session token go beside it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

export const ASSET_PREFIX = '/graphql/assets/';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => path.dirname(require.resolve(`${name}/package.json`));

/** The page's own script: mounts GraphiQL with a fetcher for HTTP and graphql-ws for subscriptions. */
const BOOT_SCRIPT = `(function () {
  var root = document.getElementById('graphiql');
  var endpoint = new URL(root.getAttribute('data-endpoint'), window.location.href).href;
  var headers = JSON.stringify({ 'X-Parse-Application-Id': root.getAttribute('data-app-id'), 'X-Parse-Master-Key': '', 'X-Parse-Session-Token': '' }, null, 2);
  var fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: endpoint.replace(/^http/, 'ws') });
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, { fetcher: fetcher, defaultHeaders: headers, isHeadersEditorEnabled: true }));
})();
`;

interface Asset {
  type: string;
  load: () => Promise<Buffer | string>;
}

const ASSETS: Record<string, Asset> = {
  'graphiql.min.js': {
    type: 'application/javascript',
    load: () => readFile(path.join(packageDir('graphiql'), 'graphiql.min.js')),
  },
  'graphiql.min.css': { type: 'text/css', load: () => readFile(path.join(packageDir('graphiql'), 'graphiql.min.css')) },
  'react.production.min.js': {
    type: 'application/javascript',
    load: () => readFile(path.join(packageDir('react'), 'umd/react.production.min.js')),
  },
  'react-dom.production.min.js': {
    type: 'application/javascript',
    load: () => readFile(path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js')),
  },
  'playground.js': { type: 'application/javascript', load: async () => BOOT_SCRIPT },
};

const escapeAttribute = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function playgroundPage(appId: string): string {
  const script = (name: string) => `<script src="${ASSET_PREFIX}${name}"></script>`;
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>GraphQL playground</title><link rel="stylesheet" href="${ASSET_PREFIX}graphiql.min.css">` +
    '<style>html,body{margin:0;height:100%}#graphiql{height:100vh}</style></head><body>' +
    `<div id="graphiql" data-endpoint="/graphql" data-app-id="${escapeAttribute(appId)}">Loading GraphiQL…</div>` +
    script('react.production.min.js') +
    script('react-dom.production.min.js') +
    script('graphiql.min.js') +
    script('playground.js') +
    '</body></html>'
  );
}

/** Whether a GET /graphql is a browser asking for a page rather than a client asking a query. */
export function wantsPage(accept: string | undefined, query: unknown): boolean {
  const hasQuery = typeof query === 'object' && query !== null && 'query' in query;
  return !hasQuery && !!accept && accept.includes('text/html');
}

export function registerPlaygroundAssets(app: FastifyInstance): void {
  const loaded = new Map<string, Promise<Buffer | string>>();
  app.get(`${ASSET_PREFIX}:file`, async (request, reply) => {
    const { file } = request.params as { file: string };
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) return reply.code(404).send({ code: 101, error: 'Not found' });
    let body = loaded.get(file);
    if (!body) {
      body = asset.load();
      loaded.set(file, body);
      body.catch(() => loaded.delete(file));
    }
    return reply
      .header('Cache-Control', 'public, max-age=3600')
      .type(asset.type)
      .send(await body);
  });
}
