/**
 * `distinct` and aggregation pipelines, compiled to SQL (storage/sql/compile-aggregate.ts). Master key only,
 * as in Parse: the pipeline can reshape data past any per-object rule.
 */
import { ErrorCode, ParseError, invalidJson } from '../errors/parse-error.js';
import { parseWhere } from '../query/parse-where.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { assertClassName } from '../schema/validate-schema.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { compileDistinct, compilePipeline } from '../storage/sql/compile-aggregate.js';

const ACCEPTED = new Set(['distinct', 'pipeline', 'where', 'hint', 'explain', 'readPreference']);

function jsonParam(name: string, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidJson(`Invalid JSON in ${name} parameter`);
  }
}

export class AggregateService {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly schema: SchemaRegistry,
  ) {}

  async run(className: string, raw: Record<string, unknown>): Promise<{ results: unknown[] }> {
    assertClassName(className);
    for (const key of Object.keys(raw)) {
      if (!ACCEPTED.has(key)) throw new ParseError(ErrorCode.INVALID_QUERY, `Invalid parameter for query: ${key}`);
    }
    const cls = this.schema.get(className);
    if (!cls) return { results: [] };
    const ctx = { dialect: this.storage.dialect, table: className, schema: this.schema };
    if (raw.distinct !== undefined) {
      if (typeof raw.distinct !== 'string') throw new ParseError(ErrorCode.INVALID_QUERY, 'distinct must be a field name');
      const where = parseWhere(jsonParam('where', raw.where) ?? {}, cls, this.schema);
      const compiled = compileDistinct(raw.distinct, where, cls, ctx);
      const rows = await this.storage.query(compiled.fragment);
      return { results: compiled.decode(rows) };
    }
    const pipeline = jsonParam('pipeline', raw.pipeline);
    const compiled = compilePipeline(pipeline, cls, this.schema, ctx);
    const rows = await this.storage.query(compiled.fragment);
    return { results: rows.map((row) => compiled.decode(row)) };
  }
}
