/**
 * Class definitions in the files the CLI reads and writes: the seed's crm.schema.json format
 * (`{"classes":[{className, fields:{name:{type, targetClass?, required}}}]}`), the Schema API's
 * `{"results":[…]}` (our `_SCHEMA.json` in an export), and Parse's MongoDB `_SCHEMA` documents. Pure
 * functions; applying a plan is schema-import.ts's job.
 */
import {
  CLASS_NAME_PATTERN,
  DEFAULT_FIELDS,
  FIELD_NAME_PATTERN,
  type ClassLevelPermissions,
  type ClassSchema,
  type FieldDef,
  type FieldType,
} from '../schema/types.js';
import { isPlainObject } from '../codec/values.js';
import { CliError } from './errors.js';

export interface SeedField {
  type: string;
  targetClass?: string;
  /** Our extension for polymorphic pointers (Activity.relatedTo); absent from Parse's format. */
  targetClasses?: string[];
  required: boolean;
}

export interface SeedClass {
  className: string;
  fields: Record<string, SeedField>;
}

/** A class as read from any accepted file: fields always, permissions and indexes when the file had them. */
export interface ImportedClass {
  className: string;
  fields: Record<string, FieldDef>;
  classLevelPermissions?: ClassLevelPermissions;
  indexes?: Record<string, Record<string, number>>;
}

/** Never imported as fields: Parse's own columns, and _User's password, which is a credential. */
const NOT_IMPORTED: Record<string, ReadonlySet<string>> = { _User: new Set(['password']) };
const isImportableField = (className: string, name: string) =>
  !Object.hasOwn(DEFAULT_FIELDS, name) && !NOT_IMPORTED[className]?.has(name);

const seedField = (def: FieldDef): SeedField => ({
  type: def.type,
  ...(def.targetClass ? { targetClass: def.targetClass } : {}),
  ...(def.targetClasses ? { targetClasses: def.targetClasses } : {}),
  required: def.required === true,
});

/** The live schema as the seed writes it: objectId first, the class's fields, then the timestamps. */
export function toSeedFormat(classes: readonly ClassSchema[]): { classes: SeedClass[] } {
  return {
    classes: classes.map((schema) => {
      const fields: Record<string, SeedField> = { objectId: { type: 'String', required: false } };
      for (const [name, def] of Object.entries(schema.fields))
        if (!Object.hasOwn(DEFAULT_FIELDS, name)) fields[name] = seedField(def);
      fields.createdAt = { type: 'Date', required: false };
      fields.updatedAt = { type: 'Date', required: false };
      return { className: schema.className, fields };
    }),
  };
}

function fieldFrom(className: string, name: string, raw: unknown): FieldDef {
  if (!isPlainObject(raw) || typeof raw.type !== 'string') throw new CliError(`${className}.${name}: a field needs a "type"`);
  const def: FieldDef = { type: raw.type as FieldType };
  if (typeof raw.targetClass === 'string') def.targetClass = raw.targetClass;
  if (Array.isArray(raw.targetClasses)) def.targetClasses = raw.targetClasses.map(String);
  if (raw.required === true) def.required = true;
  if (raw.defaultValue !== undefined) def.defaultValue = raw.defaultValue;
  return def;
}

const MONGO_TYPES: Record<string, FieldType> = {
  string: 'String',
  number: 'Number',
  boolean: 'Boolean',
  date: 'Date',
  object: 'Object',
  array: 'Array',
  file: 'File',
  geopoint: 'GeoPoint',
  polygon: 'Polygon',
  bytes: 'Bytes',
};

/** Parse on MongoDB writes `"*Company"` for a pointer and `"relation<_User>"` for a relation. */
function mongoField(className: string, name: string, type: unknown, options: unknown): FieldDef {
  if (typeof type !== 'string') throw new CliError(`${className}.${name}: unreadable MongoDB schema type`);
  let def: FieldDef;
  const relation = /^relation<(.+)>$/.exec(type);
  if (type.startsWith('*')) def = { type: 'Pointer', targetClass: type.slice(1) };
  else if (relation) def = { type: 'Relation', targetClass: relation[1] };
  else if (MONGO_TYPES[type]) def = { type: MONGO_TYPES[type] };
  else throw new CliError(`${className}.${name}: unknown MongoDB schema type "${type}"`);
  if (isPlainObject(options) && options.required === true) def.required = true;
  return def;
}

function fromMongo(doc: Record<string, unknown>): ImportedClass {
  const className = String(doc._id);
  const metadata = isPlainObject(doc._metadata) ? doc._metadata : {};
  const options = isPlainObject(metadata.fields_options) ? metadata.fields_options : {};
  const fields: Record<string, FieldDef> = {};
  for (const [name, type] of Object.entries(doc)) {
    if (name.startsWith('_') || !isImportableField(className, name)) continue;
    fields[name] = mongoField(className, name, type, options[name]);
  }
  const clp = isPlainObject(metadata.class_permissions) ? (metadata.class_permissions as ClassLevelPermissions) : undefined;
  return { className, fields, classLevelPermissions: clp };
}

function fromDefinition(raw: Record<string, unknown>): ImportedClass {
  const className = raw.className;
  if (typeof className !== 'string' || !CLASS_NAME_PATTERN.test(className))
    throw new CliError(`invalid class name ${JSON.stringify(className)}`);
  const fields: Record<string, FieldDef> = {};
  for (const [name, field] of Object.entries(isPlainObject(raw.fields) ? raw.fields : {})) {
    if (isImportableField(className, name)) fields[name] = fieldFrom(className, name, field);
  }
  const imported: ImportedClass = { className, fields };
  if (isPlainObject(raw.classLevelPermissions))
    imported.classLevelPermissions = raw.classLevelPermissions as ClassLevelPermissions;
  if (isPlainObject(raw.indexes)) {
    // `_id_` and friends are MongoDB's; an index is kept only when it names fields of this class.
    imported.indexes = Object.fromEntries(
      Object.entries(raw.indexes as Record<string, Record<string, number>>).filter(
        ([name, keys]) =>
          FIELD_NAME_PATTERN.test(name) &&
          isPlainObject(keys) &&
          Object.keys(keys).every((f) => Object.hasOwn(fields, f) || Object.hasOwn(DEFAULT_FIELDS, f)),
      ),
    );
  }
  return imported;
}

/** Any accepted schema file's JSON → class definitions. */
export function readSchemaDocument(json: unknown): ImportedClass[] {
  const list = isPlainObject(json) ? (json.classes ?? json.results) : json;
  if (!Array.isArray(list))
    throw new CliError('a schema file holds {"classes":[…]}, {"results":[…]} or a list of MongoDB _SCHEMA documents');
  return list.map((entry) => {
    if (!isPlainObject(entry)) throw new CliError('every class in a schema file must be an object');
    return typeof entry._id === 'string' && entry.className === undefined ? fromMongo(entry) : fromDefinition(entry);
  });
}

export type SchemaAction =
  | {
      kind: 'createClass';
      className: string;
      fields: Record<string, FieldDef>;
      classLevelPermissions?: ClassLevelPermissions;
      indexes?: ImportedClass['indexes'];
    }
  | { kind: 'addField'; className: string; field: string; def: FieldDef }
  | { kind: 'conflict'; className: string; field: string; live: FieldDef; wanted: FieldDef }
  | { kind: 'skipClass'; className: string; reason: string };

const sameType = (a: FieldDef, b: FieldDef) => a.type === b.type && (a.targetClass ?? '') === (b.targetClass ?? '');

/** What importing `wanted` into `live` does: create missing classes, add missing fields, drop nothing. */
export function planSchemaImport(
  live: (className: string) => ClassSchema | undefined,
  wanted: readonly ImportedClass[],
): SchemaAction[] {
  const actions: SchemaAction[] = [];
  for (const cls of wanted) {
    const current = live(cls.className);
    if (!current) {
      if (cls.className.startsWith('_')) {
        actions.push({ kind: 'skipClass', className: cls.className, reason: 'Parse system class this server does not have' });
        continue;
      }
      actions.push({
        kind: 'createClass',
        className: cls.className,
        fields: cls.fields,
        classLevelPermissions: cls.classLevelPermissions,
        indexes: cls.indexes,
      });
      continue;
    }
    for (const [field, def] of Object.entries(cls.fields)) {
      const existing = current.fields[field];
      if (!existing) actions.push({ kind: 'addField', className: cls.className, field, def });
      else if (!sameType(existing, def))
        actions.push({ kind: 'conflict', className: cls.className, field, live: existing, wanted: def });
    }
  }
  return actions;
}

/** The classes as they will be once `actions` ran, for validating a dry run against them. */
export function plannedSchemas(live: readonly ClassSchema[], actions: readonly SchemaAction[]): Map<string, ClassSchema> {
  const schemas = new Map(live.map((s) => [s.className, structuredClone(s)]));
  for (const action of actions) {
    if (action.kind === 'createClass') {
      schemas.set(action.className, {
        className: action.className,
        fields: { ...action.fields },
        classLevelPermissions: {},
        indexes: {},
      });
    } else if (action.kind === 'addField') {
      const schema = schemas.get(action.className);
      if (schema) schema.fields[action.field] = action.def;
    }
  }
  return schemas;
}

export function describeField(def: FieldDef): string {
  if (def.targetClass) return `${def.type}<${def.targetClass}>`;
  if (def.targetClasses) return `${def.type}<${def.targetClasses.join('|')}>`;
  return def.type;
}

/** "create class X" / "add field X.f (Type)"; empty for actions that change nothing. */
export function describeChange(action: SchemaAction): string {
  if (action.kind === 'createClass') return `create class ${action.className} (${Object.keys(action.fields).length} fields)`;
  if (action.kind === 'addField') return `add field ${action.className}.${action.field} (${describeField(action.def)})`;
  return '';
}
