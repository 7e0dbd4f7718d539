/**
 * Wiring: storage → schema → services. Built once at start; every API front end receives this object.
 */
import type { ServerConfig } from '../config/config.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { SchemaRegistry } from '../schema/schema-registry.js';
import { builtInSchemas } from '../schema/builtin.js';
import { ObjectService } from './object-service.js';
import { SchemaService } from './schema-service.js';
import { AggregateService } from './aggregate-service.js';
import { WriteHooks } from './write-hooks.js';
import { SessionResolver } from '../auth/session-resolver.js';
import { AuthGate } from '../auth/resolve-auth.js';

export interface Services {
  config: ServerConfig;
  storage: StorageAdapter;
  schema: SchemaRegistry;
  hooks: WriteHooks;
  objects: ObjectService;
  schemas: SchemaService;
  aggregate: AggregateService;
  sessions: SessionResolver;
  gate: AuthGate;
}

export async function createServices(config: ServerConfig, storage: StorageAdapter): Promise<Services> {
  await storage.init();
  const schema = await SchemaRegistry.open(storage, builtInSchemas());
  const hooks = new WriteHooks();
  const sessions = new SessionResolver(storage, schema);
  return {
    config,
    storage,
    schema,
    hooks,
    objects: new ObjectService(storage, schema, config, hooks),
    schemas: new SchemaService(storage, schema),
    aggregate: new AggregateService(storage, schema),
    sessions,
    gate: new AuthGate(config, sessions),
  };
}
