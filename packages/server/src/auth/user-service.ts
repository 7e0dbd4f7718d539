/**
 * Sign-up, log-in, log-out, the current user and password verification — Parse's /users, /login,
 * /logout, /users/me and /verifyPassword. Creating and updating users goes through the object service
 * (and so through the _User hooks and the same permission checks as any other write).
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Expr } from '../query/ast.js';
import type { SchemaLookup } from '../schema/compiled.js';
import type { StorageAdapter } from '../storage/adapter.js';
import type { ObjectService } from '../service/object-service.js';
import { encodeRow, type ParseObjectJson } from '../codec/row-codec.js';
import type { Auth } from '../security/auth.js';
import { ANONYMOUS } from '../security/auth.js';
import { passwordMatches } from './passwords.js';
import type { SessionStore } from './session-store.js';
import { hashToken } from './tokens.js';

export interface LoginInput {
  username?: unknown;
  email?: unknown;
  password?: unknown;
}

const invalidLogin = (): ParseError => new ParseError(ErrorCode.OBJECT_NOT_FOUND, 'Invalid username/password.');

export class UserService {
  constructor(
    private readonly objects: ObjectService,
    private readonly storage: StorageAdapter,
    private readonly schema: SchemaLookup,
    private readonly sessions: SessionStore,
    /** The CRM policy's "first user becomes admin" rule, when the policy is on. */
    private readonly onSignUp?: (userId: string) => Promise<unknown>,
  ) {}

  async signUp(auth: Auth, body: Record<string, unknown>, installationId?: string, requestId?: string): Promise<Record<string, unknown>> {
    const created = await this.objects.create(auth.isMaster ? auth : ANONYMOUS, '_User', body, { requestId });
    await this.onSignUp?.(created.objectId);
    const sessionToken = await this.sessions.create(created.objectId, { action: 'signup', installationId });
    return { ...created, sessionToken };
  }

  async logIn(input: LoginInput, installationId?: string): Promise<ParseObjectJson> {
    if (typeof input.password !== 'string' || input.password === '') {
      throw new ParseError(ErrorCode.PASSWORD_MISSING, 'password is required.');
    }
    const user = await this.findByLogin(input);
    if (!user || !(await passwordMatches(input.password, user.hash))) throw invalidLogin();
    const sessionToken = await this.sessions.create(user.object.objectId as string, { action: 'login', installationId });
    return { ...user.object, sessionToken };
  }

  async verifyPassword(input: LoginInput): Promise<ParseObjectJson> {
    if (typeof input.password !== 'string' || input.password === '') {
      throw new ParseError(ErrorCode.PASSWORD_MISSING, 'password is required.');
    }
    const user = await this.findByLogin(input);
    if (!user || !(await passwordMatches(input.password, user.hash))) throw invalidLogin();
    return user.object;
  }

  async logOut(auth: Auth): Promise<Record<string, never>> {
    if (auth.sessionToken) await this.sessions.end(auth.sessionToken);
    return {};
  }

  async me(auth: Auth): Promise<ParseObjectJson> {
    if (!auth.user || !auth.sessionToken) throw new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
    const user = await this.objects.get(auth, '_User', auth.user.objectId, {});
    return { ...user, sessionToken: auth.sessionToken };
  }

  /** `/sessions/me`: the caller's session object, with the token they presented. */
  async currentSession(auth: Auth): Promise<ParseObjectJson> {
    if (!auth.user || !auth.sessionToken) throw new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
    const sessions = this.schema.get('_Session')!;
    const where: Expr = { kind: 'compare', ref: { field: '_session_token_hash', type: 'String', path: [] }, op: 'eq', value: hashToken(auth.sessionToken) };
    const [row] = await this.storage.find({ cls: sessions, where, order: [], limit: 1, skip: 0, columns: [...sessions.columnFields, '_acl'] });
    if (!row) throw new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
    return { ...encodeRow(sessions, row), sessionToken: auth.sessionToken };
  }

  private async findByLogin(input: LoginInput): Promise<{ object: ParseObjectJson; hash: unknown } | null> {
    let where: Expr;
    if (typeof input.username === 'string' && input.username !== '') {
      where = { kind: 'compare', ref: { field: '_username_lower', type: 'String', path: [] }, op: 'eq', value: input.username.toLowerCase() };
    } else if (typeof input.email === 'string' && input.email !== '') {
      where = { kind: 'compare', ref: { field: '_email_lower', type: 'String', path: [] }, op: 'eq', value: input.email.toLowerCase() };
    } else {
      throw new ParseError(ErrorCode.USERNAME_MISSING, 'username/email is required.');
    }
    const users = this.schema.get('_User')!;
    const [row] = await this.storage.find({ cls: users, where, order: [], limit: 1, skip: 0, columns: [...users.columnFields, '_acl', '_hashed_password'] });
    if (!row) return null;
    return { object: encodeRow(users, row), hash: row._hashed_password };
  }
}
