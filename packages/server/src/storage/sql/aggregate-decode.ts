/**
 * Stored column values → Parse JSON for aggregate and distinct results. Only what those results can hold:
 * aggregates are master-key only and never carry ACL or relation columns.
 */
import { isPolymorphicPointer } from '../../schema/compiled.js';
import type { FieldDef } from '../../schema/types.js';
import type { DialectName } from './fragment.js';

/**
 * How a selected value reaches us: `column` is the field's storage form; `json` is a JSON encoding of an
 * arbitrary JSON value (SQLite `->` text, PostgreSQL jsonb already parsed by the driver).
 */
export type Encoding = 'column' | 'json';

/** Dates Parse returns bare (not wrapped in {"__type":"Date"}). */
const BARE_DATES = new Set(['createdAt', 'updatedAt']);

export function decodeValue(value: unknown, def: FieldDef, name: string, encoding: Encoding, dialect: DialectName): unknown {
  if (value === null || value === undefined) return null;
  if (encoding === 'json') return dialect === 'sqlite' && typeof value === 'string' ? JSON.parse(value) : value;
  switch (def.type) {
    case 'Number':
      // PostgreSQL returns COUNT(*) as a bigint string.
      return Number(value);
    case 'Boolean':
      return dialect === 'sqlite' ? value === 1 || value === true : value;
    case 'Date':
      return BARE_DATES.has(name) ? value : { __type: 'Date', iso: value };
    case 'Pointer':
      return decodePointer(String(value), def);
    case 'Object':
    case 'Array':
      return dialect === 'sqlite' && typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}

function decodePointer(stored: string, def: FieldDef): unknown {
  if (!isPolymorphicPointer(def)) return { __type: 'Pointer', className: def.targetClass, objectId: stored };
  const split = stored.indexOf('$');
  return { __type: 'Pointer', className: stored.slice(0, split), objectId: stored.slice(split + 1) };
}
