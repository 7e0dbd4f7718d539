/**
 * One search box over contacts, companies and deals. Each class is searched by the storage adapter with the
 * caller's read filter from security/read-access.ts — the ReadContext REST finds use — so a hit is a row the
 * caller could also fetch through REST, and a row they cannot read takes no place in the ranking or the
 * limit. Fields hidden from the caller (protectedFields) are neither matched nor returned. Hits carry the
 * object as REST shapes it, encoded `{"__type":"Object",…}` so the SDK's Parse.Cloud.run decodes it.
 */
import { encodeRow, type ParseObjectJson } from '../codec/row-codec.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { Auth } from '../security/auth.js';
import { readContextFor } from '../security/read-access.js';
import type { ReadContext } from '../service/read-context.js';
import { projectionFor } from '../service/projection.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { scoreObject } from './rank.js';
import { SEARCHABLE_CLASSES, searchableClass, type SearchableClass } from './search-fields.js';
import { parseSearchParams, type SearchRequest } from './search-params.js';

export interface SearchHit {
  className: string;
  objectId: string;
  title: string;
  subtitle?: string;
  /** Relevance from the hit's visible fields; higher first. */
  score: number;
  object: ParseObjectJson;
}

interface RankedHit extends SearchHit {
  /** Position in its class's storage ranking, the tie-breaker. */
  position: number;
  classOrder: number;
}

export class SearchService {
  /** Compiled classes whose index was checked; a schema change compiles a new one, which is checked again. */
  private readonly ensured = new WeakSet<CompiledClass>();

  constructor(
    private readonly storage: StorageAdapter,
    private readonly schema: SchemaRegistry,
  ) {}

  /** At start: every searchable class gets its index, built from the rows already there when it is new. */
  async ensureIndexes(): Promise<void> {
    for (const searchable of SEARCHABLE_CLASSES) {
      const cls = this.schema.get(searchable.className);
      if (cls) await this.ensure(cls, searchable);
    }
  }

  async search(auth: Auth, params: Record<string, unknown>): Promise<SearchHit[]> {
    const request = parseSearchParams(params);
    if (request.terms.length === 0) return [];
    const ctx = readContextFor(auth, this.storage, this.schema, 'find');
    const hits: RankedHit[] = [];
    for (const [classOrder, className] of request.classes.entries()) {
      hits.push(...(await this.searchClass(ctx, searchableClass(className)!, request, classOrder)));
    }
    hits.sort(
      (a, b) =>
        b.score - a.score ||
        a.position - b.position ||
        a.classOrder - b.classOrder ||
        (a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0),
    );
    return hits.slice(0, request.limit).map(({ position: _p, classOrder: _c, ...hit }) => hit);
  }

  private async searchClass(
    ctx: ReadContext,
    searchable: SearchableClass,
    request: SearchRequest,
    classOrder: number,
  ): Promise<RankedHit[]> {
    const cls = this.schema.get(searchable.className);
    // A class the caller may not find is left out, as it would be from a REST find's answer.
    if (!cls || !ctx.canReadClass(cls)) return [];
    await this.ensure(cls, searchable);
    const hidden = new Set(ctx.hiddenFields(cls));
    const fields = searchable.fields.filter((f) => !hidden.has(f.field) && cls.fields.get(f.field)?.type === 'String');
    if (fields.length === 0) return [];
    const projection = projectionFor(cls, undefined, undefined, []);
    const rows = await this.storage.search({
      cls,
      fields: fields.map((f) => f.field),
      terms: request.terms,
      where: ctx.readFilter(cls),
      columns: projection.columns,
      limit: request.limit,
    });
    return rows.map((row, position) => {
      const object = ctx.present(cls, encodeRow(cls, row, projection.relations));
      return {
        className: cls.className,
        objectId: String(object.objectId),
        title: text(object[searchable.titleField]) ?? '',
        subtitle: searchable.subtitleFields.map((f) => text(object[f])).find((s) => s !== undefined),
        score: scoreObject(object, fields, request.terms),
        object: { __type: 'Object', className: cls.className, ...object },
        position,
        classOrder,
      };
    });
  }

  private async ensure(cls: CompiledClass, searchable: SearchableClass): Promise<void> {
    if (this.ensured.has(cls)) return;
    await this.storage.ensureSearchIndex(cls, searchable.fields);
    this.ensured.add(cls);
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
