/**
 * Rules for every write to _User, whichever route it came through (/users, /classes/_User, batch):
 * the password becomes a bcrypt hash in an internal column, usernames and emails stay unique
 * case-insensitively (202/203), emails are well-formed (125), and a new user's ACL is private to them.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Expr } from '../query/ast.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { Row, StorageTx } from '../storage/adapter.js';
import type { ClassHooks, WriteTarget } from '../service/write-hooks.js';
import type { Auth } from '../security/auth.js';
import { parseAcl } from '../codec/acl.js';
import { hashPassword } from './passwords.js';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_PASSWORD_LENGTH = 512;

const eq = (field: string, value: string): Expr => ({
  kind: 'compare',
  ref: { field, type: 'String', path: [] },
  op: 'eq',
  value,
});
const ne = (field: string, value: string): Expr => ({
  kind: 'compare',
  ref: { field, type: 'String', path: [] },
  op: 'ne',
  value,
});

/**
 * `readableBySignedIn`: the CRM policy lets teammates read each other's accounts (the _User CLP then keeps
 * anonymous clients out and hides emails); plain Parse keeps a new account private to its owner.
 */
export interface PasswordPolicy {
  minLength: number;
  pattern?: RegExp;
}

export function userHooks(users: () => CompiledClass, readableBySignedIn: boolean, policy: PasswordPolicy): ClassHooks {
  async function taken(db: StorageTx, column: string, value: string, self: string): Promise<boolean> {
    const rows = await db.find({
      cls: users(),
      where: { kind: 'and', items: [eq(column, value), ne('objectId', self)] },
      order: [],
      limit: 1,
      skip: 0,
      columns: [],
    });
    return rows.length > 0;
  }

  return {
    guard(auth, _cls, operation, objectId) {
      if (operation !== 'create' && !auth.isMaster && !auth.user) {
        throw new ParseError(
          ErrorCode.SESSION_MISSING,
          operation === 'delete' ? 'Insufficient auth to delete user' : `Cannot modify user ${objectId}.`,
        );
      }
    },
    async prepare(auth: Auth, _cls: CompiledClass, body: Record<string, unknown>, target: WriteTarget): Promise<Row> {
      const internal: Row = {};
      const creating = target.mode === 'create';
      if ('username' in body || creating) {
        const username = body.username;
        if (typeof username !== 'string' || username.trim() === '') {
          throw new ParseError(ErrorCode.USERNAME_MISSING, 'bad or missing username');
        }
        internal._username_lower = username.toLowerCase();
        if (await taken(target.db, '_username_lower', username.toLowerCase(), target.objectId)) {
          throw new ParseError(ErrorCode.USERNAME_TAKEN, 'Account already exists for this username.');
        }
      }
      if ('password' in body || creating) {
        const password = body.password;
        if (typeof password !== 'string' || password === '')
          throw new ParseError(ErrorCode.PASSWORD_MISSING, 'password is required');
        if (
          password.length > MAX_PASSWORD_LENGTH ||
          password.length < policy.minLength ||
          (policy.pattern && !policy.pattern.test(password))
        ) {
          throw new ParseError(ErrorCode.VALIDATION_ERROR, 'Password does not meet the Password Policy requirements.');
        }
        internal._hashed_password = await hashPassword(password);
        delete body.password;
      }
      if ('email' in body) {
        const email = body.email;
        if (email === null || (typeof email === 'object' && (email as { __op?: string }).__op === 'Delete')) {
          internal._email_lower = null;
        } else {
          if (typeof email !== 'string' || !EMAIL_PATTERN.test(email))
            throw new ParseError(ErrorCode.INVALID_EMAIL_ADDRESS, 'Email address format is invalid.');
          internal._email_lower = email.toLowerCase();
          if (await taken(target.db, '_email_lower', email.toLowerCase(), target.objectId)) {
            throw new ParseError(ErrorCode.EMAIL_TAKEN, 'Account already exists for this email address.');
          }
        }
      }
      if ('emailVerified' in body && !auth.isMaster) {
        throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, "Clients aren't allowed to manually update email verification.");
      }
      return internal;
    },
    beforeCreate(_auth, _cls, write, objectId) {
      if (write.acl) return;
      write.acl = parseAcl({ ...(readableBySignedIn ? { '*': { read: true } } : {}), [objectId]: { read: true, write: true } });
    },
  };
}
