/**
 * Embedded storage on better-sqlite3. The driver is synchronous and the connection is one, so a write's
 * statements must not interleave with other requests' statements: while one write runs, every other operation
 * waits for it (see `gate`). Writes share commits (see CommitGroup): reads wait until the writes before them
 * committed, so no reader ever sees data that is not yet durable.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FindSpec, RelationChange, Row, SearchField, SearchSpec, StorageAdapter, StorageTx } from '../adapter.js';
import { TRUE, type Expr } from '../../query/ast.js';
import type { CompiledClass, SchemaLookup } from '../../schema/compiled.js';
import { compileClass, joinTableName } from '../../schema/compiled.js';
import type { ClassSchema } from '../../schema/types.js';
import { render, type SqlFragment } from '../sql/fragment.js';
import { ErrorCode, ParseError } from '../../errors/parse-error.js';
import { registerRegexp } from './regexp.js';
import { encodePermissionList } from '../sql/permission-list.js';
import * as ddl from '../sql/ddl.js';
import * as dml from '../sql/dml.js';
import { planSchemaChange } from '../sql/schema-diff.js';
import * as searchIndex from '../sql/search-index.js';
import * as fts from './sqlite-search.js';
import { CommitGroup } from './commit-group.js';
import { Checkpointer, RESTART_FRAMES, type CheckpointerOptions } from './checkpointer.js';

type Statement = Database.Statement<unknown[], Row>;
/**
 * SQLite's default (1,000 pages) checkpointed a CRM write load every ~250 commits, copying the same hot pages
 * each time; 10,000 (~40 MB of WAL) halved the cost of a commit (docs/PERFORMANCE.md).
 */
const FALLBACK_CHECKPOINT_PAGES = 10_000;
type ControlStatement = 'BEGIN IMMEDIATE' | 'COMMIT' | 'ROLLBACK' | 'SAVEPOINT w' | 'RELEASE w' | 'ROLLBACK TO w';

export interface SqliteOptions {
  /** Directory holding crm.sqlite, or ':memory:'. */
  dataDir: string;
  /** The checkpoint worker's timing (tests shorten it). */
  checkpoints?: CheckpointerOptions;
}

export class SqliteAdapter implements StorageAdapter {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  /**
   * INSERT statements by class and column list: a create skips building, rendering and hashing the statement
   * text (a few µs of a write that costs ~25 µs in SQLite itself).
   */
  private readonly inserts = new Map<string, Statement>();
  /**
   * Resolves when the running write ends; null when none runs. Every operation waits with
   * `while (this.gate) await this.gate;` (or `pending()`) written inline, so the last check and the statements
   * (or a write's claim of the gate) run in one synchronous stretch: behind a helper's `await`, two waiters
   * woken by the same gate could both pass it, and one write's statements would land in the other's savepoint.
   */
  private gate: Promise<void> | null = null;
  /** The open outer transaction writes join, committed on the next turn of the event loop; null when none. */
  private group: CommitGroup | null = null;
  private readonly checkpointer: Checkpointer | null = null;
  /** Searchable classes the open group inserted into: their new rows are indexed just before its COMMIT. */
  private readonly unindexed = new Set<string>();
  /** Set by the checkpointer: copy the log's last pages after the next commit, so the next group rewinds it. */
  private logLong = false;
  private ctx: dml.DmlContext = { dialect: 'sqlite', schema: { get: () => undefined } };
  /** Full-text indexes by class, as recorded in `_SearchIndex`. */
  private readonly searchIndexes = new Map<string, SearchField[]>();

  constructor(options: SqliteOptions) {
    let file = ':memory:';
    if (options.dataDir !== ':memory:') {
      mkdirSync(options.dataDir, { recursive: true });
      file = path.join(options.dataDir, 'crm.sqlite');
    }
    this.db = new Database(file);
    // busy_timeout first: the other pragmas may need the lock another process holds.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    // Each write runs in a savepoint (CommitGroup), whose undo copies of pages go to a statement journal: in
    // memory they cost ~5 µs less per write than in a temporary file, and they never need to survive a crash.
    this.db.pragma('temp_store = MEMORY');
    if (file !== ':memory:') {
      // Checkpoints run on a worker (see Checkpointer); should it die, the connection checkpoints itself again.
      this.db.pragma('wal_autocheckpoint = 0');
      // A rewound log is cut back to this size; it would otherwise keep the disk space of its longest run.
      const pageSize = this.db.pragma('page_size', { simple: true }) as number;
      this.db.pragma(`journal_size_limit = ${(options.checkpoints?.restartFrames ?? RESTART_FRAMES) * pageSize}`);
      this.checkpointer = new Checkpointer(
        file,
        {
          onFailure: () => this.db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`),
          onLogLong: () => (this.logLong = true),
        },
        options.checkpoints,
      );
    }
    registerRegexp(this.db);
  }

  useSchema(schema: SchemaLookup): void {
    this.ctx = { dialect: 'sqlite', schema };
  }

  async init(): Promise<void> {
    this.db.exec(`CREATE TABLE IF NOT EXISTS "_SCHEMA" ("className" TEXT PRIMARY KEY NOT NULL, "schema" TEXT NOT NULL)`);
    this.db.exec(`CREATE TABLE IF NOT EXISTS "_Idempotency" ("reqId" TEXT PRIMARY KEY NOT NULL, "expiresAt" INTEGER NOT NULL)`);
    this.exec(searchIndex.createSearchIndexTable);
    for (const row of this.all(searchIndex.selectSearchIndexes)) {
      this.searchIndexes.set(String(row.className), searchIndex.decodeSearchFields(row)!);
    }
    // Triggers as this version writes them (a database made by an older one indexed in the trigger), and the
    // rows another process noted but did not index yet.
    this.db.transaction(() => {
      for (const [className, fields] of this.searchIndexes) {
        for (const step of fts.dropTriggers(className)) this.exec(step);
        this.exec(fts.createPendingTable(className));
        for (const step of fts.createTriggers(className, fields)) this.exec(step);
        for (const step of fts.indexPending(className, fields)) this.run(step);
      }
    })();
  }

  async loadSchemas(): Promise<ClassSchema[]> {
    const rows = this.db.prepare(`SELECT "schema" FROM "_SCHEMA"`).all() as Array<{ schema: string }>;
    return rows.map((r) => JSON.parse(r.schema) as ClassSchema);
  }

  async saveSchema(previous: ClassSchema | undefined, next: ClassSchema): Promise<void> {
    for (let p = this.pending(); p; p = this.pending()) await p;
    const steps = planSchemaChange(previous, next, 'sqlite');
    const indexed = this.searchIndexes.get(next.className);
    const keptIndex = indexed && searchIndex.indexableFields(compileClass(next), indexed);
    this.db.transaction(() => {
      // The search triggers name their columns; SQLite refuses to drop a column a trigger uses.
      if (indexed) for (const step of fts.dropTriggers(next.className)) this.exec(step);
      for (const step of steps) this.exec(step);
      if (keptIndex) this.writeSearchIndex(next.className, indexed, keptIndex);
      this.db
        .prepare(
          `INSERT INTO "_SCHEMA" ("className", "schema") VALUES (?, ?) ON CONFLICT ("className") DO UPDATE SET "schema" = excluded."schema"`,
        )
        .run(next.className, JSON.stringify(next));
    })();
    if (keptIndex) this.rememberSearchIndex(next.className, keptIndex);
    this.forgetStatements();
  }

  async deleteClass(className: string, relationFields: readonly string[]): Promise<void> {
    for (let p = this.pending(); p; p = this.pending()) await p;
    this.db.transaction(() => {
      this.exec(ddl.dropTable(className));
      for (const field of relationFields) this.exec(ddl.dropTable(joinTableName(className, field)));
      this.db.prepare(`DELETE FROM "_SCHEMA" WHERE "className" = ?`).run(className);
      for (const step of fts.dropFtsTables(className)) this.exec(step);
      this.run(searchIndex.deleteSearchIndex(className));
    })();
    this.searchIndexes.delete(className);
    this.forgetStatements();
  }

  async ensureSearchIndex(cls: CompiledClass, fields: readonly SearchField[]): Promise<void> {
    const wanted = searchIndex.indexableFields(cls, fields);
    if (searchIndex.sameSearchFields(this.searchIndexes.get(cls.className), wanted)) return;
    for (let p = this.pending(); p; p = this.pending()) await p;
    this.db.transaction(() => {
      for (const step of fts.dropTriggers(cls.className)) this.exec(step);
      this.writeSearchIndex(cls.className, this.searchIndexes.get(cls.className), wanted);
    })();
    this.rememberSearchIndex(cls.className, wanted);
    this.forgetStatements();
  }

  async search(spec: SearchSpec): Promise<Row[]> {
    const indexed = this.searchIndexes.get(spec.cls.className);
    if (!indexed || spec.terms.length === 0 || !indexed.some((f) => spec.fields.includes(f.field))) return [];
    for (let p = this.pending(); p; p = this.pending()) await p;
    return this.all(fts.searchRows(spec, indexed, this.ctx.schema));
  }

  /**
   * Brings the FTS table, its triggers and `_SearchIndex` in line with `fields` (triggers already dropped);
   * runs inside the caller's transaction. A changed field list means a new FTS table filled from the rows.
   */
  private writeSearchIndex(className: string, current: SearchField[] | undefined, fields: SearchField[]): void {
    if (!searchIndex.sameSearchFields(current, fields)) {
      for (const step of fts.dropFtsTables(className)) this.exec(step);
      if (fields.length) {
        this.exec(fts.createFtsTable(className, fields));
        this.exec(fts.createPendingTable(className));
        for (const step of fts.rebuild(className)) this.exec(step);
      }
    }
    if (fields.length) {
      this.exec(fts.createPendingTable(className));
      for (const step of fts.createTriggers(className, fields)) this.exec(step);
      this.run(searchIndex.upsertSearchIndex(className, fields));
    } else {
      this.run(searchIndex.deleteSearchIndex(className));
    }
  }

  /** After the transaction committed: the in-memory copy follows `_SearchIndex`. */
  private rememberSearchIndex(className: string, fields: SearchField[]): void {
    if (fields.length) this.searchIndexes.set(className, fields);
    else this.searchIndexes.delete(className);
  }

  async transaction<T>(work: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.write(work);
  }

  async find(spec: FindSpec): Promise<Row[]> {
    for (let p = this.pending(); p; p = this.pending()) await p;
    return this.findNow(spec);
  }

  async count(cls: CompiledClass, where: Expr): Promise<number> {
    for (let p = this.pending(); p; p = this.pending()) await p;
    return this.countNow(cls, where);
  }

  async insert(cls: CompiledClass, row: Row): Promise<void> {
    return this.write(() => this.insertNow(cls, row));
  }

  async update(cls: CompiledClass, objectId: string, where: Expr, values: Row): Promise<boolean> {
    return this.write(() => this.updateNow(cls, objectId, where, values));
  }

  async updateLocked(cls: CompiledClass, objectId: string, values: Row): Promise<void> {
    await this.write(() => this.updateNow(cls, objectId, TRUE, values));
  }

  async append(fragment: SqlFragment): Promise<void> {
    await this.write(() => this.statementRows(fragment));
  }

  async delete(cls: CompiledClass, objectId: string, where: Expr): Promise<boolean> {
    return this.write(() => this.deleteNow(cls, objectId, where));
  }

  async changeRelations(cls: CompiledClass, objectId: string, changes: RelationChange[]): Promise<void> {
    return this.write(() => this.changeRelationsNow(cls, objectId, changes));
  }

  /** A statement that may write (an upsert of a feature's table) runs as a write; a plain read as a read. */
  async query(fragment: SqlFragment): Promise<Row[]> {
    const { text, params } = render(fragment, 'sqlite');
    const statement = this.prepare(text);
    if (!statement.reader) return this.write(() => this.runStatement(statement, params));
    for (let p = this.pending(); p; p = this.pending()) await p;
    return statement.all(...params);
  }

  async claimRequestId(requestId: string, ttlMs: number): Promise<boolean> {
    return this.write(() => this.claimNow(requestId, ttlMs));
  }

  async close(): Promise<void> {
    for (let p = this.pending(); p; p = this.pending()) await p;
    await this.checkpointer?.stop();
    this.db.close();
  }

  /**
   * A consistent copy of the live database in `file` (SQLite's online backup: readers and writers carry
   * on meanwhile). The copy opens as a data directory's crm.sqlite.
   */
  async backup(file: string): Promise<void> {
    for (let p = this.pending(); p; p = this.pending()) await p;
    await this.db.backup(file);
  }

  /** What a read or a schema change waits for: the running write, then the commit of the open group. */
  private pending(): Promise<void> | null {
    return this.gate ?? this.group?.ended ?? null;
  }

  /**
   * Runs `work` as one all-or-nothing write inside the open commit group (opening one if none is), and
   * answers once the group committed. A failed write rolls back to its savepoint; if SQLite ended the whole
   * transaction instead (a full disk), every write of the group fails with it.
   */
  private async write<T>(work: (tx: StorageTx) => Promise<T> | T): Promise<T> {
    while (this.gate) await this.gate;
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    let group: CommitGroup;
    let result: T;
    try {
      group = this.group ?? this.openGroup();
      this.prepareControl('SAVEPOINT w').run();
      try {
        result = await work(this.boundTx());
        this.prepareControl('RELEASE w').run();
      } catch (error) {
        this.undoWrite(group, error);
        throw error;
      }
    } finally {
      this.gate = null;
      release();
    }
    await group.committed;
    return result;
  }

  private openGroup(): CommitGroup {
    this.prepareControl('BEGIN IMMEDIATE').run();
    const group = new CommitGroup();
    this.group = group;
    // After this turn's I/O callbacks: every request read in the same turn has issued its write by then.
    setImmediate(() => void this.commitGroup(group));
    return group;
  }

  private undoWrite(group: CommitGroup, error: unknown): void {
    if (this.db.inTransaction) {
      this.prepareControl('ROLLBACK TO w').run();
      this.prepareControl('RELEASE w').run();
    } else if (this.group === group) {
      this.group = null;
      group.fail(error);
    }
  }

  private async commitGroup(group: CommitGroup): Promise<void> {
    while (this.gate) await this.gate;
    if (this.group !== group) return;
    this.group = null;
    try {
      this.indexNewRows();
      this.prepareControl('COMMIT').run();
      group.succeed();
    } catch (error) {
      if (this.db.inTransaction) this.prepareControl('ROLLBACK').run();
      group.fail(error);
    } finally {
      this.unindexed.clear();
    }
    if (this.logLong) this.copyLogRemainder();
  }

  /** Outside every write's savepoint, so FTS5 writes one segment for the whole group (see sqlite-search.ts). */
  private indexNewRows(): void {
    for (const className of this.unindexed) {
      const fields = this.searchIndexes.get(className);
      if (fields) for (const step of fts.indexPending(className, fields)) this.run(step);
    }
  }

  /** A few milliseconds of pages at most: the checkpointer copied the rest (see Checkpointer). */
  private copyLogRemainder(): void {
    this.logLong = false;
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Only the rewind waits for the next request from the checkpointer; the commit already succeeded.
    }
  }

  /** The operations of a running write: they skip the gate, which their own write holds. */
  private boundTx(): StorageTx {
    return {
      find: async (spec) => this.findNow(spec),
      count: async (cls, where) => this.countNow(cls, where),
      insert: async (cls, row) => this.insertNow(cls, row),
      update: async (cls, id, where, values) => this.updateNow(cls, id, where, values),
      updateLocked: async (cls, id, values) => void this.updateNow(cls, id, TRUE, values),
      append: async (fragment) => void this.statementRows(fragment),
      delete: async (cls, id, where) => this.deleteNow(cls, id, where),
      changeRelations: async (cls, id, changes) => this.changeRelationsNow(cls, id, changes),
      query: async (fragment) => this.statementRows(fragment),
      claimRequestId: async (id, ttl) => this.claimNow(id, ttl),
    };
  }

  /** better-sqlite3 refuses all() on a statement without results (an upsert): those run and answer []. */
  private statementRows(fragment: SqlFragment): Row[] {
    const { text, params } = render(fragment, 'sqlite');
    return this.runStatement(this.prepare(text), params);
  }

  private runStatement(statement: Statement, params: unknown[]): Row[] {
    if (statement.reader) return statement.all(...params);
    try {
      statement.run(...params);
    } catch (error) {
      throw translateError(error);
    }
    return [];
  }

  private findNow(spec: FindSpec): Row[] {
    return this.all(dml.selectRows(spec, this.ctx));
  }

  private countNow(cls: CompiledClass, where: Expr): number {
    const row = this.all(dml.countRows(cls, where, this.ctx))[0];
    return Number(row?.count ?? 0);
  }

  private insertNow(cls: CompiledClass, row: Row): void {
    const values = toSqliteValues(row);
    const names = Object.keys(values);
    const key = `${cls.className}\u0000${names.join('\u0000')}`;
    let statement = this.inserts.get(key);
    if (!statement) {
      statement = this.prepare(render(dml.insertRow(cls.className, values), 'sqlite').text);
      if (this.inserts.size > 2000) this.inserts.clear();
      this.inserts.set(key, statement);
    }
    const params = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i++) params[i] = values[names[i]!];
    try {
      statement.run(...params);
    } catch (error) {
      throw translateError(error);
    }
    if (this.searchIndexes.has(cls.className)) this.unindexed.add(cls.className);
  }

  private updateNow(cls: CompiledClass, objectId: string, where: Expr, values: Row): boolean {
    return this.run(dml.updateRow(cls, objectId, where, toSqliteValues(values), this.ctx)) > 0;
  }

  private deleteNow(cls: CompiledClass, objectId: string, where: Expr): boolean {
    const deleted = this.run(dml.deleteRow(cls, objectId, where, this.ctx)) > 0;
    if (deleted) {
      for (const field of cls.relationFields) this.run(dml.deleteRelationsOf(joinTableName(cls.className, field), objectId));
    }
    return deleted;
  }

  private changeRelationsNow(cls: CompiledClass, objectId: string, changes: RelationChange[]): void {
    for (const change of changes) {
      const table = joinTableName(cls.className, change.field);
      for (const relatedId of change.add) this.run(dml.addRelation(table, objectId, relatedId));
      for (const relatedId of change.remove) this.run(dml.removeRelation(table, objectId, relatedId));
    }
  }

  private claimNow(requestId: string, ttlMs: number): boolean {
    const now = Date.now();
    this.db.prepare(`DELETE FROM "_Idempotency" WHERE "expiresAt" < ?`).run(now);
    const result = this.db
      .prepare(`INSERT INTO "_Idempotency" ("reqId", "expiresAt") VALUES (?, ?) ON CONFLICT DO NOTHING`)
      .run(requestId, now + ttlMs);
    return result.changes > 0;
  }

  private readonly control = new Map<string, Database.Statement>();

  private prepareControl(text: ControlStatement): Database.Statement {
    let statement = this.control.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.control.set(text, statement);
    }
    return statement;
  }

  /** After a schema change: statements may name dropped columns or miss new ones. */
  private forgetStatements(): void {
    this.statements.clear();
    this.inserts.clear();
  }

  private prepare(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text) as Statement;
      if (this.statements.size > 2000) this.statements.clear();
      this.statements.set(text, statement);
    }
    return statement;
  }

  private all(fragment: SqlFragment): Row[] {
    const { text, params } = render(fragment, 'sqlite');
    return this.prepare(text).all(...params);
  }

  private run(fragment: SqlFragment): number {
    const { text, params } = render(fragment, 'sqlite');
    try {
      return this.prepare(text).run(...params).changes;
    } catch (error) {
      throw translateError(error);
    }
  }

  private exec(fragment: SqlFragment): void {
    const { text, params } = render(fragment, 'sqlite');
    if (params.length) throw new Error('DDL takes no parameters');
    this.db.exec(text);
  }
}

/** SQLite has no boolean or array type: 0/1, and `,a,b,` text for the permission lists. */
function toSqliteValues(row: Row): Row {
  const out: Row = {};
  for (const key in row) {
    const value = row[key];
    if (typeof value === 'boolean') out[key] = value ? 1 : 0;
    else if (Array.isArray(value)) out[key] = encodePermissionList(value as string[]);
    else out[key] = value;
  }
  return out;
}

function translateError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new ParseError(ErrorCode.DUPLICATE_VALUE, 'A duplicate value for a field with unique values was provided');
  }
  return error;
}
