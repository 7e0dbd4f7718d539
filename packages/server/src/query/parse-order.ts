/**
 * `order`, `keys`, `excludeKeys` and `include` parameters: comma strings (what the SDK sends) or arrays of
 * strings (REST clients), validated before any name can reach SQL or a response projection.
 */
import { invalidQuery } from '../errors/parse-error.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { OrderKey } from './ast.js';
import { splitKey, unknownField } from './field-ref.js';

const MAX_ORDER_KEYS = 64;
const MAX_KEYS = 1000;

function segmentsOf(value: unknown, name: string, limit: number): string[] {
  if (value === undefined || value === null) return [];
  let parts: unknown[];
  if (typeof value === 'string') parts = value.split(',');
  else if (Array.isArray(value)) parts = value;
  else throw invalidQuery(`${name} must be a comma-separated string or an array of strings`);
  if (parts.length > limit) throw invalidQuery(`${name} lists too many keys (limit ${limit})`);
  if (!parts.every((p): p is string => typeof p === 'string')) throw invalidQuery(`${name} must only contain strings`);
  // Tolerate "a, b" and a trailing comma; an empty segment names nothing.
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseOrder(order: unknown, cls: CompiledClass): OrderKey[] {
  return segmentsOf(order, 'order', MAX_ORDER_KEYS).map((segment) => {
    const descending = segment.startsWith('-');
    const name = descending ? segment.slice(1) : segment;
    if (name === '$score') throw invalidQuery('Ordering by $score is not supported (no full-text search)');
    const [field, ...path] = splitKey(name);
    const def = cls.fields.get(field);
    // Relation and ACL have no orderable column; sub-keys exist only below Object fields.
    if (!def || def.type === 'Relation' || def.type === 'ACL' || (path.length > 0 && def.type !== 'Object')) {
      throw unknownField(name);
    }
    return { ref: { field, type: def.type, path }, descending };
  });
}

export interface ParseKeysOptions {
  /** `include=*` (every pointer) is meaningful for include only. */
  allowWildcard?: boolean;
}

/** Validated, de-duplicated key paths (`contact.company` allowed); the caller checks them against schemas. */
export function parseKeys(keys: unknown, options: ParseKeysOptions = {}): string[] {
  const out = new Set<string>();
  for (const segment of segmentsOf(keys, 'keys', MAX_KEYS)) {
    if (!(segment === '*' && options.allowWildcard)) splitKey(segment);
    out.add(segment);
  }
  return [...out];
}
