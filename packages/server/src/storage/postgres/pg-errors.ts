/**
 * PostgreSQL errors the adapter answers for itself: unique violations become Parse's DUPLICATE_VALUE, as
 * in the SQLite adapter; a stale prepared plan is recognised so the statement can be renamed and retried.
 */
import { ErrorCode, ParseError } from '../../errors/parse-error.js';

const UNIQUE_VIOLATION = '23505';
const FEATURE_NOT_SUPPORTED = '0A000';

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? ((error as { code?: unknown }).code as string | undefined) : undefined;

export function translatePgError(error: unknown): unknown {
  if (codeOf(error) === UNIQUE_VIOLATION) {
    return new ParseError(ErrorCode.DUPLICATE_VALUE, 'A duplicate value for a field with unique values was provided');
  }
  return error;
}

/** "cached plan must not change result type": a prepared SELECT whose columns changed type under it. */
export function isStalePlan(error: unknown): boolean {
  return codeOf(error) === FEATURE_NOT_SUPPORTED && /cached plan/.test((error as Error).message ?? '');
}
