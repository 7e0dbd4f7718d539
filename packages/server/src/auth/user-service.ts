/**
 * Sign-up, log-in, log-out, the current user and password verification — Parse's /users, /login,
 * /logout, /users/me and /verifyPassword. Creating and updating users goes through the object service
 * (and so through the _User hooks and the same permission checks as any other write).
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Expr } from '../query/ast.js';
import type { SchemaLookup } from '../schema/compiled.js';
import type { Row, StorageAdapter } from '../storage/adapter.js';
import type { LoginLockout } from './login-lockout.js';
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
    private readonly lockout: LoginLockout,
    /** After a new account exists: the CRM policy's first-admin rule, the verification email. */
    private readonly afterSignUp: (userId: string) => Promise<unknown>,
  ) {}

  async signUp(
    auth: Auth,
    body: Record<string, unknown>,
    installationId?: string,
    requestId?: string,
  ): Promise<Record<string, unknown>> {
    const created = await this.objects.create(auth.isMaster ? auth : ANONYMOUS, '_User', body, { requestId });
    await this.afterSignUp(created.objectId);
    const sessionToken = await this.sessions.create(created.objectId, { action: 'signup', installationId });
    return { ...created, sessionToken };
  }

  async logIn(input: LoginInput, installationId?: string): Promise<ParseObjectJson> {
    const user = await this.checkPassword(input);
    await this.lockout.recordSuccess(user.row);
    const sessionToken = await this.sessions.create(user.object.objectId as string, { action: 'login', installationId });
    return { ...user.object, sessionToken };
  }

  async verifyPassword(input: LoginInput): Promise<ParseObjectJson> {
    return (await this.checkPassword(input)).object;
  }

  /** The account these credentials open, counting failures towards lockout; 101 for any mismatch. */
  private async checkPassword(input: LoginInput): Promise<{ object: ParseObjectJson; row: Row }> {
    if (typeof input.password !== 'string' || input.password === '') {
      throw new ParseError(ErrorCode.PASSWORD_MISSING, 'password is required.');
    }
    const user = await this.findByLogin(input);
    if (!user) throw invalidLogin();
    await this.lockout.assertUnlocked(user.row);
    if (!(await passwordMatches(input.password, user.row._hashed_password))) {
      await this.lockout.recordFailure(user.row);
      throw invalidLogin();
    }
    return user;
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
    const where: Expr = {
      kind: 'compare',
      ref: { field: '_session_token_hash', type: 'String', path: [] },
      op: 'eq',
      value: hashToken(auth.sessionToken),
    };
    const [row] = await this.storage.find({
      cls: sessions,
      where,
      order: [],
      limit: 1,
      skip: 0,
      columns: [...sessions.columnFields, '_acl'],
    });
    if (!row) throw new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
    return { ...encodeRow(sessions, row), sessionToken: auth.sessionToken };
  }

  private async findByLogin(input: LoginInput): Promise<{ object: ParseObjectJson; row: Row } | null> {
    let where: Expr;
    if (typeof input.username === 'string' && input.username !== '') {
      where = {
        kind: 'compare',
        ref: { field: '_username_lower', type: 'String', path: [] },
        op: 'eq',
        value: input.username.toLowerCase(),
      };
    } else if (typeof input.email === 'string' && input.email !== '') {
      where = {
        kind: 'compare',
        ref: { field: '_email_lower', type: 'String', path: [] },
        op: 'eq',
        value: input.email.toLowerCase(),
      };
    } else {
      throw new ParseError(ErrorCode.USERNAME_MISSING, 'username/email is required.');
    }
    const users = this.schema.get('_User')!;
    const columns = [...users.columnFields, '_acl', '_hashed_password', '_failed_login_count', '_account_lockout_expires_at'];
    const [row] = await this.storage.find({ cls: users, where, order: [], limit: 1, skip: 0, columns });
    if (!row) return null;
    return { object: encodeRow(users, row), row };
  }
}
