/**
 * Key validation shared by where, order, keys and aggregate parsing. Every name that can reach SQL (as an
 * identifier or a JSON path) passes through here first; quoting in the SQL builder is the second wall.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { CompiledClass } from '../schema/compiled.js';
import { FIELD_NAME_PATTERN, type FieldDef } from '../schema/types.js';
import type { FieldRef } from './ast.js';

/** Names that are syntactically fine but poison plain-object lookups further down the stack. */
const RESERVED_SEGMENTS = new Set(['constructor', 'prototype', '__proto__']);
/** Bounded echo of hostile input in error messages. */
const MAX_ECHO = 100;

export const echo = (text: string): string => (text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text);

export const invalidKeyName = (key: string): ParseError =>
  new ParseError(ErrorCode.INVALID_KEY_NAME, `Invalid key name: ${echo(key)}`);

export const unknownField = (key: string): ParseError =>
  new ParseError(ErrorCode.INVALID_KEY_NAME, `Invalid field name: ${echo(key)}.`);

export function isValidSegment(segment: string): boolean {
  return FIELD_NAME_PATTERN.test(segment) && !RESERVED_SEGMENTS.has(segment);
}

/** `a.b.c` → ['a','b','c'], each segment checked; 105 otherwise. */
export function splitKey(key: string): string[] {
  const segments = key.split('.');
  if (!segments.every(isValidSegment)) throw invalidKeyName(key);
  return segments;
}

export type Resolution =
  | { kind: 'field'; ref: FieldRef; def: FieldDef }
  /** Valid name, but the class has no such field: it reads as always missing. */
  | { kind: 'missing' };

/**
 * Resolve a (possibly dotted) key against a class. ACL is never addressable; dot paths only descend into
 * Object fields.
 */
export function resolveKey(cls: CompiledClass, key: string): Resolution {
  const [field, ...path] = splitKey(key);
  const def = cls.fields.get(field);
  if (def?.type === 'ACL') throw invalidKeyName(key);
  if (!def) return { kind: 'missing' };
  if (path.length > 0 && def.type !== 'Object') {
    throw new ParseError(
      ErrorCode.INVALID_QUERY,
      `Cannot use dot notation on ${field}: it is a ${def.type} field, only Object fields have sub-keys`,
    );
  }
  return { kind: 'field', ref: { field, type: def.type, path }, def };
}
