/**
 * A class schema compiled once (at start-up and after each Schema API change) into what the request path
 * needs: a field map including Parse's default fields, the stored column list, and the relation fields.
 * Request handlers read these objects; they never copy or re-derive schema per request.
 */
import { DEFAULT_FIELDS, type ClassSchema, type FieldDef } from './types.js';
import { shortName } from '../storage/sql/identifiers.js';

export interface CompiledClass {
  readonly className: string;
  readonly schema: ClassSchema;
  /** Declared fields plus objectId/createdAt/updatedAt/ACL. */
  readonly fields: ReadonlyMap<string, FieldDef>;
  /** Fields stored as columns of the class table (everything but Relation and ACL). */
  readonly columnFields: readonly string[];
  readonly relationFields: readonly string[];
  readonly requiredFields: readonly string[];
}

export interface SchemaLookup {
  get(className: string): CompiledClass | undefined;
}

/** Join table of a Relation field, Parse's naming: `_Join:<field>:<ownerClass>` (owningId, relatedId). */
export const joinTableName = (className: string, field: string): string => shortName(`_Join:${field}:${className}`);

export const isPolymorphicPointer = (def: FieldDef): boolean => def.type === 'Pointer' && !def.targetClass;

export function compileClass(schema: ClassSchema): CompiledClass {
  const fields = new Map<string, FieldDef>(Object.entries(DEFAULT_FIELDS));
  for (const [name, def] of Object.entries(schema.fields)) {
    if (!Object.hasOwn(DEFAULT_FIELDS, name)) fields.set(name, def);
  }
  const columnFields: string[] = [];
  const relationFields: string[] = [];
  const requiredFields: string[] = [];
  for (const [name, def] of fields) {
    if (def.type === 'Relation') relationFields.push(name);
    else if (def.type !== 'ACL') columnFields.push(name);
    if (def.required && !Object.hasOwn(DEFAULT_FIELDS, name)) requiredFields.push(name);
  }
  return { className: schema.className, schema, fields, columnFields, relationFields, requiredFields };
}
