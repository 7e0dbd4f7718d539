/**
 * Session token → user and roles. Looked up by the token's hash, cached briefly in process so a busy
 * client does not cost a session query per request; logout and role changes invalidate the cache.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Expr } from '../query/ast.js';
import type { SchemaLookup } from '../schema/compiled.js';
import type { StorageAdapter } from '../storage/adapter.js';
import type { Auth } from '../security/auth.js';
import { hashToken } from './tokens.js';
import type { InvalidationBus } from '../cluster/invalidation-bus.js';

const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;
const MAX_ROLE_DEPTH = 20;

interface CachedSession {
  auth: Auth;
  expiresAt: number;
  tokenHash: string;
}

const ref = (field: string, type: 'String' | 'Pointer' | 'Date' = 'String') => ({ field, type, path: [] as string[] });

export class SessionResolver {
  /**
   * Keyed by the token as presented, so a cached request costs no SHA-256; entries carry the hash, the form
   * other instances name a session by when they invalidate it.
   */
  private cache = new Map<string, CachedSession>();
  /** Told whenever sessions (one hash, or all) may have changed: LiveQuery re-checks its connections. */
  private readonly watchers: Array<(tokenHash?: string) => void> = [];

  constructor(
    private readonly storage: StorageAdapter,
    private readonly schema: SchemaLookup,
    private readonly bus: InvalidationBus,
  ) {
    bus.subscribe((message) => {
      if (message.kind === 'roles') this.forget();
      if (message.kind === 'sessions') this.forget(message.tokenHash);
    });
  }

  async resolve(token: string): Promise<Auth> {
    const cached = this.cache.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.auth;
    const { auth, sessionExpiresAt } = await this.load(token);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    // Never cache past the session's own expiry.
    this.cache.set(token, {
      auth,
      expiresAt: Math.min(Date.now() + CACHE_TTL_MS, sessionExpiresAt),
      tokenHash: hashToken(token),
    });
    return auth;
  }

  /** A session ended (one token) or sessions changed (all), here and on every other instance. */
  invalidate(token?: string): void {
    const tokenHash = token ? hashToken(token) : undefined;
    this.forget(tokenHash);
    this.bus.publish({ kind: 'sessions', tokenHash });
  }

  /** Role membership changed: every cached session's roles may be stale, here and elsewhere. */
  invalidateRoles(): void {
    this.forget();
    this.bus.publish({ kind: 'roles' });
  }

  private forget(tokenHash?: string): void {
    if (tokenHash) {
      for (const [token, entry] of this.cache) if (entry.tokenHash === tokenHash) this.cache.delete(token);
    } else this.cache.clear();
    for (const watcher of this.watchers) watcher(tokenHash);
  }

  onInvalidate(watcher: (tokenHash?: string) => void): void {
    this.watchers.push(watcher);
  }

  private async load(token: string): Promise<{ auth: Auth; sessionExpiresAt: number }> {
    const sessions = this.schema.get('_Session')!;
    const users = this.schema.get('_User')!;
    const [session] = await this.storage.find({
      cls: sessions,
      where: { kind: 'compare', ref: ref('_session_token_hash'), op: 'eq', value: hashToken(token) },
      order: [],
      limit: 1,
      skip: 0,
      columns: ['user', 'expiresAt'],
    });
    if (!session || typeof session.user !== 'string') throw invalidToken();
    if (typeof session.expiresAt === 'string' && session.expiresAt < new Date().toISOString()) throw invalidToken();
    const [user] = await this.storage.find({
      cls: users,
      where: { kind: 'compare', ref: ref('objectId'), op: 'eq', value: session.user },
      order: [],
      limit: 1,
      skip: 0,
      columns: ['username'],
    });
    if (!user) throw invalidToken();
    const roles = await this.rolesOf(session.user);
    const auth = Object.freeze({
      isMaster: false,
      user: { objectId: session.user, username: user.username as string },
      sessionToken: token,
      roles,
    });
    const sessionExpiresAt = typeof session.expiresAt === 'string' ? Date.parse(session.expiresAt) : Number.POSITIVE_INFINITY;
    return { auth, sessionExpiresAt };
  }

  /** Direct roles, then every role whose `roles` relation holds one already found (nested roles), cycle-safe. */
  async rolesOf(userId: string): Promise<string[]> {
    const roleClass = this.schema.get('_Role')!;
    const names = new Map<string, string>();
    let frontier: Expr = { kind: 'relationContains', key: 'users', relatedId: userId };
    for (let depth = 0; depth < MAX_ROLE_DEPTH; depth++) {
      const rows = await this.storage.find({
        cls: roleClass,
        where: frontier,
        order: [],
        limit: 1000,
        skip: 0,
        columns: ['name'],
      });
      const fresh = rows.filter((r) => !names.has(r.objectId as string));
      if (fresh.length === 0) break;
      for (const row of fresh) names.set(row.objectId as string, row.name as string);
      frontier = {
        kind: 'or',
        items: fresh.map((r) => ({ kind: 'relationContains', key: 'roles', relatedId: r.objectId as string }) as Expr),
      };
    }
    return [...names.values()];
  }
}

export const invalidToken = (): ParseError => new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
