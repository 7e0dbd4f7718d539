/**
 * Relay global ids: base64 of `<className>:<objectId>`, as Parse Server's GraphQL API issues them. Every id
 * argument and pointer link accepts either a global id or a bare objectId, so clients can mix REST and GraphQL ids.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { OBJECT_ID_PATTERN } from '../codec/values.js';

const DECODED = /^(_?[A-Za-z][A-Za-z0-9_]*):([A-Za-z0-9]{1,32})$/;

export const toGlobalId = (className: string, objectId: string): string =>
  Buffer.from(`${className}:${objectId}`).toString('base64');

export interface DecodedId {
  className: string;
  objectId: string;
}

/** The class and objectId inside a global id; null for anything else (a bare objectId included). */
export function fromGlobalId(id: string): DecodedId | null {
  // Round-tripping rules out bare objectIds that happen to be valid base64 of something else.
  const text = Buffer.from(id, 'base64').toString('utf8');
  const match = DECODED.exec(text);
  if (!match || toGlobalId(match[1], match[2]) !== id) return null;
  return { className: match[1], objectId: match[2] };
}

const notFound = (): ParseError => new ParseError(ErrorCode.OBJECT_NOT_FOUND, 'Object not found.');

/**
 * The objectId an `id` argument names in `className`. A global id of another class names nothing here, which
 * Parse reports like a missing object.
 */
export function objectIdIn(className: string, id: string): string {
  const decoded = fromGlobalId(id);
  if (decoded) {
    if (decoded.className !== className) throw notFound();
    return decoded.objectId;
  }
  if (!OBJECT_ID_PATTERN.test(id)) throw notFound();
  return id;
}

/**
 * A pointer from a link: a global id carries its class; a bare objectId takes the field's only target class.
 * A bare objectId cannot say which class a polymorphic field should point at.
 */
export function pointerFromId(
  id: string,
  targets: readonly string[],
): { __type: 'Pointer'; className: string; objectId: string } {
  const decoded = fromGlobalId(id);
  if (decoded) return { __type: 'Pointer', ...decoded };
  if (targets.length !== 1) {
    throw new ParseError(ErrorCode.INVALID_POINTER, `A global id is needed to link one of ${targets.join(', ')}`);
  }
  if (!OBJECT_ID_PATTERN.test(id)) throw new ParseError(ErrorCode.INVALID_POINTER, 'Invalid id');
  return { __type: 'Pointer', className: targets[0], objectId: id };
}
