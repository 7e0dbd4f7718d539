/**
 * PostgreSQL storage (selected when DATABASE_URL is set), with the SQLite adapter's semantics. Outside a
 * transaction each call takes a pooled connection; a transaction holds one connection from BEGIN to
 * COMMIT/ROLLBACK and its StorageTx runs only on it. Migrations are serialized across instances by an
 * advisory lock (migration-lock.ts), and every class table lives in the configured PostgreSQL schema,
 * which each connection has as its search_path.
 */
import type { Pool } from 'pg';
import type { FindSpec, RelationChange, Row, SearchField, SearchSpec, StorageAdapter, StorageTx } from '../adapter.js';
import { TRUE, type Expr } from '../../query/ast.js';
import { compileClass, joinTableName, type CompiledClass, type SchemaLookup } from '../../schema/compiled.js';
import type { ClassSchema } from '../../schema/types.js';
import { sql, type SqlFragment } from '../sql/fragment.js';
import * as ddl from '../sql/ddl.js';
import * as dml from '../sql/dml.js';
import { planSchemaChange } from '../sql/schema-diff.js';
import * as searchIndex from '../sql/search-index.js';
import * as pgSearch from './pg-search.js';
import { Executor } from './executor.js';
import { TransactionExecutor } from './transaction-executor.js';
import * as idempotency from './idempotency.js';
import { migrationLock } from './migration-lock.js';
import { createSchema, readPermissionIndex, schemaExists } from './pg-ddl.js';
import { planIndexRepair, selectIndexDefinitions } from './index-repair.js';
import { openPool } from './pg-pool.js';
import { toPgValues } from './pg-values.js';
import * as schemaTable from './schema-table.js';
import { StatementNames } from './statement-names.js';

export interface PostgresOptions {
  connectionString: string;
  /** PostgreSQL schema holding every table; created by init() when missing. */
  schemaName?: string;
  poolSize?: number;
}

const DEFAULT_POOL_SIZE = 10;
/** Expired request ids are swept at most this often per instance; until then, claims take them over. */
const PURGE_INTERVAL_MS = 60_000;

export class PostgresAdapter implements StorageAdapter {
  readonly dialect = 'postgres' as const;
  private readonly schemaName: string;
  private readonly pool: Pool;
  private readonly names = new StatementNames();
  private readonly pooled: Executor;
  private ctx: dml.DmlContext = { dialect: 'postgres', schema: { get: () => undefined } };
  private lastPurge = 0;
  private purging: Promise<unknown> | null = null;
  private closed = false;
  /** Full-text indexes by class, as this instance last read `_SearchIndex` (see ensureSearchIndex). */
  private readonly searchIndexes = new Map<string, SearchField[]>();

  constructor(options: PostgresOptions) {
    this.schemaName = options.schemaName ?? 'public';
    this.pool = openPool({
      connectionString: options.connectionString,
      schemaName: this.schemaName,
      poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
    });
    this.pooled = new Executor(this.pool, this.names, false);
  }

  useSchema(schema: SchemaLookup): void {
    this.ctx = { dialect: 'postgres', schema };
  }

  async init(): Promise<void> {
    await this.migrate(async (exec) => {
      // Checked first: CREATE SCHEMA IF NOT EXISTS still demands the CREATE privilege on the database.
      if (!(await exec.rows(schemaExists(this.schemaName))).length) await exec.ddl(createSchema(this.schemaName));
      await exec.ddl(schemaTable.createSchemaTable);
      await exec.ddl(idempotency.createIdempotencyTable);
      await exec.ddl(idempotency.createExpiryIndex);
      await exec.ddl(searchIndex.createSearchIndexTable);
      const schemas = (await exec.rows(schemaTable.selectAllSchemas)).map((r) => JSON.parse(r.schema as string) as ClassSchema);
      const existing = new Map(
        (await exec.rows(selectIndexDefinitions(this.schemaName))).map((r) => [r.indexname as string, r.indexdef as string]),
      );
      for (const step of planIndexRepair(schemas, existing)) await exec.ddl(step);
    });
    for (const row of await this.pooled.rows(searchIndex.selectSearchIndexes)) {
      this.searchIndexes.set(String(row.className), searchIndex.decodeSearchFields(row)!);
    }
  }

  async loadSchemas(): Promise<ClassSchema[]> {
    const rows = await this.pooled.rows(schemaTable.selectAllSchemas);
    return rows.map((r) => JSON.parse(r.schema as string) as ClassSchema);
  }

  /**
   * Diffs against the definition stored in `_SCHEMA`, read under the migration lock, rather than the
   * caller's `previous`: a second instance replaying the same change, or a caller holding a stale schema,
   * then finds nothing to do instead of failing on a column that already exists.
   */
  async saveSchema(_previous: ClassSchema | undefined, next: ClassSchema): Promise<void> {
    const droppedColumns = await this.migrate(async (exec) => {
      const [row] = await exec.rows(schemaTable.selectSchema(next.className));
      const stored = row ? (JSON.parse(row.schema as string) as ClassSchema) : undefined;
      if (stored && JSON.stringify(stored) === JSON.stringify(next)) return false;
      const drops = stored !== undefined && dropsColumns(stored, next);
      // The generated search column reads its fields; PostgreSQL refuses to drop a column it depends on.
      const indexed = drops ? await this.storedSearchIndex(exec, next.className) : undefined;
      const kept = indexed && searchIndex.indexableFields(compileClass(next), indexed);
      const rebuild = kept && !searchIndex.sameSearchFields(indexed, kept);
      if (rebuild) await exec.ddl(pgSearch.dropSearchColumn(next.className));
      for (const step of planSchemaChange(stored, next, 'postgres')) await exec.ddl(step);
      if (!stored) await exec.ddl(readPermissionIndex(next.className));
      if (rebuild) await this.writeSearchIndex(exec, next.className, kept);
      await exec.changes(schemaTable.upsertSchema(next));
      return drops;
    });
    // A column dropped now may come back with another type, which prepared SELECTs of it cannot survive.
    if (droppedColumns) {
      this.names.invalidate();
      this.searchIndexes.delete(next.className);
    }
  }

  async deleteClass(className: string, relationFields: readonly string[]): Promise<void> {
    await this.migrate(async (exec) => {
      await exec.ddl(ddl.dropTable(className));
      for (const field of relationFields) await exec.ddl(ddl.dropTable(joinTableName(className, field)));
      await exec.changes(schemaTable.deleteSchema(className));
      await exec.changes(searchIndex.deleteSearchIndex(className));
    });
    this.searchIndexes.delete(className);
    this.names.invalidate();
  }

  /**
   * Cheap when this instance already knows the index matches. Otherwise, under the migration lock, the
   * recorded field list decides: another instance may have built it already.
   */
  async ensureSearchIndex(cls: CompiledClass, fields: readonly SearchField[]): Promise<void> {
    const wanted = searchIndex.indexableFields(cls, fields);
    if (searchIndex.sameSearchFields(this.searchIndexes.get(cls.className), wanted)) return;
    await this.migrate(async (exec) => {
      const stored = await this.storedSearchIndex(exec, cls.className);
      if (searchIndex.sameSearchFields(stored, wanted)) return;
      if (stored) await exec.ddl(pgSearch.dropSearchColumn(cls.className));
      await this.writeSearchIndex(exec, cls.className, wanted);
    });
    if (wanted.length) this.searchIndexes.set(cls.className, wanted);
    else this.searchIndexes.delete(cls.className);
    this.names.invalidate();
  }

  /**
   * An instance that has not seen the index yet (built by another instance, or re-made by a schema change)
   * reads `_SearchIndex` once more before answering.
   */
  async search(spec: SearchSpec): Promise<Row[]> {
    const className = spec.cls.className;
    if (!this.searchIndexes.has(className)) {
      const stored = await this.storedSearchIndex(this.pooled, className);
      if (stored) this.searchIndexes.set(className, stored);
    }
    const indexed = this.searchIndexes.get(className);
    if (!indexed || spec.terms.length === 0 || !indexed.some((f) => spec.fields.includes(f.field))) return [];
    return this.pooled.rows(pgSearch.searchRows(spec, indexed, this.ctx.schema));
  }

  private async storedSearchIndex(exec: Executor, className: string): Promise<SearchField[] | undefined> {
    return searchIndex.decodeSearchFields((await exec.rows(searchIndex.selectSearchIndex(className)))[0]);
  }

  /** Adds the generated column over `fields` (the old one already dropped) and records it; none → no index. */
  private async writeSearchIndex(exec: Executor, className: string, fields: readonly SearchField[]): Promise<void> {
    if (fields.length === 0) {
      await exec.changes(searchIndex.deleteSearchIndex(className));
      return;
    }
    await exec.ddl(pgSearch.addSearchColumn(className, fields));
    await exec.ddl(pgSearch.searchColumnIndex(className));
    await exec.changes(searchIndex.upsertSearchIndex(className, fields));
  }

  async transaction<T>(work: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.withTransaction((exec) => work(this.boundTx(exec)));
  }

  find(spec: FindSpec): Promise<Row[]> {
    return this.findOn(this.pooled, spec);
  }

  count(cls: CompiledClass, where: Expr): Promise<number> {
    return this.countOn(this.pooled, cls, where);
  }

  insert(cls: CompiledClass, row: Row): Promise<void> {
    return this.insertOn(this.pooled, cls, row);
  }

  update(cls: CompiledClass, objectId: string, where: Expr, values: Row): Promise<boolean> {
    return this.updateOn(this.pooled, cls, objectId, where, values);
  }

  updateLocked(cls: CompiledClass, objectId: string, values: Row): Promise<void> {
    return this.updateLockedOn(this.pooled, cls, objectId, values);
  }

  append(fragment: SqlFragment): Promise<void> {
    return this.pooled.effect(fragment);
  }

  /** With relation fields the delete is several statements, which must not half-happen. */
  delete(cls: CompiledClass, objectId: string, where: Expr): Promise<boolean> {
    if (cls.relationFields.length === 0) return this.deleteOn(this.pooled, cls, objectId, where);
    return this.withTransaction((exec) => this.deleteOn(exec, cls, objectId, where));
  }

  changeRelations(cls: CompiledClass, objectId: string, changes: RelationChange[]): Promise<void> {
    const statements = changes.reduce((n, c) => n + c.add.length + c.remove.length, 0);
    if (statements <= 1) return this.changeRelationsOn(this.pooled, cls, objectId, changes);
    return this.withTransaction((exec) => this.changeRelationsOn(exec, cls, objectId, changes));
  }

  query(fragment: SqlFragment): Promise<Row[]> {
    return this.pooled.rows(fragment);
  }

  claimRequestId(requestId: string, ttlMs: number): Promise<boolean> {
    return this.claimOn(this.pooled, requestId, ttlMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.purging;
    await this.pool.end();
  }

  private boundTx(exec: Executor): StorageTx {
    return {
      find: (spec) => this.findOn(exec, spec),
      count: (cls, where) => this.countOn(exec, cls, where),
      insert: (cls, row) => this.insertOn(exec, cls, row),
      update: (cls, id, where, values) => this.updateOn(exec, cls, id, where, values),
      updateLocked: (cls, id, values) => this.updateLockedOn(exec, cls, id, values),
      append: (fragment) => exec.effect(fragment),
      delete: (cls, id, where) => this.deleteOn(exec, cls, id, where),
      changeRelations: (cls, id, changes) => this.changeRelationsOn(exec, cls, id, changes),
      query: (fragment) => exec.rows(fragment),
      claimRequestId: (id, ttl) => this.claimOn(exec, id, ttl),
    };
  }

  /** One pooled connection (see TransactionExecutor for when BEGIN and the writes go out); any failure rolls back. */
  private async withTransaction<T>(work: (exec: Executor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const exec = new TransactionExecutor(client, this.names);
    let broken: Error | undefined;
    try {
      const result = await work(exec);
      await exec.commit();
      return result;
    } catch (error) {
      try {
        await exec.rollback();
      } catch (rollbackError) {
        // The connection itself failed; it must not go back to the pool.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      exec.end();
      client.release(broken);
    }
  }

  private migrate<T>(work: (exec: Executor) => Promise<T>): Promise<T> {
    return this.withTransaction(async (exec) => {
      await exec.rows(migrationLock(this.schemaName));
      return work(exec);
    });
  }

  /**
   * A write reads its row with forUpdate, applies its operations (Increment, AddUnique, …) in code and writes
   * it back; SQLite runs one transaction at a time, and the row lock gives PostgreSQL the same outcome for two
   * writes to one row instead of a lost update.
   */
  private findOn(exec: Executor, spec: FindSpec): Promise<Row[]> {
    const select = dml.selectRows(spec, this.ctx);
    return exec.rows(exec.inTransaction && spec.forUpdate ? sql`${select} FOR UPDATE` : select);
  }

  private async countOn(exec: Executor, cls: CompiledClass, where: Expr): Promise<number> {
    const [row] = await exec.rows(dml.countRows(cls, where, this.ctx));
    return Number(row?.count ?? 0);
  }

  private insertOn(exec: Executor, cls: CompiledClass, row: Row): Promise<void> {
    return exec.effect(dml.insertRow(cls.className, toPgValues(cls, row)));
  }

  private updateLockedOn(exec: Executor, cls: CompiledClass, objectId: string, values: Row): Promise<void> {
    return exec.effect(dml.updateRow(cls, objectId, TRUE, toPgValues(cls, values), this.ctx));
  }

  private async updateOn(exec: Executor, cls: CompiledClass, objectId: string, where: Expr, values: Row): Promise<boolean> {
    return (await exec.changes(dml.updateRow(cls, objectId, where, toPgValues(cls, values), this.ctx))) > 0;
  }

  private async deleteOn(exec: Executor, cls: CompiledClass, objectId: string, where: Expr): Promise<boolean> {
    const deleted = (await exec.changes(dml.deleteRow(cls, objectId, where, this.ctx))) > 0;
    if (deleted) {
      for (const field of cls.relationFields)
        await exec.changes(dml.deleteRelationsOf(joinTableName(cls.className, field), objectId));
    }
    return deleted;
  }

  private async changeRelationsOn(
    exec: Executor,
    cls: CompiledClass,
    objectId: string,
    changes: RelationChange[],
  ): Promise<void> {
    for (const change of changes) {
      const table = joinTableName(cls.className, change.field);
      for (const relatedId of change.add) await exec.changes(dml.addRelation(table, objectId, relatedId));
      for (const relatedId of change.remove) await exec.changes(dml.removeRelation(table, objectId, relatedId));
    }
  }

  private async claimOn(exec: Executor, requestId: string, ttlMs: number): Promise<boolean> {
    const claimed = (await exec.changes(idempotency.claim(requestId, ttlMs))) > 0;
    this.purgeExpiredClaims();
    return claimed;
  }

  /** Off the caller's path and connection: a failed sweep only leaves expired rows for the next one. */
  private purgeExpiredClaims(): void {
    const now = Date.now();
    if (this.closed || this.purging || now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    this.purging = this.pooled
      .changes(idempotency.purgeExpired)
      .catch(() => undefined)
      .finally(() => {
        this.purging = null;
      });
  }
}

function dropsColumns(previous: ClassSchema, next: ClassSchema): boolean {
  const nextFields = compileClass(next).fields;
  return compileClass(previous).columnFields.some((field) => !nextFields.has(field));
}
