/**
 * The CRM classes shipped with the server: the seed's crm.schema.json, plus what the JSON cannot say —
 * Activity.relatedTo may point at a Contact or a Deal, and the indexes behind the CRM's hot queries.
 */
import seed from '../schema/crm.schema.json' with { type: 'json' };
import type { ClassSchema, FieldDef } from '../schema/types.js';
import { DEFAULT_FIELDS } from '../schema/types.js';
import { publicClp } from '../schema/system-classes.js';

interface SeedField {
  type: string;
  targetClass?: string;
  required?: boolean;
}

const POLYMORPHIC_TARGETS: Record<string, Record<string, string[]>> = {
  Activity: { relatedTo: ['Contact', 'Deal'] },
};

const HOT_INDEXES: Record<string, ClassSchema['indexes']> = {
  Deal: {
    stage_expectedCloseDate: { stage: 1, expectedCloseDate: 1 },
    // The board reads each column in its manual order.
    stage_position: { stage: 1, position: 1 },
    // Stale deals (stage, idle since) and the whole pipelineSummary statement: with the read permissions SQLite
    // appends to every index, it covers the summary, which then never visits the table.
    stage_stageChangedAt_forecast: {
      stage: 1,
      stageChangedAt: 1,
      expectedCloseDate: 1,
      createdAt: 1,
      amount: 1,
      probability: 1,
    },
    assignedTo: { assignedTo: 1 },
    company: { company: 1 },
    contact: { contact: 1 },
  },
  Activity: { relatedTo_dueDate: { relatedTo: 1, dueDate: -1 }, createdBy: { createdBy: 1 } },
  // One indexed lookup per create finds a duplicate (src/duplicates/).
  Contact: { createdBy: { createdBy: 1 }, company: { company: 1 }, emailKey: { emailKey: 1 } },
  Company: { createdBy: { createdBy: 1 }, domainKey: { domainKey: 1 } },
  DealStageHistory: { deal_changedAt: { deal: 1, changedAt: 1 } },
};

/**
 * Fields the server adds to the seed's classes, never renaming or removing one: the normalized keys the
 * duplicate check compares and the flag it sets (src/duplicates/, docs/IMPORT-AND-DUPLICATES.md), and the
 * forecast's fields, `stageChangedAt` kept by the server (docs/FORECASTING.md).
 */
const EXTRA_FIELDS: Record<string, Record<string, FieldDef>> = {
  Contact: { emailKey: { type: 'String' }, duplicateOf: { type: 'Pointer', targetClass: 'Contact' } },
  Company: { domainKey: { type: 'String' }, duplicateOf: { type: 'Pointer', targetClass: 'Company' } },
  Deal: {
    probability: { type: 'Number' },
    lostReason: { type: 'String' },
    position: { type: 'Number' },
    stageChangedAt: { type: 'Date' },
  },
};

/** Classes beyond the seed: the server-written record of every deal's stage changes. */
const EXTRA_CLASSES: ClassSchema[] = [
  {
    className: 'DealStageHistory',
    fields: {
      deal: { type: 'Pointer', targetClass: 'Deal' },
      from: { type: 'String' },
      to: { type: 'String' },
      changedBy: { type: 'Pointer', targetClass: '_User' },
      changedAt: { type: 'Date' },
    },
    // Written only by the server (inside the deal's own write); readable where the row's ACL allows.
    classLevelPermissions: { ...publicClp(), create: {}, update: {}, delete: {}, addField: {} },
    indexes: {},
  },
];

/** Fields of _User that are credentials, not columns (see schema/system-classes.ts). */
const NOT_FIELDS: Record<string, Set<string>> = { _User: new Set(['password']) };

function toFieldDef(className: string, name: string, field: SeedField): FieldDef {
  const def: FieldDef = { type: field.type as FieldDef['type'] };
  if (field.targetClass) def.targetClass = field.targetClass;
  const targets = POLYMORPHIC_TARGETS[className]?.[name];
  if (targets) def.targetClasses = targets;
  if (field.required) def.required = true;
  return def;
}

export function crmClassSchemas(): ClassSchema[] {
  const seeded = (seed.classes as unknown as Array<{ className: string; fields: Record<string, SeedField> }>).map(
    ({ className, fields }): ClassSchema => ({
      className,
      fields: {
        ...Object.fromEntries(
          Object.entries(fields)
            .filter(([name]) => !Object.hasOwn(DEFAULT_FIELDS, name) && !NOT_FIELDS[className]?.has(name))
            .map(([name, field]) => [name, toFieldDef(className, name, field)]),
        ),
        ...EXTRA_FIELDS[className],
      },
      classLevelPermissions: publicClp(),
      indexes: HOT_INDEXES[className] ?? {},
    }),
  );
  const extra = EXTRA_CLASSES.map((s) => ({ ...structuredClone(s), indexes: HOT_INDEXES[s.className] ?? {} }));
  return [...seeded, ...extra];
}
