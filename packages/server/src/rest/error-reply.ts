/**
 * Any error → the status and body Parse clients expect. Parse errors keep their code; framework errors
 * (body too large, bad encoding) become coded Parse errors; anything unexpected is a 500 with code 1 and no
 * detail (it is logged instead).
 */
import { ErrorCode, HttpError, ParseError } from '../errors/parse-error.js';

export interface ErrorReply {
  status: number;
  body: unknown;
}

const FRAMEWORK_ERRORS: Record<string, { status: number; code: number; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: ErrorCode.OBJECT_TOO_LARGE, message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 400, code: ErrorCode.INVALID_JSON, message: 'Unsupported content type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: ErrorCode.INVALID_JSON, message: 'Invalid content length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: ErrorCode.INVALID_JSON, message: 'Empty JSON body' },
  FST_ERR_BAD_URL: { status: 400, code: ErrorCode.INVALID_JSON, message: 'Malformed URL' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 404, code: ErrorCode.OBJECT_NOT_FOUND, message: 'Object not found.' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: ErrorCode.INVALID_JSON, message: 'Malformed request' },
};

export function toErrorReply(error: unknown): ErrorReply {
  if (error instanceof ParseError) return { status: error.httpStatus, body: error.toJSON() };
  if (error instanceof HttpError) return { status: error.httpStatus, body: error.toJSON() };
  const code = (error as { code?: unknown }).code;
  const known = typeof code === 'string' ? FRAMEWORK_ERRORS[code] : undefined;
  if (known) return { status: known.status, body: { code: known.code, error: known.message } };
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: { code: ErrorCode.INVALID_JSON, error: (error as Error).message } };
  }
  return { status: 500, body: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error.' } };
}
