/**
 * GraphiQL at GET /graphql for browsers, bundled with the server: every script and stylesheet the page names is
 * served from /graphql/assets (no CDN), and the header editor is prefilled with the app id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_API_ONLY, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';
import { graphqlUrl } from './helpers.js';

let server: TestServer;
let origin: string;

beforeAll(async () => {
  server = await startTestServer(DATA_API_ONLY);
  origin = new URL(server.serverURL).origin;
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
});

describe('playground', () => {
  let html: string;

  it('GET /graphql accepting text/html answers the GraphiQL page', async () => {
    const res = await fetch(graphqlUrl(server), { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    html = await res.text();
    expect(html).toContain('<script src="/graphql/assets/graphiql.min.js"></script>');
    expect(html).toContain(`data-app-id="${server.appId}"`);
  });

  it('names no asset outside this server', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('every script and stylesheet it names answers 200 with the right type', async () => {
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/graphql/assets/graphiql.min.js',
        '/graphql/assets/graphiql.min.css',
        '/graphql/assets/react.production.min.js',
        '/graphql/assets/react-dom.production.min.js',
      ]),
    );
    for (const url of urls) {
      const res = await fetch(`${origin}${url}`);
      expect(res.status, url).toBe(200);
      const body = await res.text();
      expect(body.length, url).toBeGreaterThan(100);
      expect(res.headers.get('content-type'), url).toMatch(url.endsWith('.css') ? /^text\/css/ : /^application\/javascript/);
    }
    const graphiql = await (await fetch(`${origin}/graphql/assets/graphiql.min.js`)).text();
    expect(graphiql).toContain('GraphiQL');
  });

  it('the boot script prefills the header editor with the app id header', async () => {
    const script = await (await fetch(`${origin}/graphql/assets/playground.js`)).text();
    expect(script).toContain("'X-Parse-Application-Id'");
    expect(script).toContain('defaultHeaders');
  });

  it('unknown assets and path tricks are 404', async () => {
    for (const path of ['/graphql/assets/nope.js', '/graphql/assets/..%2Fpackage.json', '/graphql/assets/graphiql.min.js.map']) {
      expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
    }
  });

  it('a GET without a query from a non-browser is a GraphQL 400, not the page', async () => {
    const res = await fetch(graphqlUrl(server), { headers: { 'X-Parse-Application-Id': server.appId } });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
