/**
 * GraphQL errors with Parse's codes: a ParseError from the service layer keeps its code in
 * `extensions.code` (HTTP 200, the field null); request problems use Apollo's names
 * (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, BAD_REQUEST) with an HTTP 4xx. Anything
 * unexpected is logged and answered without detail, as REST does.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, HttpError, ParseError } from '../errors/parse-error.js';

export type RequestErrorCode =
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'INTROSPECTION_NOT_ALLOWED'
  | 'METHOD_NOT_ALLOWED';

/** A request GraphQL cannot run: its HTTP status and the errors to show. */
export class RequestRejected extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphQLFormattedError[],
  ) {
    super(errors[0]?.message ?? 'Bad request');
  }

  static of(status: number, code: RequestErrorCode, message: string): RequestRejected {
    return new RequestRejected(status, [{ message, extensions: { code } }]);
  }

  static fromGraphQL(status: number, code: RequestErrorCode, errors: readonly GraphQLError[]): RequestRejected {
    return new RequestRejected(
      status,
      errors.map((e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}), extensions: { code } })),
    );
  }
}

export type ErrorLogger = (error: unknown) => void;

type Location = Pick<GraphQLFormattedError, 'locations' | 'path'>;

/** A thrown error as GraphQL shows it: Parse errors keep their code, the rest is logged and not described. */
export function formatThrown(error: unknown, log: ErrorLogger, where: Location = {}): GraphQLFormattedError {
  if (error instanceof GraphQLError) return formatError(error, log);
  if (error instanceof ParseError) return { message: error.message, ...where, extensions: { code: error.code } };
  if (error instanceof HttpError)
    return { message: error.message, ...where, extensions: { code: ErrorCode.OPERATION_FORBIDDEN } };
  log(error);
  return { message: 'Internal server error.', ...where, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

export function formatError(error: GraphQLError, log: ErrorLogger): GraphQLFormattedError {
  const where: Location = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
  const original = error.originalError;
  if (original && !(original instanceof GraphQLError)) return formatThrown(original, log, where);
  // graphql-js's own execution errors (a null in a non-null field, a value a scalar cannot show).
  return { message: error.message, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR', ...error.extensions } };
}
