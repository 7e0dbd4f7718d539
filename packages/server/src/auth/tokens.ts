import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Parse's session token shape: `r:` + 32 hex characters. */
export const newSessionToken = (): string => `r:${randomBytes(16).toString('hex')}`;

/** Tokens are stored only as SHA-256 digests: a leaked database holds no usable session. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** One-time tokens (password reset, email verification). */
export const newOneTimeToken = (): string => randomBytes(24).toString('base64url');

const digests = new Map<string, Buffer>();

/** The expected side's digest is computed once per secret (keys are few and fixed). */
function digestOf(secret: string): Buffer {
  let digest = digests.get(secret);
  if (!digest) {
    digest = createHash('sha256').update(secret).digest();
    if (digests.size < 64) digests.set(secret, digest);
  }
  return digest;
}

/** Constant-time comparison of secrets of any length: equal-length digests, compared in constant time. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, digestOf(expected)) && given.length === expected.length;
}
