/**
 * Reading a whole database out in Parse's export shape: every object in REST form, read through the object
 * service with the master auth (so nothing is encoded twice), plus the one internal column that must move
 * with its row — a user's bcrypt hash, without which nobody could log in after the move. Relations are read
 * back as the (owningId, relatedId) pairs of their join tables.
 */
import type { ParseObjectJson } from '../codec/row-codec.js';
import type { Expr } from '../query/ast.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { MASTER } from '../security/auth.js';
import type { StorageAdapter } from '../storage/adapter.js';
import type { RelationPair } from './import-service.js';
import type { ObjectService } from './object-service.js';

const DEFAULT_PAGE = 1000;
/** Sessions are bound to the install that issued them (only a hash of each token is kept): never exported. */
const NOT_EXPORTED = new Set(['_Session']);

const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });

export class ExportService {
  constructor(
    private readonly objects: ObjectService,
    private readonly storage: StorageAdapter,
    private readonly registry: SchemaRegistry,
  ) {}

  classes(): CompiledClass[] {
    return this.registry.all().filter((c) => !NOT_EXPORTED.has(c.className));
  }

  async count(className: string): Promise<number> {
    const { count } = await this.objects.find(MASTER, className, { count: 1, limit: 0 });
    return count ?? 0;
  }

  /** Pages in objectId order (keyset paging: each page costs the same however deep the export is). */
  async *pages(className: string, pageSize = DEFAULT_PAGE): AsyncGenerator<ParseObjectJson[]> {
    let after: string | undefined;
    for (;;) {
      const where = after ? { objectId: { $gt: after } } : {};
      const { results } = await this.objects.find(MASTER, className, { where, order: 'objectId', limit: pageSize });
      if (results.length === 0) return;
      for (const object of results) {
        // Relation descriptors are not data: the pairs travel in the _Join files.
        for (const [key, value] of Object.entries(object))
          if ((value as { __type?: unknown } | null)?.__type === 'Relation') delete object[key];
      }
      if (className === '_User') await this.addPasswordHashes(results);
      yield results;
      if (results.length < pageSize) return;
      after = String(results[results.length - 1].objectId);
    }
  }

  async *relationPairs(className: string, field: string, pageSize = DEFAULT_PAGE): AsyncGenerator<RelationPair[]> {
    const target = this.registry.get(className)?.fields.get(field)?.targetClass;
    if (!target) return;
    for await (const owners of this.pages(className, pageSize)) {
      for (const owner of owners) {
        const owningId = String(owner.objectId);
        let after: string | undefined;
        for (;;) {
          const where: Record<string, unknown> = { $relatedTo: { object: pointer(className, owningId), key: field } };
          if (after) where.objectId = { $gt: after };
          const { results } = await this.objects.find(MASTER, target, {
            where,
            keys: 'objectId',
            order: 'objectId',
            limit: pageSize,
          });
          if (results.length) yield results.map((r) => ({ owningId, relatedId: String(r.objectId) }));
          if (results.length < pageSize) break;
          after = String(results[results.length - 1].objectId);
        }
      }
    }
  }

  private async addPasswordHashes(users: ParseObjectJson[]): Promise<void> {
    const cls = this.registry.get('_User')!;
    const where: Expr = {
      kind: 'in',
      ref: { field: 'objectId', type: 'String', path: [] },
      values: users.map((u) => String(u.objectId)),
      negate: false,
    };
    const rows = await this.storage.find({ cls, where, order: [], limit: users.length, skip: 0, columns: ['_hashed_password'] });
    const hashes = new Map(rows.map((r) => [String(r.objectId), r._hashed_password]));
    for (const user of users) {
      const hash = hashes.get(String(user.objectId));
      if (typeof hash === 'string') user._hashed_password = hash;
    }
  }
}
