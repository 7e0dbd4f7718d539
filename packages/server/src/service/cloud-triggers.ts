/**
 * The object service's view of cloud code triggers (Parse's beforeSave/afterSave/beforeDelete/afterDelete).
 * The service decides *when* they run — after the permission checks, inside the write's transaction for the
 * before* triggers, after commit for the after* ones — so REST, batch and GraphQL writes run them exactly
 * once; src/cloud/ decides *how* (Parse SDK objects, the hooks file's functions).
 */
import type { CompiledClass } from '../schema/compiled.js';
import type { Auth } from '../security/auth.js';
import type { Row, StorageTx } from '../storage/adapter.js';

export type TriggerName = 'beforeSave' | 'afterSave' | 'beforeDelete' | 'afterDelete';

/** Who wrote, and where a trigger's own data access must go. */
export interface TriggerScope {
  auth: Auth;
  /** The write's open transaction (before* triggers of updates, deletes and transactional batches). */
  tx?: StorageTx;
  /** With `tx`: where writes made by the trigger queue their after-commit work. */
  afterCommit?: Array<() => void>;
  /** Parse's per-request `context` (the SDK's `save(null, {context})`), shared by the request's triggers. */
  context: Record<string, unknown>;
}

export interface BeforeSaveResult {
  /** The wire body to write: the caller's body with the trigger's changes applied. */
  body: Record<string, unknown>;
  /** Fields the trigger changed; the response echoes their stored values so the client sees them. */
  changed: string[];
}

export interface CloudTriggers {
  has(className: string, trigger: TriggerName): boolean;
  /** May change the body or throw a ParseError (the write fails, nothing is written). */
  beforeSave(
    cls: CompiledClass,
    body: Record<string, unknown>,
    original: Row | null,
    scope: TriggerScope,
  ): Promise<BeforeSaveResult>;
  /** Never rejects: errors are logged, the write has committed. */
  afterSave(cls: CompiledClass, object: Row, original: Row | null, scope: TriggerScope): Promise<void>;
  beforeDelete(cls: CompiledClass, object: Row, scope: TriggerScope): Promise<void>;
  /** Never rejects. */
  afterDelete(cls: CompiledClass, object: Row, scope: TriggerScope): Promise<void>;
}

/** Until a hooks file is loaded: no class has triggers. */
export const NO_TRIGGERS: CloudTriggers = {
  has: () => false,
  beforeSave: async (_cls, body) => ({ body, changed: [] }),
  afterSave: async () => undefined,
  beforeDelete: async () => undefined,
  afterDelete: async () => undefined,
};
