/**
 * The Schema API's operations (master key only; the route enforces that): list, get, create, update and
 * delete classes. Validation lives in schema/validate-schema.ts; storage applies the DDL.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { assertClassName, buildNewClass, buildUpdatedClass, schemaToJson } from '../schema/validate-schema.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { TRUE } from '../query/ast.js';

const PROTECTED_CLASSES = new Set(['_User', '_Session', '_Role']);

export class SchemaService {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly registry: SchemaRegistry,
  ) {}

  list(): { results: Record<string, unknown>[] } {
    return { results: this.registry.all().map((c) => schemaToJson(c.schema)) };
  }

  get(className: string): Record<string, unknown> {
    assertClassName(className);
    const cls = this.registry.get(className);
    if (!cls) throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `Class ${className} does not exist.`);
    return schemaToJson(cls.schema);
  }

  async create(className: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (className === '') throw new ParseError(ErrorCode.MISSING_CLASS_NAME, 'POST /schemas needs a class name.');
    assertClassName(className);
    if (className.startsWith('_')) {
      throw new ParseError(
        ErrorCode.INVALID_CLASS_NAME,
        `Invalid classname: ${className}, classnames can only have alphanumeric characters and _, and must start with an alpha character `,
      );
    }
    if (this.registry.has(className)) throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `Class ${className} already exists.`);
    const schema = buildNewClass(className, body, (c) => this.registry.has(c));
    await this.registry.save(undefined, schema);
    return schemaToJson(schema);
  }

  async update(className: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    assertClassName(className);
    const current = this.registry.get(className);
    if (!current) throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `Class ${className} does not exist.`);
    const next = buildUpdatedClass(current.schema, body, (c) => this.registry.has(c));
    await this.registry.save(current.schema, next);
    return schemaToJson(next);
  }

  async delete(className: string): Promise<Record<string, never>> {
    assertClassName(className);
    const cls = this.registry.get(className);
    if (!cls) return {};
    if (PROTECTED_CLASSES.has(className)) {
      throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, `Class ${className} is a system class and cannot be deleted.`);
    }
    const count = await this.storage.count(cls, TRUE);
    if (count > 0) {
      throw new ParseError(
        ErrorCode.CLASS_NOT_EMPTY,
        `Class ${className} is not empty, contains ${count} objects, cannot drop schema.`,
      );
    }
    await this.registry.remove(cls);
    return {};
  }
}
