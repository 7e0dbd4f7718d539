/**
 * Failures a user can act on end the command with one line and exit code 1; only a bug deserves a stack
 * trace, and even that only when CRM_DEBUG asks for it.
 */
import { ConfigError } from '../config/config.js';
import { HttpError, ParseError } from '../errors/parse-error.js';

/** A failure the user caused or can fix (bad argument, missing file, name taken). */
export class CliError extends Error {
  override name = 'CliError';
}

/** The one line to show, and whether it is a bug rather than the user's mistake. */
export function describeFailure(error: unknown): { message: string; unexpected: boolean } {
  if (error instanceof CliError || error instanceof ConfigError) return { message: error.message, unexpected: false };
  if (error instanceof ParseError) return { message: `${error.message} (Parse error ${error.code})`, unexpected: false };
  if (error instanceof HttpError) return { message: error.message, unexpected: false };
  const code = (error as { code?: unknown } | null)?.code;
  // Files, and reaching PostgreSQL (SQLSTATE classes 08 connection, 28 authorization, 3D unknown database).
  if (
    typeof code === 'string' &&
    /^(ENOENT|EACCES|EEXIST|ENOTDIR|EISDIR|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|(08|28|3D)[0-9A-Z]{3})$/.test(code)
  ) {
    return { message: (error as Error).message, unexpected: false };
  }
  return { message: error instanceof Error ? error.message : String(error), unexpected: true };
}
