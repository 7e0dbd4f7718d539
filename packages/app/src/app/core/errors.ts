import Parse from 'parse';

/** A sentence a salesperson can act on, for any error the SDK or our code can throw. */
export function describeError(error: unknown): string {
  const code = error instanceof Parse.Error ? error.code : undefined;
  switch (code) {
    case Parse.Error.CONNECTION_FAILED:
      return 'The server cannot be reached. Check your connection.';
    case Parse.Error.OBJECT_NOT_FOUND:
      return 'It no longer exists, or you do not have access to it.';
    case Parse.Error.OPERATION_FORBIDDEN:
      return 'You do not have permission to do that.';
    case Parse.Error.INVALID_SESSION_TOKEN:
      return 'Your session has expired. Please sign in again.';
    case Parse.Error.USERNAME_TAKEN:
      return 'That username is already taken.';
    case Parse.Error.EMAIL_TAKEN:
      return 'An account already uses that email address.';
    case Parse.Error.VALIDATION_ERROR:
    case Parse.Error.INVALID_EMAIL_ADDRESS:
      return (error as Parse.Error).message || 'Some values are not valid.';
  }
  if (error instanceof Parse.Error && error.message) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}

export function isConnectionError(error: unknown): boolean {
  return error instanceof Parse.Error && error.code === Parse.Error.CONNECTION_FAILED;
}
