/**
 * `GET /playground`: Swagger UI over the live OpenAPI document, able to send real requests. The application
 * id is filled in; a session token comes from logging in on the page or from pasting one into Authorize.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config/config.js';
import { assetUrl, packageFile, registerAssets, textAsset, type Asset } from './assets.js';
import { escapeHtml, page, type NavTarget } from './html.js';
import { PLAYGROUND_SCRIPT } from './playground-script.js';

export const PLAYGROUND_PATH = '/playground';
const ASSETS_PATH = `${PLAYGROUND_PATH}/assets`;

const ASSETS: Readonly<Record<string, Asset>> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', ...packageFile('swagger-ui-dist', 'swagger-ui.css') },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', ...packageFile('swagger-ui-dist', 'swagger-ui-bundle.js') },
  'favicon-32x32.png': { type: 'image/png', ...packageFile('swagger-ui-dist', 'favicon-32x32.png') },
  'playground.js': textAsset('text/javascript; charset=utf-8', PLAYGROUND_SCRIPT),
};

const asset = (name: string) => escapeHtml(assetUrl(ASSETS_PATH, name, ASSETS[name]));

const STYLE = `<style>
  .howto{max-width:1460px;margin:0 auto;padding:.75rem 20px 0;font-size:.92rem;line-height:1.45}
  .howto summary{cursor:pointer;font-weight:600}
  .howto code{background:#f1f5f9;padding:0 .25rem;border-radius:3px}
  .swagger-ui .information-container{padding-top:0}
</style>`;

function howTo(config: ServerConfig): string {
  return `<section class="howto"><details open><summary>Sending requests from this page</summary><ol>
<li>The application id <code>${escapeHtml(config.appId)}</code> is already filled in (see <b>Authorize</b>).</li>
<li>The CRM classes answer only to a signed-in user. Open <b>POST /login</b> under <i>Users and sessions</i>, enter a username and password and press <b>Execute</b>: the session token from the answer is filled in for you.</li>
<li>Have a token already (from the app, the SDK's <code>Parse.User.current().getSessionToken()</code> or <code>curl …/login</code>)? Click <b>Authorize</b>, paste it into <b>SessionToken</b> and press <b>Authorize</b>.</li>
<li>Tokens and keys are forgotten when the page reloads. The master key works only from the addresses in <code>MASTER_KEY_IPS</code>.</li>
</ol></details></section>`;
}

export function playgroundHtml(config: ServerConfig, nav: readonly NavTarget[]): string {
  const head = [
    `<meta name="crm-app-id" content="${escapeHtml(config.appId)}">`,
    `<meta name="crm-openapi-url" content="${escapeHtml(`${config.mountPath}/openapi.json`)}">`,
    `<link rel="icon" type="image/png" href="${asset('favicon-32x32.png')}">`,
    `<link rel="stylesheet" href="${asset('swagger-ui.css')}">`,
    STYLE,
  ].join('\n');
  const body = `${howTo(config)}
<div id="swagger-ui"></div>
<script src="${asset('swagger-ui-bundle.js')}"></script>
<script src="${asset('playground.js')}"></script>`;
  return page({ title: 'CRM API playground', current: PLAYGROUND_PATH, nav, head, body });
}

export function registerPlayground(app: FastifyInstance, config: ServerConfig, nav: readonly NavTarget[]): void {
  const html = playgroundHtml(config, nav);
  app.get(PLAYGROUND_PATH, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(html),
  );
  registerAssets(app, ASSETS_PATH, ASSETS);
}
