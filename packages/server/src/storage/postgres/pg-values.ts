/**
 * Stored values → PostgreSQL parameters. Booleans, numbers, text and the text[] permission lists bind as
 * they are. Object and Array fields arrive as JSON text (the codec's stored form) and the server parses
 * that into jsonb from the column's type; a JS object or array reaching here is stringified first, because
 * pg would send an array as a PostgreSQL array literal, which is not JSON.
 */
import type { Row } from '../adapter.js';
import type { CompiledClass } from '../../schema/compiled.js';

export function toPgValues(cls: CompiledClass, row: Row): Row {
  let out: Row | undefined;
  for (const key in row) {
    const value = row[key];
    if (value === null || typeof value !== 'object') continue;
    const type = cls.fields.get(key)?.type;
    if (type !== 'Object' && type !== 'Array') continue;
    out ??= { ...row };
    out[key] = JSON.stringify(value);
  }
  return out ?? row;
}
