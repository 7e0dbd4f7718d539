/**
 * The storage contract. Adapters (SQLite now, PostgreSQL next) receive already-validated, already-authorized
 * requests expressed in the query AST and stored values; they own SQL, DDL and transactions — nothing else.
 * Every adapter must pass the shared behaviour suite in storage/behaviour-suite.ts.
 */
import type { Expr, OrderKey } from '../query/ast.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import type { ClassSchema } from '../schema/types.js';
import type { DialectName, SqlFragment } from './sql/fragment.js';

/** A row as stored: column name → stored value (see StoredScalar in query/ast.ts; JSON columns as text). */
export type Row = Record<string, unknown>;

export interface FindSpec {
  cls: CompiledClass;
  where: Expr;
  order: OrderKey[];
  limit: number;
  skip: number;
  /** Columns to read; `objectId` is always included by the adapter. */
  columns: readonly string[];
  /**
   * Lock the rows read until the transaction ends (a read-modify-write). Only the row about to be written
   * is locked, so two writers never hold locks in opposite orders.
   */
  forUpdate?: boolean;
}

export interface RelationChange {
  field: string;
  add: string[];
  remove: string[];
}

/** Operations run inside one transaction: the same interface, bound to the open transaction. */
export interface StorageTx {
  find(spec: FindSpec): Promise<Row[]>;
  count(cls: CompiledClass, where: Expr): Promise<number>;
  /** Throws ParseError 137 on a duplicate objectId or a unique index violation. */
  insert(cls: CompiledClass, row: Row): Promise<void>;
  /** Writes `values` to the row matching objectId AND `where`; false when no row matched. */
  update(cls: CompiledClass, objectId: string, where: Expr, values: Row): Promise<boolean>;
  /**
   * Writes `values` to a row this transaction has already read with `forUpdate` (it exists and is locked), so
   * there is nothing to report back: like `append`, PostgreSQL may send it later with other writes.
   */
  updateLocked(cls: CompiledClass, objectId: string, values: Row): Promise<void>;
  /**
   * Runs a statement built by our own code for its effect only (an INSERT of a feature's rows). Inside a
   * transaction, PostgreSQL holds such writes (and `insert`s) back and sends them together, as one statement,
   * before the transaction's next read or at COMMIT: a failure then surfaces there, and fails the transaction.
   */
  append(fragment: SqlFragment): Promise<void>;
  delete(cls: CompiledClass, objectId: string, where: Expr): Promise<boolean>;
  changeRelations(cls: CompiledClass, objectId: string, changes: RelationChange[]): Promise<void>;
  /**
   * Runs a compiled statement built by our own code (aggregations, a feature's internal tables); rows for a
   * statement that returns them, [] otherwise.
   */
  query(fragment: SqlFragment): Promise<Row[]>;
  /**
   * Records a client request id (X-Parse-Request-Id) inside the write's transaction, so a rolled-back write
   * leaves no claim behind; false when the id was already used within its time to live.
   */
  claimRequestId(requestId: string, ttlMs: number): Promise<boolean>;
}

/** How much a match in a field counts: A (a name) > B (email, phone, website) > C > D (notes). */
export type SearchWeight = 'A' | 'B' | 'C' | 'D';

export interface SearchField {
  field: string;
  weight: SearchWeight;
}

export interface SearchSpec {
  cls: CompiledClass;
  /** Indexed fields a term may match in (the caller's hidden fields already removed); never empty. */
  fields: readonly string[];
  /** Folded words (storage/sql/search-text.ts): letters and digits only; each must prefix-match some word. */
  terms: readonly string[];
  /** The caller's read filter (ACL and class-level permissions), exactly as a find gets it. */
  where: Expr;
  columns: readonly string[];
  limit: number;
}

/** Column carrying the storage's relevance on rows returned by search(): higher is better. */
export const SEARCH_RANK_COLUMN = '_searchRank';

export interface StorageAdapter extends StorageTx {
  readonly dialect: DialectName;
  /** The live schema, for compiling sub-queries that reach other classes. */
  useSchema(schema: SchemaLookup): void;
  /** Creates internal tables; idempotent and safe when two instances start together. */
  init(): Promise<void>;
  loadSchemas(): Promise<ClassSchema[]>;
  /** Persists a class definition and brings tables, columns and indexes in line with it. */
  saveSchema(previous: ClassSchema | undefined, next: ClassSchema): Promise<void>;
  deleteClass(className: string, relationFields: readonly string[]): Promise<void>;
  /**
   * Makes the full-text index of `cls` cover `fields` (those that are String columns; none → no index), built
   * from the rows already there when it is new. The index is then kept current by the database itself
   * (SQLite triggers, a PostgreSQL generated column), inside every write's own transaction, whoever writes.
   * Idempotent and cheap when nothing changed; schema changes that drop an indexed column keep it working.
   */
  ensureSearchIndex(cls: CompiledClass, fields: readonly SearchField[]): Promise<void>;
  /**
   * Rows of `spec.cls` where every term prefix-matches a word of one of `spec.fields` and `spec.where` holds,
   * best first by the storage's relevance (in SEARCH_RANK_COLUMN), at most `spec.limit`. A class without an
   * index answers [].
   */
  search(spec: SearchSpec): Promise<Row[]>;
  /** Runs `work` in one transaction: all of it commits, or none of it. */
  transaction<T>(work: (tx: StorageTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
