/**
 * Everything a read needs to know about the caller, built once per request from the security layer.
 * find, get, include and sub-queries all read through it, so there is one read-permission path.
 */
import type { Expr } from '../query/ast.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import type { StorageTx } from '../storage/adapter.js';
import type { ParseObjectJson } from '../codec/row-codec.js';

export interface ReadContext {
  storage: StorageTx;
  schema: SchemaLookup;
  /** Row filter for what the caller may read in `cls` (ACL, pointer permissions), compiled into SQL. */
  readFilter(cls: CompiledClass): Expr;
  /** Class-level permission to read `cls` at all (an include into a forbidden class stays a pointer). */
  canReadClass(cls: CompiledClass): boolean;
  /** Fields of `cls` hidden from this caller: they may be neither returned nor queried nor sorted on. */
  hiddenFields(cls: CompiledClass): readonly string[];
  /** Final shaping of an object for this caller (protected fields removed). */
  present(cls: CompiledClass, object: ParseObjectJson): ParseObjectJson;
}
