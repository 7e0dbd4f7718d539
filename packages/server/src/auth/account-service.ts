/**
 * Password reset and email verification: single-use tokens (stored as hashes, expiring) sent through the
 * mail adapter. Requesting a reset answers the same whether or not the address exists, so the endpoint cannot
 * be used to discover accounts (a deliberate difference from Parse's 205, see docs/DECISIONS.md).
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Expr } from '../query/ast.js';
import { TRUE } from '../query/ast.js';
import type { SchemaLookup } from '../schema/compiled.js';
import type { StorageAdapter } from '../storage/adapter.js';
import type { ObjectService } from '../service/object-service.js';
import type { MailAdapter } from '../mail/mail-adapter.js';
import { MASTER } from '../security/auth.js';
import type { SessionStore } from './session-store.js';
import { hashToken, newOneTimeToken } from './tokens.js';

const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

const eq = (field: string, value: string): Expr => ({
  kind: 'compare',
  ref: { field, type: 'String', path: [] },
  op: 'eq',
  value,
});

export class AccountService {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly schema: SchemaLookup,
    private readonly objects: ObjectService,
    private readonly sessions: SessionStore,
    private readonly mail: MailAdapter,
    private readonly links: { serverUrl: () => string; appId: string },
  ) {}

  private get users() {
    return this.schema.get('_User')!;
  }

  private async userBy(where: Expr, columns: string[]) {
    const [row] = await this.storage.find({ cls: this.users, where, order: [], limit: 1, skip: 0, columns });
    return row;
  }

  async requestPasswordReset(email: unknown): Promise<Record<string, never>> {
    if (typeof email !== 'string' || email === '') throw new ParseError(ErrorCode.EMAIL_MISSING, 'you must provide an email');
    const user = await this.userBy(eq('_email_lower', email.toLowerCase()), ['username', 'email']);
    if (!user) return {};
    const token = newOneTimeToken();
    await this.storage.update(this.users, user.objectId as string, TRUE, {
      _perishable_token: hashToken(token),
      _perishable_token_expires_at: new Date(Date.now() + RESET_TOKEN_TTL_MS).toISOString(),
    });
    const link = `${this.links.serverUrl()}/apps/${this.links.appId}/request_password_reset?token=${token}`;
    await this.mail.send({
      to: user.email as string,
      subject: 'Reset your password',
      text: `Hi ${String(user.username)},\n\nSomeone asked to reset your password. Choose a new one here (the link works once, for an hour):\n${link}\n\nIf it was not you, ignore this message.`,
    });
    return {};
  }

  async resetPassword(token: unknown, password: unknown): Promise<void> {
    if (typeof token !== 'string' || token === '')
      throw new ParseError(ErrorCode.OTHER_CAUSE, 'Invalid or expired password reset link.');
    const user = await this.userBy(eq('_perishable_token', hashToken(token)), ['_perishable_token_expires_at']);
    const expires = user?._perishable_token_expires_at;
    if (!user || typeof expires !== 'string' || expires < new Date().toISOString()) {
      throw new ParseError(ErrorCode.OTHER_CAUSE, 'Invalid or expired password reset link.');
    }
    const userId = user.objectId as string;
    await this.objects.update(MASTER, '_User', userId, { password });
    await this.storage.update(this.users, userId, TRUE, { _perishable_token: null, _perishable_token_expires_at: null });
    await this.sessions.endAllFor(userId);
  }

  /** Sends a verification link to a user's current address. */
  async sendVerification(userId: string): Promise<void> {
    const user = await this.userBy(eq('objectId', userId), ['username', 'email']);
    if (!user || typeof user.email !== 'string') return;
    const token = newOneTimeToken();
    await this.storage.update(this.users, userId, TRUE, { _email_verify_token: hashToken(token), emailVerified: false });
    const link = `${this.links.serverUrl()}/apps/${this.links.appId}/verify_email?token=${token}`;
    await this.mail.send({
      to: user.email,
      subject: 'Verify your email address',
      text: `Hi ${String(user.username)},\n\nConfirm your address by opening:\n${link}\n`,
    });
  }

  async requestVerification(email: unknown): Promise<Record<string, never>> {
    if (typeof email !== 'string' || email === '') throw new ParseError(ErrorCode.EMAIL_MISSING, 'you must provide an email');
    const user = await this.userBy(eq('_email_lower', email.toLowerCase()), ['emailVerified']);
    if (user && user.emailVerified !== true && user.emailVerified !== 1) await this.sendVerification(user.objectId as string);
    return {};
  }

  async verifyEmail(token: unknown): Promise<boolean> {
    if (typeof token !== 'string' || token === '') return false;
    const user = await this.userBy(eq('_email_verify_token', hashToken(token)), []);
    if (!user) return false;
    await this.storage.update(this.users, user.objectId as string, TRUE, { emailVerified: true, _email_verify_token: null });
    return true;
  }
}
