/**
 * Bulk import of existing objects — a database moving between installs. Unlike a create, an import keeps
 * what the object already has: its objectId, timestamps, ACL and (for users) the bcrypt password hash,
 * none of which any client can set through the object service. So each row is validated with the same
 * write codec a create uses (decodeWrite: field types, ACL, pointers, required fields), and the rows that
 * pass are inserted in batches, one storage transaction per batch. Write hooks do not run: they decide
 * what a *new* object gets (owner ACLs, createdBy), and an imported object already has all of that.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { decodeWrite } from '../codec/write-body.js';
import { OBJECT_ID_PATTERN, isPlainObject } from '../codec/values.js';
import { compileClass, type CompiledClass } from '../schema/compiled.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { publicClp } from '../schema/system-classes.js';
import type { ClassSchema, FieldDef } from '../schema/types.js';
import { assertClassName } from '../schema/validate-schema.js';
import type { Expr } from '../query/ast.js';
import type { Row, StorageAdapter, StorageTx } from '../storage/adapter.js';
import type { SchemaService } from './schema-service.js';
import { splitObject, toRow } from './import-rows.js';

export interface ImportOptions {
  /** Validate and report, write nothing (not even schema changes). */
  dryRun?: boolean;
  /** Rows per transaction. */
  batchSize?: number;
  /** The class as it will be once a pending schema import ran (dry runs validate against it). */
  planned?: ClassSchema;
  onProgress?: (rows: number) => void;
}

export interface RowProblem {
  /** Position of the row in the input, from 0. */
  index: number;
  objectId?: string;
  reason: string;
}

export interface ImportResult {
  className: string;
  total: number;
  /** Rows written (dry run: rows that would be written). */
  written: number;
  /** Rows whose objectId is already in the database: left as they are, so an import can be resumed. */
  existing: number;
  problems: RowProblem[];
  /** Fields the rows use that the class did not declare (added to the schema with inferred types). */
  newFields: Record<string, FieldDef>;
  createdClass: boolean;
  /** Roles created at first start that the import's roles of the same name replaced. */
  replacedRoles: string[];
}

export interface RelationPair {
  owningId: string;
  relatedId: string;
}

export interface RelationImportResult {
  total: number;
  written: number;
  problems: RowProblem[];
}

const DEFAULT_BATCH = 500;
const LOOKUP_CHUNK = 500;

interface Prepared {
  index: number;
  row: Row;
}

const ref = (field: string) => ({ field, type: 'String' as const, path: [] });
const inList = (field: string, values: string[]): Expr => ({ kind: 'in', ref: ref(field), values, negate: false });
const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class ImportService {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly registry: SchemaRegistry,
    private readonly schemas: SchemaService,
  ) {}

  /** `objects` in REST form (what GET /classes returns), plus `_hashed_password` on users. */
  async importObjects(className: string, objects: readonly unknown[], options: ImportOptions = {}): Promise<ImportResult> {
    assertClassName(className);
    const live = this.registry.get(className);
    if (!live && className.startsWith('_')) {
      throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `${className} is not a class this server has`);
    }
    const base: ClassSchema = live?.schema ??
      options.planned ?? { className, fields: {}, classLevelPermissions: publicClp(), indexes: {} };
    const result: ImportResult = {
      className,
      total: objects.length,
      written: 0,
      existing: 0,
      problems: [],
      newFields: {},
      createdClass: !live,
      replacedRoles: [],
    };

    const newFields = this.inferNewFields(compileClass(base), objects);
    result.newFields = newFields;
    const target = compileClass({ ...base, fields: { ...base.fields, ...newFields } });
    let prepared = this.prepareRows(target, objects, result.problems);
    prepared = await this.dropDuplicates(target, prepared, result, Boolean(live));
    const replaced =
      className === '_Role' && live ? await this.rolesToReplace(live, prepared, result.problems) : new Map<string, string>();
    const refused = new Set(result.problems.map((problem) => problem.index));
    prepared = prepared.filter((p) => !refused.has(p.index));
    result.replacedRoles = [...replaced.keys()];

    if (options.dryRun) {
      result.written = prepared.length;
      return result;
    }
    const cls = await this.ensureClass(className, live, base, newFields);
    if (replaced.size) await this.replaceRoles(cls, [...replaced.values()]);
    result.written = await this.insertInBatches(cls, prepared, options, result.problems);
    result.problems.sort((a, b) => a.index - b.index);
    return result;
  }

  /** `_Join:<field>:<className>` rows. Pairs already present are kept; nothing is removed. */
  async importRelations(
    className: string,
    field: string,
    pairs: readonly unknown[],
    options: ImportOptions = {},
  ): Promise<RelationImportResult> {
    const schema = this.registry.get(className)?.schema ?? options.planned;
    const def = schema?.fields[field];
    if (!schema || def?.type !== 'Relation') {
      throw new ParseError(ErrorCode.INVALID_KEY_NAME, `${className}.${field} is not a Relation field of this schema`);
    }
    const result: RelationImportResult = { total: pairs.length, written: 0, problems: [] };
    const good: RelationPair[] = [];
    pairs.forEach((pair, index) => {
      if (!isPlainObject(pair) || typeof pair.owningId !== 'string' || typeof pair.relatedId !== 'string') {
        result.problems.push({ index, reason: 'a relation row needs owningId and relatedId strings' });
      } else if (!OBJECT_ID_PATTERN.test(pair.owningId) || !OBJECT_ID_PATTERN.test(pair.relatedId)) {
        result.problems.push({ index, reason: 'owningId and relatedId must be objectIds' });
      } else good.push({ owningId: pair.owningId, relatedId: pair.relatedId });
    });
    if (options.dryRun) {
      result.written = good.length;
      return result;
    }
    const cls = this.registry.get(className)!;
    for (const batch of chunks(good, options.batchSize ?? DEFAULT_BATCH)) {
      await this.storage.transaction(async (tx) => {
        for (const pair of batch) await tx.changeRelations(cls, pair.owningId, [{ field, add: [pair.relatedId], remove: [] }]);
      });
      result.written += batch.length;
      options.onProgress?.(batch.length);
    }
    return result;
  }

  /** First pass: the fields rows use that the class lacks, typed from the first row that has them. */
  private inferNewFields(cls: CompiledClass, objects: readonly unknown[]): Record<string, FieldDef> {
    const found: Record<string, FieldDef> = {};
    for (const object of objects) {
      try {
        const { body } = splitObject(cls.className, object);
        Object.assign(found, { ...decodeWrite(cls, body, { mode: 'create', isMaster: true }).newFields, ...found });
      } catch {
        // Reported by the second pass, against the completed class.
      }
    }
    return found;
  }

  /** Second pass: every row against the class as it will be, so rows disagreeing on a new field's type fail. */
  private prepareRows(cls: CompiledClass, objects: readonly unknown[], problems: RowProblem[]): Prepared[] {
    const prepared: Prepared[] = [];
    objects.forEach((object, index) => {
      try {
        prepared.push({ index, row: toRow(cls, object) });
      } catch (error) {
        const objectId = isPlainObject(object) && typeof object.objectId === 'string' ? object.objectId : undefined;
        problems.push({ index, objectId, reason: reasonOf(error) });
      }
    });
    return prepared;
  }

  /** Repeated ids and unique names within the input, and rows the database already has. */
  private async dropDuplicates(
    cls: CompiledClass,
    rows: Prepared[],
    result: ImportResult,
    classExists: boolean,
  ): Promise<Prepared[]> {
    const uniques = UNIQUE_COLUMNS[cls.className] ?? [];
    const seen = new Map<string, Set<unknown>>([
      ['objectId', new Set()],
      ...uniques.map((c): [string, Set<unknown>] => [c, new Set()]),
    ]);
    const kept = rows.filter(({ index, row }) => {
      for (const [column, values] of seen) {
        const value = row[column];
        if (value == null) continue;
        if (values.has(value)) {
          result.problems.push({
            index,
            objectId: String(row.objectId),
            reason: `${column} ${String(value)} appears twice in the import`,
          });
          return false;
        }
        values.add(value);
      }
      return true;
    });
    if (!classExists) return kept;
    const existing = await this.existingValues(
      cls,
      'objectId',
      kept.map((p) => String(p.row.objectId)),
    );
    result.existing = kept.filter((p) => existing.has(String(p.row.objectId))).length;
    const fresh = kept.filter((p) => !existing.has(String(p.row.objectId)));
    for (const column of uniques) {
      if (cls.className === '_Role') continue; // same-name roles are handled by rolesToReplace
      const taken = await this.existingValues(
        cls,
        column,
        fresh.map((p) => p.row[column]).filter((v): v is string => typeof v === 'string'),
      );
      for (const p of fresh) {
        if (taken.has(String(p.row[column])))
          result.problems.push({
            index: p.index,
            objectId: String(p.row.objectId),
            reason: `${UNIQUE_LABEL[column] ?? column} ${String(p.row[column])} is already taken in this database`,
          });
      }
    }
    return fresh;
  }

  /**
   * A fresh install already has the policy's roles (admins, managers) under new objectIds. An imported role
   * of the same name takes its place when the existing one has no members; otherwise the row is refused.
   */
  private async rolesToReplace(roles: CompiledClass, rows: Prepared[], problems: RowProblem[]): Promise<Map<string, string>> {
    const byName = new Map(rows.map((p) => [String(p.row.name), p]));
    const existing = await this.storage.find({
      cls: roles,
      where: inList('name', [...byName.keys()]),
      order: [],
      limit: 10_000,
      skip: 0,
      columns: ['name'],
    });
    const replace = new Map<string, string>();
    for (const role of existing) {
      const incoming = byName.get(String(role.name))!;
      if (await this.hasMembers(String(role.objectId))) {
        problems.push({
          index: incoming.index,
          objectId: String(incoming.row.objectId),
          reason: `role ${String(role.name)} already exists here with members; merge it by hand`,
        });
      } else replace.set(String(role.name), String(role.objectId));
    }
    return replace;
  }

  private async hasMembers(roleId: string): Promise<boolean> {
    for (const [className, key] of [
      ['_User', 'users'],
      ['_Role', 'roles'],
    ] as const) {
      const cls = this.registry.get(className)!;
      const where: Expr = { kind: 'relatedTo', ownerClass: '_Role', ownerId: roleId, key };
      if ((await this.storage.find({ cls, where, order: [], limit: 1, skip: 0, columns: [] })).length) return true;
    }
    return false;
  }

  private async replaceRoles(roles: CompiledClass, ids: string[]): Promise<void> {
    await this.storage.transaction(async (tx) => {
      for (const id of ids) await tx.delete(roles, id, { kind: 'const', value: true });
    });
  }

  private async existingValues(cls: CompiledClass, column: string, values: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks(values, LOOKUP_CHUNK)) {
      const rows = await this.storage.find({
        cls,
        where: inList(column, chunk),
        order: [],
        limit: chunk.length,
        skip: 0,
        columns: [column],
      });
      for (const row of rows) found.add(String(row[column]));
    }
    return found;
  }

  /** Schema changes go through the SchemaService, with the validation every Schema API change gets. */
  private async ensureClass(
    className: string,
    live: CompiledClass | undefined,
    base: ClassSchema,
    newFields: Record<string, FieldDef>,
  ): Promise<CompiledClass> {
    if (!live) {
      const fields = { ...base.fields, ...newFields };
      await this.schemas.create(className, { fields, classLevelPermissions: base.classLevelPermissions });
    } else if (Object.keys(newFields).length) {
      await this.schemas.update(className, { fields: newFields });
    }
    return this.registry.get(className)!;
  }

  /**
   * One transaction per batch. A batch the database refuses (a unique index the checks above could not
   * foresee) is retried row by row, so one bad row costs only itself.
   */
  private async insertInBatches(
    cls: CompiledClass,
    rows: Prepared[],
    options: ImportOptions,
    problems: RowProblem[],
  ): Promise<number> {
    let written = 0;
    const insertAll = (tx: StorageTx, batch: Prepared[]) =>
      batch.reduce((done, p) => done.then(() => tx.insert(cls, p.row)), Promise.resolve());
    for (const batch of chunks(rows, options.batchSize ?? DEFAULT_BATCH)) {
      try {
        await this.storage.transaction((tx) => insertAll(tx, batch));
        written += batch.length;
      } catch {
        for (const p of batch) {
          try {
            await this.storage.transaction((tx) => insertAll(tx, [p]));
            written += 1;
          } catch (error) {
            problems.push({ index: p.index, objectId: String(p.row.objectId), reason: reasonOf(error) });
          }
        }
      }
      options.onProgress?.(batch.length);
    }
    return written;
  }
}

const UNIQUE_COLUMNS: Record<string, string[]> = { _User: ['_username_lower', '_email_lower'], _Role: ['name'] };
const UNIQUE_LABEL: Record<string, string> = { _username_lower: 'username', _email_lower: 'email' };
