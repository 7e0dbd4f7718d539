/**
 * Declares the CRM classes through the Schema API. The field list comes from the server's own schema
 * file so the benchmark cannot drift from the data model the product ships.
 */
import { readFileSync } from 'node:fs';
import type { RestClient } from './rest.js';
import { RestError } from './rest.js';

interface FieldDef {
  type: string;
  targetClass?: string;
  required?: boolean;
}
interface ClassDef {
  className: string;
  fields: Record<string, FieldDef>;
}

const SCHEMA_FILE = new URL('../../server/src/schema/crm.schema.json', import.meta.url);
const IMPLICIT_FIELDS = new Set(['objectId', 'createdAt', 'updatedAt', 'ACL']);
/** Parse cannot store polymorphic pointers; the benchmark only links activities to deals. */
const POLYMORPHIC_TARGETS: Record<string, string> = { 'Activity.relatedTo': 'Deal' };
const CLASS_ORDER = ['Company', 'Contact', 'Deal', 'Activity'];
const ALREADY_EXISTS = 103;

function loadClasses(): ClassDef[] {
  const parsed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { classes: ClassDef[] };
  return CLASS_ORDER.map((name) => {
    const found = parsed.classes.find((c) => c.className === name);
    if (!found) throw new Error(`class ${name} missing from ${SCHEMA_FILE.pathname}`);
    return found;
  });
}

function toSchemaBody(def: ClassDef): object {
  const fields: Record<string, FieldDef> = {};
  for (const [name, field] of Object.entries(def.fields)) {
    if (IMPLICIT_FIELDS.has(name)) continue;
    const out: FieldDef = { type: field.type };
    const target = field.targetClass ?? POLYMORPHIC_TARGETS[`${def.className}.${name}`];
    if (field.type === 'Pointer' && !target) throw new Error(`${def.className}.${name}: pointer without target`);
    if (target) out.targetClass = target;
    if (field.required) out.required = true;
    fields[name] = out;
  }
  return { className: def.className, fields };
}

/** A target that pre-loads the schema answers 103 "already exists", which is fine. */
export async function declareClasses(rest: RestClient): Promise<void> {
  for (const def of loadClasses()) {
    const path = `/parse/schemas/${def.className}`;
    const res = await rest.send('POST', path, { master: true }, toSchemaBody(def));
    const code = (res.json as { code?: number } | undefined)?.code;
    if (res.status >= 200 && res.status < 300) continue;
    if (code === ALREADY_EXISTS) continue;
    throw new RestError('POST', path, res.status, res.text);
  }
}
