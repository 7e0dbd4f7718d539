/**
 * The object operations every API (REST, batch, GraphQL, LiveQuery's fetches) calls: find, get, count,
 * create, update, delete. Each one resolves the class, asks the security layer, and talks to storage; no
 * HTTP here, and no second copy of any rule elsewhere.
 */
import type { ServerConfig } from '../config/config.js';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { and, TRUE, type Expr } from '../query/ast.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { ClassSchema, FieldDef } from '../schema/types.js';
import { assertClassName } from '../schema/validate-schema.js';
import { publicClp } from '../schema/system-classes.js';
import type { Row, StorageAdapter, StorageTx } from '../storage/adapter.js';
import { encodeRow, type ParseObjectJson } from '../codec/row-codec.js';
import { PUBLIC_ACL } from '../codec/acl.js';
import { applyFieldOps, decodeWrite } from '../codec/write-body.js';
import { OBJECT_ID_PATTERN, toStored } from '../codec/values.js';
import type { Auth } from '../security/auth.js';
import { canAccess } from '../security/acl-check.js';
import { readContextFor, requireClassAccess } from '../security/read-access.js';
import { classAccess, protectedFieldsFor } from '../security/class-permissions.js';
import { assertNoHiddenKeys, assertSortable, secureWhere } from '../security/secure-subqueries.js';
import { parseFindOptions, parseGetOptions, type FindOptions } from './find-options.js';
import { projectionFor } from './projection.js';
import { resolveIncludes } from './include.js';
import { newObjectId } from './ids.js';
import type { WriteHooks } from './write-hooks.js';
import type { ReadContext } from './read-context.js';
import type { ChangeFeed } from '../livequery/change-feed.js';
import { NO_TRIGGERS, type CloudTriggers, type TriggerScope } from './cloud-triggers.js';

export interface CallOptions {
  /** Run inside this open transaction (a transactional batch) instead of opening one. */
  tx?: StorageTx;
  /** With `tx`: after-commit work (LiveQuery events, cache invalidation), run by the owner of the transaction. */
  afterCommit?: Array<() => void>;
}

export interface WriteOptions extends CallOptions {
  /** X-Parse-Request-Id: a repeated id on a write answers 159 instead of writing twice. */
  requestId?: string;
  /** Parse's cloud code `context` for this write's triggers. */
  context?: Record<string, unknown>;
}

export interface CreateResult {
  objectId: string;
  createdAt: string;
  [key: string]: unknown;
}

const IDEMPOTENCY_TTL_MS = 5 * 60 * 1000;

const byId = (objectId: string): Expr => ({
  kind: 'compare',
  ref: { field: 'objectId', type: 'String', path: [] },
  op: 'eq',
  value: objectId,
});

export class ObjectService {
  private triggers: CloudTriggers = NO_TRIGGERS;
  private watchedLocally: (className: string) => boolean = () => false;

  constructor(
    private readonly storage: StorageAdapter,
    private readonly schema: SchemaRegistry,
    private readonly config: ServerConfig,
    private readonly hooks: WriteHooks,
    private readonly feed: ChangeFeed,
    /** Classes whose changes LiveQuery publishes (their writes read the whole row first). */
    private readonly liveClasses: ReadonlySet<string>,
  ) {}

  /** Cloud code triggers (loaded after the services exist, since they call back into them). */
  useTriggers(triggers: CloudTriggers): void {
    this.triggers = triggers;
  }

  /**
   * Classes whose committed changes are published on this instance only (webhooks), beyond the LiveQuery
   * classes that also fan out to every instance.
   */
  watchLocally(predicate: (className: string) => boolean): void {
    this.watchedLocally = predicate;
  }

  async find(
    auth: Auth,
    className: string,
    raw: Record<string, unknown>,
    call: CallOptions = {},
  ): Promise<{ results: ParseObjectJson[]; count?: number }> {
    const db = call.tx ?? this.storage;
    const cls = this.readableClass(auth, className);
    if (!cls) return raw.count ? { results: [], count: 0 } : { results: [] };
    const hidden = protectedFieldsFor(auth, cls);
    const options = parseFindOptions(raw, cls, this.schema, this.config, (where) =>
      assertNoHiddenKeys(where, hidden, cls.className),
    );
    const countOnly = options.count && options.limit === 0;
    const scope = requireClassAccess(auth, cls, countOnly ? 'count' : 'find');
    if (options.count && !countOnly) requireClassAccess(auth, cls, 'count');
    const ctx = readContextFor(auth, db, this.schema, 'find');
    assertSortable(ctx, cls, options.order);
    const where = and(secureWhere(ctx, cls, options.where), ctx.readFilter(cls), scope);
    const results = options.limit === 0 ? [] : await this.readRows(ctx, cls, where, options);
    if (!options.count) return { results };
    return { results, count: await db.count(cls, where) };
  }

  async get(
    auth: Auth,
    className: string,
    objectId: string,
    raw: Record<string, unknown>,
    call: CallOptions = {},
  ): Promise<ParseObjectJson> {
    const db = call.tx ?? this.storage;
    const cls = this.readableClass(auth, className);
    if (!cls || !OBJECT_ID_PATTERN.test(objectId)) throw notFound();
    const options = parseGetOptions(raw, cls, objectId);
    const scope = requireClassAccess(auth, cls, 'get');
    const ctx = readContextFor(auth, db, this.schema, 'get');
    const [object] = await this.readRows(ctx, cls, and(options.where, ctx.readFilter(cls), scope), options);
    if (!object) throw notFound();
    return object;
  }

  /** Reads one page and shapes it: projection, protected fields, includes. */
  private async readRows(
    ctx: ReadContext,
    cls: CompiledClass,
    where: Expr,
    options: Omit<FindOptions, 'where'>,
  ): Promise<ParseObjectJson[]> {
    const projection = projectionFor(cls, options.keys, options.excludeKeys, options.include);
    const rows = await ctx.storage.find({
      cls,
      where,
      order: options.order,
      limit: options.limit,
      skip: options.skip,
      columns: projection.columns,
    });
    const objects = rows.map((row) => ctx.present(cls, encodeRow(cls, row, projection.relations)));
    await resolveIncludes(ctx, objects, options.include, projection.nestedKeys);
    return objects;
  }

  async create(
    auth: Auth,
    className: string,
    rawBody: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<CreateResult> {
    let cls = await this.writableClass(auth, className);
    this.hooks.guard(auth, cls, 'create');
    requireClassAccess(auth, cls, 'create');
    const objectId = newObjectId();
    const db = options.tx ?? this.storage;
    const prepared = await this.hooks.prepare(auth, cls, rawBody, { objectId, mode: 'create', db });
    const internal = prepared.internal;
    let decoded = decodeWrite(cls, prepared.body, { mode: 'create', isMaster: auth.isMaster });
    cls = await this.addFields(auth, cls, decoded.newFields);
    const scope = triggerScope(auth, options, options.tx, options.afterCommit);
    let changed: string[] = [];
    if (this.triggers.has(cls.className, 'beforeSave')) {
      const result = await this.triggers.beforeSave(cls, prepared.body, null, scope);
      decoded = redecode(cls, result.body, 'create', auth);
      changed = result.changed;
    }
    const now = new Date().toISOString();
    const echoed: Record<string, unknown> = {};
    for (const [field, def] of cls.fields) {
      if (def.defaultValue !== undefined && decoded.values[field] === undefined && !decoded.ops.has(field)) {
        decoded.values[field] = toStored(cls.className, field, def, def.defaultValue);
        echoed[field] = def.defaultValue;
      }
    }
    // Builds the row; hooks that read (the deal owner, a duplicate) read through `db`.
    const build = async (db: StorageTx) => {
      await this.hooks.beforeCreate(auth, cls, decoded, objectId, db);
      const { values: opValues, results } = applyFieldOps({}, decoded.ops);
      const acl = decoded.acl ?? PUBLIC_ACL;
      const row: Row = {
        ...decoded.values,
        ...opValues,
        ...internal,
        objectId,
        createdAt: decoded.timestamps.createdAt ?? now,
        updatedAt: decoded.timestamps.updatedAt ?? decoded.timestamps.createdAt ?? now,
        _acl: acl._acl,
        _rperm: acl._rperm,
        _wperm: acl._wperm,
      };
      for (const field of cls.requiredFields) {
        if (row[field] == null || row[field] === '') throw new ParseError(ErrorCode.VALIDATION_ERROR, `${field} is required`);
      }
      return { row, results };
    };
    let built: Awaited<ReturnType<typeof build>>;
    if (!options.tx && !options.requestId && decoded.relations.length === 0 && !this.hooks.needsTransaction(cls)) {
      // One INSERT is atomic by itself: no transaction round trips on the common create.
      built = await build(this.storage);
      await this.storage.insert(cls, built.row);
    } else {
      built = await this.inTransaction(options, async (tx) => {
        await claim(tx, options.requestId);
        const made = await build(tx);
        await tx.insert(cls, made.row);
        if (decoded.relations.length) await tx.changeRelations(cls, objectId, decoded.relations);
        await this.hooks.afterInsert(auth, cls, made.row, tx);
        return made;
      });
    }
    const { row, results } = built;
    this.committed(options, () => {
      this.hooks.afterWrite(cls, objectId);
      this.publish(cls, 'create', null, row);
    });
    if (this.triggers.has(cls.className, 'afterSave')) {
      await this.afterTrigger(options, () => this.triggers.afterSave(cls, row, null, { ...scope, tx: undefined }));
    }
    return {
      objectId,
      createdAt: row.createdAt as string,
      ...echoed,
      ...decoded.echo,
      ...results,
      ...changedValues(cls, row, changed),
    };
  }

  async update(
    auth: Auth,
    className: string,
    objectId: string,
    rawBody: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<Record<string, unknown>> {
    let cls = this.existingClass(auth, className);
    this.hooks.guard(auth, cls, 'update', objectId);
    if (!OBJECT_ID_PATTERN.test(objectId)) throw notFound();
    const scope = requireClassAccess(auth, cls, 'update');
    const { body, internal } = await this.hooks.prepare(auth, cls, rawBody, {
      objectId,
      mode: 'update',
      db: options.tx ?? this.storage,
    });
    const firstDecoded = decodeWrite(cls, body, { mode: 'update', isMaster: auth.isMaster });
    cls = await this.addFields(auth, cls, firstDecoded.newFields);
    assertRequiredKept(cls, firstDecoded);
    const now = new Date().toISOString();
    let changed: string[] = [];
    let writeScope: TriggerScope | undefined;
    const result = await this.inTransaction(options, async (tx, afterCommit) => {
      await claim(tx, options.requestId);
      const current = await this.writableRow(tx, auth, cls, objectId, scope, [...firstDecoded.ops.keys()]);
      let decoded = firstDecoded;
      writeScope = triggerScope(auth, options, tx, afterCommit);
      if (this.triggers.has(cls.className, 'beforeSave')) {
        const changes = await this.triggers.beforeSave(cls, body, current, writeScope);
        decoded = redecode(cls, changes.body, 'update', auth);
        assertRequiredKept(cls, decoded);
        changed = changes.changed;
      }
      await this.hooks.beforeUpdate(auth, cls, decoded, current, tx);
      const { values: opValues, results } = applyFieldOps(current, decoded.ops);
      const acl = decoded.acl;
      const values: Row = {
        ...decoded.values,
        ...opValues,
        ...internal,
        updatedAt: decoded.timestamps.updatedAt ?? now,
        ...(acl ? { _acl: acl._acl, _rperm: acl._rperm, _wperm: acl._wperm } : {}),
      };
      await tx.updateLocked(cls, objectId, values);
      if (decoded.relations.length) await tx.changeRelations(cls, objectId, decoded.relations);
      const after = { ...current, ...values };
      await this.hooks.afterUpdate(auth, cls, current, after, tx);
      return { response: { updatedAt: values.updatedAt, ...decoded.echo, ...results }, before: current, after };
    });
    this.committed(options, () => {
      this.hooks.afterWrite(cls, objectId);
      this.publish(cls, 'update', result.before, result.after);
    });
    if (this.triggers.has(cls.className, 'afterSave')) {
      const afterScope = { ...writeScope!, tx: undefined, afterCommit: undefined };
      await this.afterTrigger(options, () => this.triggers.afterSave(cls, result.after, result.before, afterScope));
    }
    return { ...result.response, ...changedValues(cls, result.after, changed) };
  }

  async delete(auth: Auth, className: string, objectId: string, options: WriteOptions = {}): Promise<void> {
    const cls = this.existingClass(auth, className);
    this.hooks.guard(auth, cls, 'delete', objectId);
    if (!OBJECT_ID_PATTERN.test(objectId)) throw notFound('Object not found for delete.');
    const scope = requireClassAccess(auth, cls, 'delete');
    const before = await this.inTransaction(options, async (tx, afterCommit) => {
      await claim(tx, options.requestId);
      const current = await this.writableRow(tx, auth, cls, objectId, scope, [], 'Object not found for delete.');
      if (this.triggers.has(cls.className, 'beforeDelete')) {
        await this.triggers.beforeDelete(cls, current, triggerScope(auth, options, tx, afterCommit));
      }
      await this.hooks.beforeDelete(auth, cls, current, tx);
      await tx.delete(cls, objectId, TRUE);
      return current;
    });
    this.committed(options, () => {
      this.hooks.afterWrite(cls, objectId);
      this.publish(cls, 'delete', before, null);
    });
    if (this.triggers.has(cls.className, 'afterDelete')) {
      const afterScope = triggerScope(auth, options, undefined, undefined);
      await this.afterTrigger(options, () => this.triggers.afterDelete(cls, before, afterScope));
    }
  }

  /** Runs now if the write committed on its own, or after the caller's transaction commits. */
  private committed(options: CallOptions, work: () => void): void {
    if (options.tx && options.afterCommit) options.afterCommit.push(work);
    else if (!options.tx) work();
  }

  /**
   * Runs `work` in the caller's transaction or a new one. `afterCommit` collects the after-commit work of
   * writes that cloud triggers make inside this transaction; it runs once the transaction committed.
   */
  private async inTransaction<T>(
    options: CallOptions,
    work: (tx: StorageTx, afterCommit: Array<() => void> | undefined) => Promise<T>,
  ): Promise<T> {
    if (options.tx) return work(options.tx, options.afterCommit);
    const afterCommit: Array<() => void> = [];
    const result = await this.storage.transaction((tx) => work(tx, afterCommit));
    for (const done of afterCommit) done();
    return result;
  }

  /**
   * after* triggers: awaited before the response when the write committed on its own (as Parse Server does);
   * inside a transactional batch they run, unawaited, once the batch committed.
   */
  private async afterTrigger(options: CallOptions, run: () => Promise<void>): Promise<void> {
    if (!options.tx) await run();
    else options.afterCommit?.push(() => void run());
  }

  private publish(cls: CompiledClass, kind: 'create' | 'update' | 'delete', before: Row | null, after: Row | null): void {
    const live = this.liveClasses.has(cls.className);
    if (live || this.watchedLocally(cls.className)) {
      this.feed.publish({ className: cls.className, kind, before, after, at: Date.now() }, { fanOut: live });
    }
  }

  /** Whether writes to the class must read the whole current row (change events, triggers' `original`). */
  private needsWholeRow(className: string): boolean {
    return (
      this.liveClasses.has(className) ||
      this.watchedLocally(className) ||
      this.triggers.has(className, 'beforeSave') ||
      this.triggers.has(className, 'afterSave') ||
      this.triggers.has(className, 'beforeDelete') ||
      this.triggers.has(className, 'afterDelete')
    );
  }

  /** The row to change, if it exists and its ACL lets the caller write; 101 otherwise, as Parse hides both. */
  private async writableRow(
    tx: StorageTx,
    auth: Auth,
    cls: CompiledClass,
    objectId: string,
    scope: Expr,
    fields: string[],
    message?: string,
  ): Promise<Row> {
    const live = this.needsWholeRow(cls.className) ? cls.columnFields : [];
    const columns = [...new Set([...fields, ...live, ...this.hooks.columnsFor(cls), '_wperm', '_rperm', '_acl'])];
    const [row] = await tx.find({
      cls,
      where: and(byId(objectId), scope),
      order: [],
      limit: 1,
      skip: 0,
      columns,
      forUpdate: true,
    });
    if (!row || !canAccess(auth, row._wperm)) throw notFound(message);
    return row;
  }

  /** A class for reading: null when it does not exist and the caller is master (Parse answers []). */
  private readableClass(auth: Auth, className: string): CompiledClass | null {
    assertClassName(className);
    const cls = this.schema.get(className);
    if (cls) return cls;
    if (auth.isMaster) return null;
    throw nonExistentClass(className);
  }

  private existingClass(auth: Auth, className: string): CompiledClass {
    assertClassName(className);
    const cls = this.schema.get(className);
    if (cls) return cls;
    if (auth.isMaster) throw notFound();
    throw nonExistentClass(className);
  }

  private async writableClass(auth: Auth, className: string): Promise<CompiledClass> {
    assertClassName(className);
    const existing = this.schema.get(className);
    if (existing) return existing;
    if (!auth.isMaster && !this.config.allowClientClassCreation) throw nonExistentClass(className);
    if (className.startsWith('_')) throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `Invalid classname: ${className}`);
    const schema: ClassSchema = { className, fields: {}, classLevelPermissions: publicClp(), indexes: {} };
    return this.schema.save(undefined, schema);
  }

  /** Fields a write introduces are added to the schema first (CLP addField decides who may). */
  private async addFields(auth: Auth, cls: CompiledClass, newFields: Record<string, FieldDef>): Promise<CompiledClass> {
    if (Object.keys(newFields).length === 0) return cls;
    if (classAccess(auth, cls, 'addField').kind !== 'granted') {
      throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, `Permission denied for action addField on class ${cls.className}.`);
    }
    const latest = this.schema.get(cls.className) ?? cls;
    const fields = { ...latest.schema.fields };
    for (const [name, def] of Object.entries(newFields)) if (!Object.hasOwn(fields, name)) fields[name] = def;
    return this.schema.save(latest.schema, { ...latest.schema, fields });
  }
}

function triggerScope(
  auth: Auth,
  options: WriteOptions,
  tx: StorageTx | undefined,
  afterCommit: Array<() => void> | undefined,
): TriggerScope {
  return { auth, tx, afterCommit, context: options.context ?? {} };
}

/** A trigger's body decoded again; a field the schema lacks cannot be added inside the write (141). */
function redecode(cls: CompiledClass, body: Record<string, unknown>, mode: 'create' | 'update', auth: Auth) {
  const decoded = decodeWrite(cls, body, { mode, isMaster: auth.isMaster });
  const unknown = Object.keys(decoded.newFields);
  if (unknown.length) {
    throw new ParseError(
      ErrorCode.SCRIPT_FAILED,
      `beforeSave set ${unknown.join(', ')}, which ${cls.className} does not have; add the field to the schema first`,
    );
  }
  return decoded;
}

function assertRequiredKept(cls: CompiledClass, decoded: { values: Row }): void {
  for (const field of cls.requiredFields) {
    if (field in decoded.values && (decoded.values[field] === null || decoded.values[field] === '')) {
      throw new ParseError(ErrorCode.VALIDATION_ERROR, `${field} is required`);
    }
  }
}

/** The stored values of the fields a beforeSave trigger changed, in wire form, for the write's response. */
function changedValues(cls: CompiledClass, row: Row, changed: string[]): Record<string, unknown> {
  if (changed.length === 0) return {};
  const wire = encodeRow(cls, row);
  const out: Record<string, unknown> = {};
  for (const field of changed) if (field in wire) out[field] = wire[field];
  return out;
}

async function claim(tx: StorageTx, requestId: string | undefined): Promise<void> {
  if (requestId && !(await tx.claimRequestId(requestId, IDEMPOTENCY_TTL_MS))) {
    throw new ParseError(ErrorCode.DUPLICATE_REQUEST, 'Duplicate request');
  }
}

const notFound = (message = 'Object not found.'): ParseError => new ParseError(ErrorCode.OBJECT_NOT_FOUND, message);

const nonExistentClass = (className: string): ParseError =>
  new ParseError(ErrorCode.OPERATION_FORBIDDEN, `This user is not allowed to access non-existent class: ${className}`);
