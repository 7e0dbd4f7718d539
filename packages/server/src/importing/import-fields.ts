/**
 * Which fields a CSV fills or shows, and how a pointer is written as text. Pointers to the CRM's named
 * classes travel by name, so a spreadsheet never needs an objectId: a Company by its name, a Contact by its
 * email (or "First Last" when it has none), a user by username (or email, for callers who may see emails).
 */
import type { CompiledClass } from '../schema/compiled.js';
import { DEFAULT_FIELDS } from '../schema/types.js';

/** Classes the CSV import and export take. */
export const CSV_CLASSES = ['Contact', 'Company', 'Deal'] as const;
export type CsvClass = (typeof CSV_CLASSES)[number];

export const isCsvClass = (className: string): className is CsvClass => (CSV_CLASSES as readonly string[]).includes(className);

/**
 * Not spreadsheet columns: set by the server (the owner, duplicate keys and flags, the stage-change time kept
 * by stage history) or by the board (a deal's place in its column, meaningless outside it).
 */
const SERVER_SET = new Set(['createdBy', 'emailKey', 'domainKey', 'duplicateOf', 'stageChangedAt', 'position']);

/** Pointer targets written by name, and the column alias older files use for a company. */
export const NAMED_TARGETS = new Set(['Company', 'Contact', '_User']);
export const COMPANY_NAME = 'companyName';

/** Fields in file order: the class's own, minus system and server-set ones and relations. */
export function csvFields(cls: CompiledClass): string[] {
  return [...cls.fields]
    .filter(([name, def]) => !Object.hasOwn(DEFAULT_FIELDS, name) && !SERVER_SET.has(name) && def.type !== 'Relation')
    .map(([name]) => name);
}

/** The class a pointer field names by text, or null when it takes an objectId. */
export function namedTarget(cls: CompiledClass, field: string): string | null {
  const def = cls.fields.get(field);
  return def?.type === 'Pointer' && def.targetClass && NAMED_TARGETS.has(def.targetClass) ? def.targetClass : null;
}
