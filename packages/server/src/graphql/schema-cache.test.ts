import { describe, expect, it } from 'vitest';
import { builtInSchemas } from '../schema/builtin.js';
import { compileClass, type CompiledClass } from '../schema/compiled.js';
import type { Services } from '../service/services.js';
import { RequestRejected } from './errors.js';
import { SchemaCache } from './schema-cache.js';

function fakeServices() {
  let classes: CompiledClass[] = builtInSchemas().map(compileClass);
  const listeners: Array<(className: string) => void> = [];
  let builds = 0;
  const services = {
    config: { liveQueryClasses: ['Deal'] },
    schema: {
      all: () => {
        builds++;
        return classes;
      },
      onChange: (listener: (className: string) => void) => listeners.push(listener),
    },
  } as unknown as Services;
  return {
    services,
    builds: () => builds,
    change(next: CompiledClass[]) {
      classes = next;
      for (const listener of listeners) listener('*');
    },
  };
}

describe('SchemaCache', () => {
  it('builds once and reuses the schema until the class registry changes', () => {
    const fake = fakeServices();
    const cache = new SchemaCache(fake.services);
    const first = cache.current();
    expect(cache.current()).toBe(first);
    expect(fake.builds()).toBe(1);
    fake.change([
      ...builtInSchemas().map(compileClass),
      compileClass({ className: 'Lead', fields: {}, classLevelPermissions: {}, indexes: {} }),
    ]);
    const second = cache.current();
    expect(second).not.toBe(first);
    expect(second.schema.getQueryType()!.getFields().leads).toBeDefined();
    expect(fake.builds()).toBe(2);
  });

  it('caches parsed documents, and rejections, per schema version', () => {
    const version = new SchemaCache(fakeServices().services).current();
    const query = '{ deals { count } }';
    expect(version.document(query)).toBe(version.document(query));
    expect(() => version.document('{ nope }')).toThrow(RequestRejected);
    expect(() => version.document('{ nope }')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
