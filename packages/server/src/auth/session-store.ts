/**
 * Creating and ending sessions. A session row keeps only the token's hash; the clear token is returned once
 * to the client that logged in.
 */
import type { SchemaLookup } from '../schema/compiled.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { TRUE } from '../query/ast.js';
import { newObjectId } from '../service/ids.js';
import { hashToken, newSessionToken } from './tokens.js';
import type { SessionResolver } from './session-resolver.js';

export interface SessionOptions {
  action: 'signup' | 'login' | 'upgrade';
  installationId?: string;
}

export class SessionStore {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly schema: SchemaLookup,
    private readonly resolver: SessionResolver,
    private readonly lengthMs: number,
  ) {}

  async create(userId: string, options: SessionOptions): Promise<string> {
    const token = newSessionToken();
    const now = new Date();
    const acl = { [userId]: { read: true, write: true } };
    await this.storage.insert(this.schema.get('_Session')!, {
      objectId: newObjectId(),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      user: userId,
      installationId: options.installationId ?? null,
      expiresAt: new Date(now.getTime() + this.lengthMs).toISOString(),
      createdWith: JSON.stringify({ action: options.action, authProvider: 'password' }),
      restricted: false,
      _session_token_hash: hashToken(token),
      _acl: JSON.stringify(acl),
      _rperm: [userId],
      _wperm: [userId],
    });
    return token;
  }

  /** Ends the session holding this token; true when there was one. */
  async end(token: string): Promise<boolean> {
    const sessions = this.schema.get('_Session')!;
    const rows = await this.storage.find({
      cls: sessions,
      where: {
        kind: 'compare',
        ref: { field: '_session_token_hash', type: 'String', path: [] },
        op: 'eq',
        value: hashToken(token),
      },
      order: [],
      limit: 1,
      skip: 0,
      columns: [],
    });
    const ended = rows[0] ? await this.storage.delete(sessions, rows[0].objectId as string, TRUE) : false;
    // After the delete: invalidation makes LiveQuery re-check the token, which must then find no session.
    this.resolver.invalidate(token);
    return ended;
  }

  /** Ends every session of a user (after a password reset). */
  async endAllFor(userId: string): Promise<void> {
    const sessions = this.schema.get('_Session')!;
    const rows = await this.storage.find({
      cls: sessions,
      where: { kind: 'compare', ref: { field: 'user', type: 'Pointer', path: [] }, op: 'eq', value: userId },
      order: [],
      limit: 100_000,
      skip: 0,
      columns: [],
    });
    for (const row of rows) await this.storage.delete(sessions, row.objectId as string, TRUE);
    this.resolver.invalidate();
  }
}
