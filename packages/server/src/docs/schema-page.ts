/**
 * `GET /docs/schema`: the live schema for people — the ER diagram (drawn in the browser by the bundled
 * mermaid) and the data dictionary — and `GET /docs/schema.md`, the same as one Markdown file. Built per
 * request: it is cheap, and a Schema API change shows on the next load.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/services.js';
import { assetUrl, packageFile, registerAssets, textAsset, type Asset } from './assets.js';
import { classDescription, dictionaryRows, inReadingOrder, type DocClass } from './documented-class.js';
import { escapeHtml, page, type NavTarget } from './html.js';
import { schemaToMarkdown } from './markdown.js';
import { schemaToMermaid } from './mermaid.js';
import { SCHEMA_SCRIPT } from './schema-script.js';

export const SCHEMA_PATH = '/docs/schema';
const ASSETS_PATH = '/docs/assets';

const ASSETS: Readonly<Record<string, Asset>> = {
  'mermaid.min.js': { type: 'text/javascript; charset=utf-8', ...packageFile('mermaid', 'dist/mermaid.min.js') },
  'schema.js': textAsset('text/javascript; charset=utf-8', SCHEMA_SCRIPT),
};

const asset = (name: string) => escapeHtml(assetUrl(ASSETS_PATH, name, ASSETS[name]));

const STYLE = `<style>
  main{max-width:1100px;margin:0 auto;padding:1rem 1.25rem 3rem;line-height:1.45}
  h1{margin:.5rem 0 .25rem}
  h2{margin-top:2rem;border-bottom:1px solid #e2e8f0;padding-bottom:.25rem}
  h3{margin:1.75rem 0 .25rem}
  .toc{display:flex;flex-wrap:wrap;gap:.4rem .9rem;padding:0;list-style:none}
  .diagram-frame{overflow-x:auto;border:1px solid #e2e8f0;border-radius:6px;padding:1rem;background:#fafafa}
  .er-diagram{margin:0}
  .er-error{color:#b91c1c}
  table{border-collapse:collapse;width:100%;font-size:.92rem}
  th,td{border:1px solid #e2e8f0;padding:.35rem .55rem;text-align:left;vertical-align:top}
  th{background:#f1f5f9}
  td code{white-space:nowrap}
  .count{color:#64748b;font-size:.85rem;margin:.3rem 0 0}
</style>`;

const anchor = (className: string) => `class-${className}`;

function dictionarySection(cls: DocClass): string {
  const rows = dictionaryRows(cls)
    .map(
      (r) =>
        `<tr><td><code>${escapeHtml(r.field)}</code></td><td><code>${escapeHtml(r.type)}</code></td><td>${escapeHtml(r.description)}</td><td>${r.required}</td></tr>`,
    )
    .join('\n');
  const intro = classDescription(cls.className);
  return `<section id="${escapeHtml(anchor(cls.className))}">
<h3>${escapeHtml(cls.className)}</h3>
${intro ? `<p>${escapeHtml(intro)}</p>` : ''}
<table><thead><tr><th>Field</th><th>Type</th><th>Description</th><th>Required</th></tr></thead><tbody>
${rows}
</tbody></table>
<p class="count">${dictionaryRows(cls).length} fields in ${escapeHtml(cls.className)}</p>
</section>`;
}

export function schemaHtml(classes: readonly DocClass[], nav: readonly NavTarget[]): string {
  const ordered = inReadingOrder(classes);
  const toc = ordered
    .map((c) => `<li><a href="#${escapeHtml(anchor(c.className))}">${escapeHtml(c.className)}</a></li>`)
    .join('');
  const body = `<main>
<h1>Data model</h1>
<p>${ordered.length} classes, from the live schema. <a href="${SCHEMA_PATH}.md">Download as Markdown</a></p>
<h2>ER diagram</h2>
<div class="diagram-frame"><pre class="er-diagram">${escapeHtml(schemaToMermaid(ordered))}</pre></div>
<h2>Data dictionary</h2>
<ul class="toc">${toc}</ul>
${ordered.map(dictionarySection).join('\n')}
</main>
<script src="${asset('mermaid.min.js')}"></script>
<script src="${asset('schema.js')}"></script>`;
  return page({ title: 'CRM data model', current: SCHEMA_PATH, nav, head: STYLE, body });
}

export function registerSchemaDocs(app: FastifyInstance, services: Services, nav: readonly NavTarget[]): void {
  const classes = () => services.schema.all().map((c) => c.schema);
  app.get(SCHEMA_PATH, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(schemaHtml(classes(), nav)),
  );
  app.get(`${SCHEMA_PATH}.md`, async (_request, reply) =>
    reply.type('text/markdown; charset=utf-8').header('Cache-Control', 'no-cache').send(schemaToMarkdown(classes())),
  );
  registerAssets(app, ASSETS_PATH, ASSETS);
}
