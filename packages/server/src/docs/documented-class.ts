/**
 * One view of a class for every document (OpenAPI, ER diagram, data dictionary), so they can never disagree
 * on which fields exist, in what order, what they are called in prose, or which are required.
 */
import { DEFAULT_FIELDS, type ClassSchema, type FieldDef } from '../schema/types.js';
import { CLASS_DESCRIPTIONS, COMMON_FIELD_DESCRIPTIONS, FIELD_DESCRIPTIONS } from './data-dictionary.js';

/** The Schema API's shape, so the CLI can pass an exported file or the registry's definitions alike. */
export type DocClass = Pick<ClassSchema, 'className' | 'fields'>;

/** `auto`: the server fills it in; `required`: a create without it fails with 142. */
export type Requirement = 'auto' | 'required' | 'optional';

export interface DocField {
  name: string;
  def: FieldDef;
  description?: string;
  requirement: Requirement;
  /** A credential: clients send it, the server never returns it. */
  writeOnly: boolean;
}

/**
 * Credentials are not schema fields (no query or key list may reach them), yet sign-up needs them documented;
 * `after` places them where the seed's dictionary has them.
 */
const CREDENTIALS: Readonly<Record<string, ReadonlyArray<{ name: string; def: FieldDef; after: string }>>> = {
  _User: [{ name: 'password', def: { type: 'String', required: true }, after: 'email' }],
};

const SERVER_SET = new Set(['objectId', 'createdAt', 'updatedAt']);

/** The seed's reading order (who works, then what they work on), with the system plumbing last. */
const READING_ORDER = ['_User', 'Company', 'Contact', 'Deal', 'Activity', '_Role', '_Session'];
/** Classes added later sit after the CRM classes and before the plumbing, alphabetically among themselves. */
const ADDED_CLASS_RANK = READING_ORDER.indexOf('Activity') + 0.5;

export function inReadingOrder<T extends DocClass>(classes: readonly T[]): T[] {
  const rank = (name: string) => (READING_ORDER.includes(name) ? READING_ORDER.indexOf(name) : ADDED_CLASS_RANK);
  return [...classes].sort((a, b) => rank(a.className) - rank(b.className) || a.className.localeCompare(b.className));
}

export function documentedFields(cls: DocClass): DocField[] {
  const describe = (name: string, def: FieldDef) =>
    def.description ?? FIELD_DESCRIPTIONS[cls.className]?.[name] ?? COMMON_FIELD_DESCRIPTIONS[name];
  const field = (name: string, def: FieldDef, writeOnly = false): DocField => ({
    name,
    def,
    description: describe(name, def),
    requirement: SERVER_SET.has(name) ? 'auto' : def.required ? 'required' : 'optional',
    writeOnly,
  });
  const declared = Object.entries(cls.fields)
    .filter(([name]) => !Object.hasOwn(DEFAULT_FIELDS, name))
    .map(([name, def]) => field(name, def));
  for (const credential of CREDENTIALS[cls.className] ?? []) {
    if (Object.hasOwn(cls.fields, credential.name)) continue;
    const at = declared.findIndex((f) => f.name === credential.after);
    declared.splice(at === -1 ? declared.length : at + 1, 0, field(credential.name, credential.def, true));
  }
  return [
    field('objectId', DEFAULT_FIELDS.objectId),
    ...declared,
    field('createdAt', DEFAULT_FIELDS.createdAt),
    field('updatedAt', DEFAULT_FIELDS.updatedAt),
    field('ACL', DEFAULT_FIELDS.ACL),
  ];
}

export const classDescription = (className: string): string | undefined => CLASS_DESCRIPTIONS[className];

/** Classes a Pointer or Relation may reach; empty for a polymorphic pointer open to any class. */
export function targetsOf(def: FieldDef): string[] {
  if (def.targetClass) return [def.targetClass];
  return def.targetClasses ? [...def.targetClasses] : [];
}

/** The data dictionary's type column: `Pointer<Company>`, `Pointer<Contact | Deal>`, `Relation<_User>`. */
export function typeLabel(def: FieldDef): string {
  if (def.type !== 'Pointer' && def.type !== 'Relation') return def.type;
  const targets = targetsOf(def);
  return `${def.type}<${targets.length > 0 ? targets.join(' | ') : 'any class'}>`;
}

export interface DictionaryRow {
  field: string;
  type: string;
  description: string;
  required: string;
}

const REQUIREMENT_LABELS: Readonly<Record<Requirement, string>> = { auto: 'auto', required: 'yes', optional: '—' };

/** A data dictionary row as a person reads it, the same in the HTML page and in Markdown. */
export const dictionaryRows = (cls: DocClass): DictionaryRow[] =>
  documentedFields(cls).map((f) => ({
    field: f.name,
    type: typeLabel(f.def),
    description: f.description ?? '—',
    required: REQUIREMENT_LABELS[f.requirement],
  }));
