/**
 * Class-specific rules that run inside the object service's writes: Parse's system classes (_User, _Role,
 * _Session) and the CRM policy (default ACLs, createdBy). Hooks may change the decoded write or refuse it
 * with a ParseError; they run before anything is stored, so a refusal leaves nothing half-written.
 */
import type { DecodedWrite } from '../codec/write-body.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { Row, StorageTx } from '../storage/adapter.js';
import type { Auth } from '../security/auth.js';

export interface WriteTarget {
  objectId: string;
  mode: 'create' | 'update';
  /** Where hooks read: the open transaction of a transactional batch, or the adapter. */
  db: StorageTx;
}

export interface ClassHooks {
  /** Runs first, before the object is looked up: refusals that must not depend on the object (206 for users). */
  guard?(auth: Auth, cls: CompiledClass, operation: 'create' | 'update' | 'delete', objectId?: string): void;
  /**
   * Runs on the raw body before it is decoded: takes out keys that are not fields (a password) and
   * returns internal columns to store with the row (its hash). May throw a ParseError.
   */
  prepare?(auth: Auth, cls: CompiledClass, body: Record<string, unknown>, target: WriteTarget): Promise<Row> | Row;
  beforeCreate?(auth: Auth, cls: CompiledClass, write: DecodedWrite, objectId: string, db: StorageTx): Promise<void> | void;
  /** Runs inside the update's transaction, after the write permission check. */
  beforeUpdate?(auth: Auth, cls: CompiledClass, write: DecodedWrite, current: Row, tx: StorageTx): Promise<void> | void;
  beforeDelete?(auth: Auth, cls: CompiledClass, current: Row, tx: StorageTx): Promise<void> | void;
  /**
   * Runs inside the create's transaction right after the row is inserted: writes that must commit or roll
   * back with it (a deal's first stage-history row). A class with this hook always creates in a transaction.
   */
  afterInsert?(auth: Auth, cls: CompiledClass, row: Row, tx: StorageTx): Promise<void> | void;
  /** Runs inside the update's transaction after the row is written; `after` is the current row plus the change. */
  afterUpdate?(auth: Auth, cls: CompiledClass, before: Row, after: Row, tx: StorageTx): Promise<void> | void;
  /** After the write committed (cache invalidation); must not throw. */
  afterWrite?(cls: CompiledClass, objectId: string): void;
  /** Extra columns beforeUpdate/beforeDelete need from the current row. */
  columns?: readonly string[];
  /**
   * beforeCreate reads rows its decision depends on (a duplicate check), so a create of this class runs it in
   * the same transaction as the insert instead of taking the single-INSERT fast path (as with afterInsert).
   */
  transactional?: boolean;
}

export class WriteHooks {
  private readonly byClass = new Map<string, ClassHooks[]>();
  private readonly global: ClassHooks[] = [];

  /** Registers hooks for one class, or for every class when className is '*'. */
  register(className: string, hooks: ClassHooks): void {
    if (className === '*') this.global.push(hooks);
    else this.byClass.set(className, [...(this.byClass.get(className) ?? []), hooks]);
    this.resolved.clear();
  }

  /** Per class, built once: several lookups run on every write. Registration happens at start only. */
  private readonly resolved = new Map<string, ClassHooks[]>();
  private readonly columnsByClass = new WeakMap<CompiledClass, string[]>();

  private hooksFor(className: string): ClassHooks[] {
    let hooks = this.resolved.get(className);
    if (!hooks) {
      hooks = [...this.global, ...(this.byClass.get(className) ?? [])];
      this.resolved.set(className, hooks);
    }
    return hooks;
  }

  /** Cached per compiled class: a schema change compiles a new one. */
  columnsFor(cls: CompiledClass): string[] {
    let columns = this.columnsByClass.get(cls);
    if (!columns) {
      columns = this.hooksFor(cls.className)
        .flatMap((h) => h.columns ?? [])
        .filter((c) => cls.fields.has(c) || c.startsWith('_'));
      this.columnsByClass.set(cls, columns);
    }
    return columns;
  }

  /** True when creates of this class must run in a transaction: a hook reads before or writes beside the row. */
  needsTransaction(cls: CompiledClass): boolean {
    return this.hooksFor(cls.className).some((h) => h.transactional || h.afterInsert);
  }

  guard(auth: Auth, cls: CompiledClass, operation: 'create' | 'update' | 'delete', objectId?: string): void {
    for (const hooks of this.hooksFor(cls.className)) hooks.guard?.(auth, cls, operation, objectId);
  }

  /** Returns the body without non-field keys, and the internal columns the hooks derived from them. */
  async prepare(
    auth: Auth,
    cls: CompiledClass,
    body: Record<string, unknown>,
    target: WriteTarget,
  ): Promise<{ body: Record<string, unknown>; internal: Row }> {
    const copy = { ...body };
    const internal: Row = {};
    for (const hooks of this.hooksFor(cls.className)) Object.assign(internal, await hooks.prepare?.(auth, cls, copy, target));
    return { body: copy, internal };
  }

  async beforeCreate(auth: Auth, cls: CompiledClass, write: DecodedWrite, objectId: string, db: StorageTx): Promise<void> {
    for (const hooks of this.hooksFor(cls.className)) await hooks.beforeCreate?.(auth, cls, write, objectId, db);
  }

  async beforeUpdate(auth: Auth, cls: CompiledClass, write: DecodedWrite, current: Row, tx: StorageTx): Promise<void> {
    for (const hooks of this.hooksFor(cls.className)) await hooks.beforeUpdate?.(auth, cls, write, current, tx);
  }

  async beforeDelete(auth: Auth, cls: CompiledClass, current: Row, tx: StorageTx): Promise<void> {
    for (const hooks of this.hooksFor(cls.className)) await hooks.beforeDelete?.(auth, cls, current, tx);
  }

  async afterInsert(auth: Auth, cls: CompiledClass, row: Row, tx: StorageTx): Promise<void> {
    for (const hooks of this.hooksFor(cls.className)) await hooks.afterInsert?.(auth, cls, row, tx);
  }

  async afterUpdate(auth: Auth, cls: CompiledClass, before: Row, after: Row, tx: StorageTx): Promise<void> {
    for (const hooks of this.hooksFor(cls.className)) await hooks.afterUpdate?.(auth, cls, before, after, tx);
  }

  afterWrite(cls: CompiledClass, objectId: string): void {
    for (const hooks of this.hooksFor(cls.className)) hooks.afterWrite?.(cls, objectId);
  }
}
