/**
 * Account lockout: after `threshold` failed logins in a row, the account refuses logins for `minutes`,
 * whatever the password (so guessing cannot continue from many addresses either).
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { TRUE } from '../query/ast.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { Row, StorageAdapter } from '../storage/adapter.js';

export class LoginLockout {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly users: () => CompiledClass,
    private readonly threshold: number,
    private readonly minutes: number,
  ) {}

  async assertUnlocked(user: Row): Promise<void> {
    const until = user._account_lockout_expires_at;
    if (this.threshold > 0 && typeof until === 'string' && until > new Date().toISOString()) {
      throw new ParseError(
        ErrorCode.OBJECT_NOT_FOUND,
        `Your account is locked due to multiple failed login attempts. Please try again after ${this.minutes} minute(s)`,
      );
    }
  }

  async recordFailure(user: Row): Promise<void> {
    if (this.threshold <= 0) return;
    const failures = Number(user._failed_login_count ?? 0) + 1;
    const locked = failures >= this.threshold;
    await this.storage.update(this.users(), user.objectId as string, TRUE, {
      _failed_login_count: locked ? 0 : failures,
      _account_lockout_expires_at: locked
        ? new Date(Date.now() + this.minutes * 60_000).toISOString()
        : (user._account_lockout_expires_at ?? null),
    });
  }

  async recordSuccess(user: Row): Promise<void> {
    if (this.threshold <= 0 || (!user._failed_login_count && !user._account_lockout_expires_at)) return;
    await this.storage.update(this.users(), user.objectId as string, TRUE, {
      _failed_login_count: 0,
      _account_lockout_expires_at: null,
    });
  }
}
