/** What other modules use: the server mounts registerDocs; the CLI (`crm schema docs`) prints the pure renderers. */
export { registerDocs } from './register-docs.js';
export { schemaToMermaid } from './mermaid.js';
export { schemaToMarkdown } from './markdown.js';
export { buildOpenApi, type OpenApiOptions } from './openapi.js';
export type { DocClass } from './documented-class.js';
