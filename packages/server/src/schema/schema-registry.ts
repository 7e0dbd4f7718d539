/**
 * The live schema: every class compiled once, recompiled only when the Schema API changes it. Built-in
 * classes (Parse's system classes and the CRM classes) are created on first start; later starts keep
 * whatever the stored definitions say, so Schema API changes survive restarts.
 */
import type { StorageAdapter } from '../storage/adapter.js';
import { compileClass, type CompiledClass, type SchemaLookup } from './compiled.js';
import type { ClassSchema } from './types.js';
import type { InvalidationBus } from '../cluster/invalidation-bus.js';

export type SchemaListener = (className: string) => void;

/**
 * A release that adds fields or indexes to a built-in class (e.g. Deal.position) brings them to existing
 * installs; nothing stored is changed or removed, and a name already taken keeps its stored definition.
 */
export function withMissingBuiltIns(stored: ClassSchema, builtIn: ClassSchema): ClassSchema | null {
  const fields = Object.fromEntries(Object.entries(builtIn.fields).filter(([name]) => !Object.hasOwn(stored.fields, name)));
  const indexes = Object.fromEntries(
    Object.entries(builtIn.indexes ?? {}).filter(
      ([name, keys]) =>
        !Object.hasOwn(stored.indexes ?? {}, name) && Object.keys(keys).every((f) => f in fields || f in stored.fields),
    ),
  );
  if (Object.keys(fields).length === 0 && Object.keys(indexes).length === 0) return null;
  return { ...stored, fields: { ...stored.fields, ...fields }, indexes: { ...stored.indexes, ...indexes } };
}

export class SchemaRegistry implements SchemaLookup {
  private classes = new Map<string, CompiledClass>();
  private listeners: SchemaListener[] = [];

  private constructor(private readonly storage: StorageAdapter) {}

  static async open(storage: StorageAdapter, builtIn: readonly ClassSchema[], bus: InvalidationBus): Promise<SchemaRegistry> {
    const registry = new SchemaRegistry(storage);
    storage.useSchema(registry);
    // Another instance changed a class: read the definitions again (its DDL is already applied).
    bus.subscribe((message) => {
      if (message.kind === 'schema') void registry.reload().then(() => registry.notify('*'));
    });
    registry.onChange((className) => {
      if (className !== '*') bus.publish({ kind: 'schema' });
    });
    await registry.reload();
    for (const schema of builtIn) {
      const stored = registry.classes.get(schema.className);
      if (!stored) await registry.save(undefined, schema);
      else {
        const upgraded = withMissingBuiltIns(stored.schema, schema);
        if (upgraded) await registry.save(stored.schema, upgraded);
      }
    }
    return registry;
  }

  get(className: string): CompiledClass | undefined {
    return this.classes.get(className);
  }

  has(className: string): boolean {
    return this.classes.has(className);
  }

  all(): CompiledClass[] {
    return [...this.classes.values()].sort((a, b) => a.className.localeCompare(b.className));
  }

  /** Called when another instance changed the schema (multi-instance invalidation) and at start. */
  async reload(): Promise<void> {
    const stored = await this.storage.loadSchemas();
    this.classes = new Map(stored.map((s) => [s.className, compileClass(s)]));
  }

  async save(previous: ClassSchema | undefined, next: ClassSchema): Promise<CompiledClass> {
    await this.storage.saveSchema(previous, next);
    const compiled = compileClass(next);
    this.classes.set(next.className, compiled);
    this.notify(next.className);
    return compiled;
  }

  async remove(cls: CompiledClass): Promise<void> {
    await this.storage.deleteClass(cls.className, cls.relationFields);
    this.classes.delete(cls.className);
    this.notify(cls.className);
  }

  onChange(listener: SchemaListener): void {
    this.listeners.push(listener);
  }

  /** `*`: every class may have changed (a reload after another instance's change). */
  private notify(className: string): void {
    for (const listener of this.listeners) listener(className);
  }
}
