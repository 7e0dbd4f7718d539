/**
 * Which classes and fields the GraphQL schema shows, decided once per schema version from the live registry.
 * A class whose GraphQL names would clash with another class or with the fixed schema is left out (it stays
 * reachable over REST); so are field types GraphQL cannot carry here and fields named like the Relay `id`.
 */
import type { CompiledClass } from '../schema/compiled.js';
import type { FieldDef } from '../schema/types.js';
import { classNamesFor, upperFirst, type ClassNames } from './names.js';

export type ScalarFieldType = 'String' | 'Number' | 'Boolean' | 'Date' | 'Object' | 'Array';

export type FieldKind =
  | { kind: 'scalar'; type: ScalarFieldType }
  /** `targets`: the exposed classes the pointer may hold; `polymorphic`: more than one is possible. */
  | { kind: 'pointer'; targets: string[]; polymorphic: boolean; anyClass: boolean }
  | { kind: 'relation'; target: string };

export interface FieldModel {
  name: string;
  def: FieldDef;
  kind: FieldKind;
  /** Shown as non-null: required, and hidden from nobody (a protected field can be absent for some callers). */
  nonNull: boolean;
}

export interface ClassModel {
  className: string;
  names: ClassNames;
  fields: FieldModel[];
  field: ReadonlyMap<string, FieldModel>;
  /** LiveQuery serves it, so it has a subscription field. */
  live: boolean;
}

export interface SchemaModel {
  classes: ReadonlyMap<string, ClassModel>;
  byTypeName: ReadonlyMap<string, ClassModel>;
}

/** Names the fixed part of the schema uses. */
const FIXED_TYPES = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'Node',
  'ParseObject',
  'PageInfo',
  'Viewer',
  'ACL',
  'ACLInput',
  'UserACL',
  'RoleACL',
  'PublicACL',
  'UserACLInput',
  'RoleACLInput',
  'PublicACLInput',
  'Date',
  'Object',
  'Any',
  'ID',
  'String',
  'Int',
  'Float',
  'Boolean',
  'LiveQueryEvent',
  'IdWhereInput',
  'StringWhereInput',
  'NumberWhereInput',
  'BooleanWhereInput',
  'DateWhereInput',
  'ObjectWhereInput',
  'ArrayWhereInput',
  'SelectInput',
  'SubqueryInput',
  'SignUpInput',
  'SignUpPayload',
  'LogInInput',
  'LogInPayload',
  'LogOutInput',
  'LogOutPayload',
]);
const FIXED_FIELDS = new Set(['node', 'viewer', 'health', 'signUp', 'logIn', 'logOut']);

/** Every type name a class brings (see the builders), so a clash is found before any type is built. */
function typeNamesOf(names: ClassNames): string[] {
  const t = names.type;
  return [
    t,
    `${t}Connection`,
    `${t}Edge`,
    `${t}WhereInput`,
    `${t}Order`,
    `${t}RelationWhereInput`,
    `${t}PointerInput`,
    `${t}RelationInput`,
    `Create${t}FieldsInput`,
    `Update${t}FieldsInput`,
    `Create${t}Input`,
    `Update${t}Input`,
    `Delete${t}Input`,
    `Create${t}Payload`,
    `Update${t}Payload`,
    `Delete${t}Payload`,
    `${t}SubscriptionPayload`,
  ];
}

/** The types a polymorphic pointer field adds: its union, where, have and pointer inputs. */
function fieldTypeNamesOf(names: ClassNames, field: string): string[] {
  const base = `${names.type}${upperFirst(field)}`;
  return [`${base}Target`, `${base}WhereInput`, `${base}HaveInput`, `${base}PointerInput`];
}

const SCALARS = new Set<string>(['String', 'Number', 'Boolean', 'Date', 'Object', 'Array']);
/** Set by the server, or named like what GraphQL adds to every class. */
const RESERVED_FIELDS = new Set(['id', 'objectId', 'createdAt', 'updatedAt', 'ACL', 'OR', 'AND', 'NOR']);

/** Parse's system classes the API shows; other underscore classes are internal. */
const SYSTEM = new Set(['_User', '_Role', '_Session']);

function hiddenFromSomeone(cls: CompiledClass): Set<string> {
  const hidden = new Set<string>();
  for (const list of Object.values(cls.schema.classLevelPermissions.protectedFields ?? {})) for (const f of list) hidden.add(f);
  return hidden;
}

function fieldKind(def: FieldDef, exposed: ReadonlySet<string>): FieldKind | null {
  if (SCALARS.has(def.type)) return { kind: 'scalar', type: def.type as ScalarFieldType };
  if (def.type === 'Pointer') {
    if (def.targetClass)
      return exposed.has(def.targetClass)
        ? { kind: 'pointer', targets: [def.targetClass], polymorphic: false, anyClass: false }
        : null;
    const anyClass = !def.targetClasses;
    const targets = (def.targetClasses ?? [...exposed]).filter((c) => exposed.has(c));
    if (targets.length === 0) return null;
    return { kind: 'pointer', targets, polymorphic: targets.length > 1 || anyClass, anyClass };
  }
  if (def.type === 'Relation' && def.targetClass && exposed.has(def.targetClass))
    return { kind: 'relation', target: def.targetClass };
  return null;
}

export function buildModel(classes: readonly CompiledClass[], liveClasses: readonly string[]): SchemaModel {
  const candidates = classes.filter((c) => !c.className.startsWith('_') || SYSTEM.has(c.className));
  // Names first, class by class (the registry's order, so the outcome is stable): a class takes its type, its
  // query fields and every type name derived from it, or is left out whole.
  const named = new Map<string, { cls: CompiledClass; names: ClassNames }>();
  const takenFields = new Set(FIXED_FIELDS);
  const takenTypes = new Set(FIXED_TYPES);
  for (const cls of candidates) {
    const names = classNamesFor(cls.className);
    if (!names) continue;
    const types = typeNamesOf(names);
    if ([names.single, names.plural].some((n) => takenFields.has(n)) || types.some((t) => takenTypes.has(t))) continue;
    takenFields.add(names.single).add(names.plural);
    for (const t of types) takenTypes.add(t);
    named.set(cls.className, { cls, names });
  }
  const exposed = new Set(named.keys());
  const models = new Map<string, ClassModel>();
  for (const [className, { cls, names }] of named) {
    const hidden = hiddenFromSomeone(cls);
    const fields: FieldModel[] = [];
    for (const [name, def] of cls.fields) {
      if (RESERVED_FIELDS.has(name) || name.startsWith('__')) continue;
      const kind = fieldKind(def, exposed);
      if (!kind) continue;
      // A polymorphic pointer brings types of its own; one whose names are taken is left out.
      const own = kind.kind === 'pointer' && kind.polymorphic ? fieldTypeNamesOf(names, name) : [];
      if (own.some((t) => takenTypes.has(t))) continue;
      for (const t of own) takenTypes.add(t);
      fields.push({ name, def, kind, nonNull: !!def.required && !hidden.has(name) && kind.kind !== 'relation' });
    }
    models.set(className, {
      className,
      names,
      fields,
      field: new Map(fields.map((f) => [f.name, f])),
      live: liveClasses.includes(className),
    });
  }
  return { classes: models, byTypeName: new Map([...models.values()].map((m) => [m.names.type, m])) };
}
