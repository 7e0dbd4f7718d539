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

export interface CallOptions {
  /** Run inside this open transaction (a transactional batch) instead of opening one. */
  tx?: StorageTx;
  /** With `tx`: after-commit work (LiveQuery events, cache invalidation), run by the owner of the transaction. */
  afterCommit?: Array<() => void>;
}

export interface WriteOptions extends CallOptions {
  /** X-Parse-Request-Id: a repeated id on a write answers 159 instead of writing twice. */
  requestId?: string;
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
  constructor(
    private readonly storage: StorageAdapter,
    private readonly schema: SchemaRegistry,
    private readonly config: ServerConfig,
    private readonly hooks: WriteHooks,
    private readonly feed: ChangeFeed,
    /** Classes whose changes LiveQuery publishes (their writes read the whole row first). */
    private readonly liveClasses: ReadonlySet<string>,
  ) {}

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
    const { body, internal } = await this.hooks.prepare(auth, cls, rawBody, { objectId, mode: 'create', db });
    const decoded = decodeWrite(cls, body, { mode: 'create', isMaster: auth.isMaster });
    cls = await this.addFields(auth, cls, decoded.newFields);
    const now = new Date().toISOString();
    const echoed: Record<string, unknown> = {};
    for (const [field, def] of cls.fields) {
      if (def.defaultValue !== undefined && decoded.values[field] === undefined && !decoded.ops.has(field)) {
        decoded.values[field] = toStored(cls.className, field, def, def.defaultValue);
        echoed[field] = def.defaultValue;
      }
    }
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
    if (!options.tx && !options.requestId && decoded.relations.length === 0 && !this.hooks.hasAfterInsert(cls)) {
      // One INSERT is atomic by itself: no transaction round trips on the common create.
      await this.storage.insert(cls, row);
    } else {
      await this.inTransaction(options, async (tx) => {
        await claim(tx, options.requestId);
        await tx.insert(cls, row);
        if (decoded.relations.length) await tx.changeRelations(cls, objectId, decoded.relations);
        await this.hooks.afterInsert(auth, cls, row, tx);
      });
    }
    this.committed(options, () => {
      this.hooks.afterWrite(cls, objectId);
      this.publish(cls, 'create', null, row);
    });
    return { objectId, createdAt: row.createdAt as string, ...echoed, ...decoded.echo, ...results };
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
    const decoded = decodeWrite(cls, body, { mode: 'update', isMaster: auth.isMaster });
    cls = await this.addFields(auth, cls, decoded.newFields);
    for (const field of cls.requiredFields) {
      if (field in decoded.values && (decoded.values[field] === null || decoded.values[field] === '')) {
        throw new ParseError(ErrorCode.VALIDATION_ERROR, `${field} is required`);
      }
    }
    const now = new Date().toISOString();
    const result = await this.inTransaction(options, async (tx) => {
      await claim(tx, options.requestId);
      const current = await this.writableRow(tx, auth, cls, objectId, scope, [...decoded.ops.keys()]);
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
      await tx.update(cls, objectId, TRUE, values);
      if (decoded.relations.length) await tx.changeRelations(cls, objectId, decoded.relations);
      const after = { ...current, ...values };
      await this.hooks.afterUpdate(auth, cls, current, after, tx);
      return { response: { updatedAt: values.updatedAt, ...decoded.echo, ...results }, before: current, after };
    });
    this.committed(options, () => {
      this.hooks.afterWrite(cls, objectId);
      this.publish(cls, 'update', result.before, result.after);
    });
    return result.response;
  }

  async delete(auth: Auth, className: string, objectId: string, options: WriteOptions = {}): Promise<void> {
    const cls = this.existingClass(auth, className);
    this.hooks.guard(auth, cls, 'delete', objectId);
    if (!OBJECT_ID_PATTERN.test(objectId)) throw notFound('Object not found for delete.');
    const scope = requireClassAccess(auth, cls, 'delete');
    const before = await this.inTransaction(options, async (tx) => {
      await claim(tx, options.requestId);
      const current = await this.writableRow(tx, auth, cls, objectId, scope, [], 'Object not found for delete.');
      await this.hooks.beforeDelete(auth, cls, current, tx);
      await tx.delete(cls, objectId, TRUE);
      return current;
    });
    this.committed(options, () => {
      this.hooks.afterWrite(cls, objectId);
      this.publish(cls, 'delete', before, null);
    });
  }

  /** Runs now if the write committed on its own, or after the caller's transaction commits. */
  private committed(options: CallOptions, work: () => void): void {
    if (options.tx && options.afterCommit) options.afterCommit.push(work);
    else if (!options.tx) work();
  }

  private inTransaction<T>(options: CallOptions, work: (tx: StorageTx) => Promise<T>): Promise<T> {
    return options.tx ? work(options.tx) : this.storage.transaction(work);
  }

  private publish(cls: CompiledClass, kind: 'create' | 'update' | 'delete', before: Row | null, after: Row | null): void {
    if (this.liveClasses.has(cls.className)) this.feed.publish({ className: cls.className, kind, before, after, at: Date.now() });
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
    const live = this.liveClasses.has(cls.className) ? cls.columnFields : [];
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

async function claim(tx: StorageTx, requestId: string | undefined): Promise<void> {
  if (requestId && !(await tx.claimRequestId(requestId, IDEMPOTENCY_TTL_MS))) {
    throw new ParseError(ErrorCode.DUPLICATE_REQUEST, 'Duplicate request');
  }
}

const notFound = (message = 'Object not found.'): ParseError => new ParseError(ErrorCode.OBJECT_NOT_FOUND, message);

const nonExistentClass = (className: string): ParseError =>
  new ParseError(ErrorCode.OPERATION_FORBIDDEN, `This user is not allowed to access non-existent class: ${className}`);
