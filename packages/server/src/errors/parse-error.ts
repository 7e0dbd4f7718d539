/**
 * The one registry of Parse error codes. Every failure the server reports to a client is a ParseError
 * (or one of the few non-coded HTTP errors below), so handlers never invent status codes themselves.
 * Codes are Parse's public wire facts; HTTP statuses follow parse-server 9 (101 → 404, 1 → 500, rest → 400).
 */
export const ErrorCode = {
  INTERNAL_SERVER_ERROR: 1,
  OTHER_CAUSE: -1,
  CONNECTION_FAILED: 100,
  OBJECT_NOT_FOUND: 101,
  INVALID_QUERY: 102,
  INVALID_CLASS_NAME: 103,
  MISSING_OBJECT_ID: 104,
  INVALID_KEY_NAME: 105,
  INVALID_POINTER: 106,
  INVALID_JSON: 107,
  COMMAND_UNAVAILABLE: 108,
  INCORRECT_TYPE: 111,
  OBJECT_TOO_LARGE: 116,
  OPERATION_FORBIDDEN: 119,
  INVALID_NESTED_KEY: 121,
  INVALID_ACL: 123,
  TIMEOUT: 124,
  INVALID_EMAIL_ADDRESS: 125,
  MISSING_CLASS_NAME: 135,
  DUPLICATE_VALUE: 137,
  INVALID_ROLE_NAME: 139,
  SCRIPT_FAILED: 141,
  VALIDATION_ERROR: 142,
  REQUEST_LIMIT_EXCEEDED: 155,
  DUPLICATE_REQUEST: 159,
  INVALID_VALUE: 162,
  USERNAME_MISSING: 200,
  PASSWORD_MISSING: 201,
  USERNAME_TAKEN: 202,
  EMAIL_TAKEN: 203,
  EMAIL_MISSING: 204,
  EMAIL_NOT_FOUND: 205,
  SESSION_MISSING: 206,
  INVALID_SESSION_TOKEN: 209,
  CLASS_NOT_EMPTY: 255,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export class ParseError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** Only for the rare case Parse's mapping does not fit (429 for rate limits). */
    private readonly statusOverride?: number,
  ) {
    super(message);
    this.name = 'ParseError';
  }

  get httpStatus(): number {
    if (this.statusOverride) return this.statusOverride;
    if (this.code === ErrorCode.OBJECT_NOT_FOUND) return 404;
    if (this.code === ErrorCode.INTERNAL_SERVER_ERROR) return 500;
    return 400;
  }

  toJSON(): { code: number; error: string } {
    return { code: this.code, error: this.message };
  }
}

/** Errors Parse answers without a `code`: wrong application id / client key, master-only routes. */
export class HttpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toJSON(): { error: string } {
    return { error: this.message };
  }
}

export const unauthorized = (): HttpError => new HttpError(403, 'unauthorized');
export const permissionDenied = (): HttpError => new HttpError(403, 'Permission denied');

export const objectNotFound = (message = 'Object not found.'): ParseError => new ParseError(ErrorCode.OBJECT_NOT_FOUND, message);
export const invalidQuery = (message: string): ParseError => new ParseError(ErrorCode.INVALID_QUERY, message);
export const invalidKey = (key: string): ParseError => new ParseError(ErrorCode.INVALID_KEY_NAME, `Invalid field name: ${key}.`);
export const incorrectType = (message: string): ParseError => new ParseError(ErrorCode.INCORRECT_TYPE, message);
export const invalidJson = (message: string): ParseError => new ParseError(ErrorCode.INVALID_JSON, message);
