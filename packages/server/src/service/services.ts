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
import { SessionStore } from '../auth/session-store.js';
import { UserService } from '../auth/user-service.js';
import { userHooks } from '../auth/user-hooks.js';
import { roleHooks } from '../auth/role-hooks.js';
import { crmPolicyHooks, OWNER_FIELD, withPolicyPermissions } from '../crm/policy.js';
import { ensurePolicyRoles, promoteFirstUser } from '../crm/bootstrap.js';
import { LoginLockout } from '../auth/login-lockout.js';
import { AccountService } from '../auth/account-service.js';
import { createMailAdapter } from '../mail/mail-adapter.js';
import { LocalChangeFeed, RedisChangeFeed, type ChangeFeed } from '../livequery/change-feed.js';
import { FunctionRegistry } from '../functions/function-registry.js';
import { webhookSchemas, WEBHOOK_CLASS } from '../webhooks/schema.js';
import { webhookHooks } from '../webhooks/webhook-hooks.js';
import { isEventSource } from '../webhooks/events.js';
import { duplicateHooks } from '../duplicates/duplicate-hooks.js';
import { DUPLICATE_KEYS, type DedupeClass } from '../duplicates/keys.js';
import { upgradeDuplicateKeys } from '../duplicates/upgrade.js';
import { registerMergeFunctions } from '../duplicates/merge-functions.js';
import { registerImportFunctions } from '../importing/import-functions.js';
import { createRollupFolder, registerForecast } from '../forecast/register.js';
import type { RollupFolder } from '../forecast/rollup-folder.js';
import { LocalInvalidationBus, PgNotifyBus, type InvalidationBus } from '../cluster/invalidation-bus.js';
import { SearchService } from '../search/search-service.js';
import { registerSearchFunction } from '../search/search-function.js';

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
  users: UserService;
  accounts: AccountService;
  feed: ChangeFeed;
  bus: InvalidationBus;
  functions: FunctionRegistry;
  search: SearchService;
  /** Folds the forecast rollup's deltas in the background once started (forecast/rollup-folder.ts). */
  rollupFolder: RollupFolder;
}

/** `serverUrl` is read lazily: with PORT=0 the URL is known only after listen. */
export async function createServices(config: ServerConfig, storage: StorageAdapter, serverUrl: () => string): Promise<Services> {
  await storage.init();
  const builtIn = [
    ...(config.crmPolicy ? withPolicyPermissions(builtInSchemas()) : builtInSchemas()),
    ...webhookSchemas(config.crmPolicy),
  ];
  const bus: InvalidationBus = config.databaseUrl
    ? await PgNotifyBus.connect(config.databaseUrl, config.databaseSchema)
    : new LocalInvalidationBus();
  const schema = await SchemaRegistry.open(storage, builtIn, bus);
  const hooks = new WriteHooks();
  const sessions = new SessionResolver(storage, schema, bus);
  const passwordPolicy = {
    minLength: config.passwordMinLength,
    pattern: config.passwordPattern ? new RegExp(config.passwordPattern) : undefined,
  };
  hooks.register(
    '_User',
    userHooks(() => schema.get('_User')!, config.crmPolicy, passwordPolicy),
  );
  hooks.register(
    '_Role',
    roleHooks(() => schema.get('_Role')!, sessions),
  );
  // A session ended through /sessions must stop authenticating at once, not when its cache entry ages out.
  hooks.register('_Session', { afterWrite: () => sessions.invalidate() });
  hooks.register(WEBHOOK_CLASS, webhookHooks(config.webhookAllowedHosts));
  if (config.crmPolicy) {
    for (const className of Object.keys(OWNER_FIELD)) hooks.register(className, crmPolicyHooks(className, schema));
    await ensurePolicyRoles(storage, schema);
  }
  // Contacts by email, companies by web domain: keys and duplicate flags on every write, whatever the policy.
  for (const className of Object.keys(DUPLICATE_KEYS) as DedupeClass[])
    hooks.register(className, duplicateHooks(className, schema));
  await upgradeDuplicateKeys(schema, storage, builtIn);
  // One channel per install (app id + PostgreSQL schema), so installs sharing a Redis never hear each other.
  const channel = `crm:changes:${config.appId}:${config.databaseSchema ?? 'public'}`;
  const feed: ChangeFeed = config.redisUrl ? await RedisChangeFeed.connect(config.redisUrl, channel) : new LocalChangeFeed();
  const objects = new ObjectService(storage, schema, config, hooks, feed, new Set(config.liveQueryClasses));
  // Webhooks hear about every CRM class's changes, on the instance that made them (webhooks/dispatcher.ts).
  if (config.webhooks) objects.watchLocally(isEventSource);
  const sessionStore = new SessionStore(storage, schema, sessions, config.sessionLengthMs);
  const lockout = new LoginLockout(
    storage,
    () => schema.get('_User')!,
    config.accountLockoutThreshold,
    config.accountLockoutMinutes,
  );
  const accounts = new AccountService(storage, schema, objects, sessionStore, createMailAdapter(config), {
    serverUrl,
    appId: config.appId,
  });
  // Full-text indexes exist before the first request; classes indexed for the first time are built from their rows.
  const search = new SearchService(storage, schema);
  await search.ensureIndexes();
  const functions = new FunctionRegistry();
  registerSearchFunction(functions, search);
  const afterSignUp = async (userId: string) => {
    if (config.crmPolicy) await promoteFirstUser(storage, schema, userId);
    if (config.verifyUserEmails) await accounts.sendVerification(userId);
  };
  const services: Services = {
    config,
    storage,
    schema,
    hooks,
    objects,
    users: new UserService(objects, storage, schema, sessionStore, lockout, afterSignUp),
    accounts,
    feed,
    bus,
    schemas: new SchemaService(storage, schema),
    aggregate: new AggregateService(storage, schema),
    sessions,
    gate: new AuthGate(config, sessions),
    functions,
    search,
    rollupFolder: createRollupFolder(storage),
  };
  registerMergeFunctions(services.functions);
  registerImportFunctions(services.functions);
  await registerForecast(services);
  return services;
}
