/**
 * Who cloud code is running for. A trigger or function runs inside a scope; the SDK calls it makes are
 * answered in-process with that scope's auth (unless they pass a session token or `useMasterKey`), and
 * join the scope's transaction when the trigger runs inside a write's transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Auth } from '../security/auth.js';
import type { StorageTx } from '../storage/adapter.js';

export interface CloudScope {
  auth: Auth;
  tx?: StorageTx;
  afterCommit?: Array<() => void>;
  /** Nesting of triggers/functions started by cloud code itself (a beforeSave that saves…). */
  depth: number;
  ip?: string;
}

/** A beforeSave saving an object of its own class would otherwise recurse until the stack overflows. */
export const MAX_CLOUD_DEPTH = 10;

export const cloudScope = new AsyncLocalStorage<CloudScope>();
