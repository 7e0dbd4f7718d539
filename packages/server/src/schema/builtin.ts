/**
 * The classes a fresh install starts with: Parse's system classes merged with the CRM classes (the seed's
 * _User adds its fields to Parse's _User).
 */
import { crmClassSchemas } from '../crm/crm-schema.js';
import { SYSTEM_CLASS_SCHEMAS } from './system-classes.js';
import type { ClassSchema } from './types.js';

export function builtInSchemas(): ClassSchema[] {
  const merged = new Map<string, ClassSchema>(SYSTEM_CLASS_SCHEMAS.map((s) => [s.className, structuredClone(s)]));
  for (const schema of crmClassSchemas()) {
    const base = merged.get(schema.className);
    merged.set(
      schema.className,
      base ? { ...base, fields: { ...base.fields, ...schema.fields }, indexes: { ...base.indexes, ...schema.indexes } } : schema,
    );
  }
  return [...merged.values()];
}
