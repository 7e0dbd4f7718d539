import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Parse's session token shape: `r:` + 32 hex characters. */
export const newSessionToken = (): string => `r:${randomBytes(16).toString('hex')}`;

/** Tokens are stored only as SHA-256 digests: a leaked database holds no usable session. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** One-time tokens (password reset, email verification). */
export const newOneTimeToken = (): string => randomBytes(24).toString('base64url');

/** Constant-time comparison of secrets of any length. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
