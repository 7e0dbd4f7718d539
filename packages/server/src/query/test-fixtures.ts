/**
 * A compiled CRM-like schema for query compiler tests. Mirrors the shapes the compiler must handle: every
 * scalar type, single-target and polymorphic pointers, Array/Object fields and a Relation.
 */
import { compileClass, type CompiledClass, type SchemaLookup } from '../schema/compiled.js';
import type { ClassSchema, FieldDef } from '../schema/types.js';

const classSchema = (className: string, fields: Record<string, FieldDef>): ClassSchema => ({
  className,
  fields,
  classLevelPermissions: {},
  indexes: {},
});

export const dealClass = compileClass(
  classSchema('Deal', {
    title: { type: 'String', required: true },
    amount: { type: 'Number' },
    stage: { type: 'String' },
    contact: { type: 'Pointer', targetClass: 'Contact' },
    company: { type: 'Pointer', targetClass: 'Company' },
    expectedCloseDate: { type: 'Date' },
    assignedTo: { type: 'Pointer', targetClass: '_User' },
    tags: { type: 'Array' },
    meta: { type: 'Object' },
    won: { type: 'Boolean' },
  }),
);

export const contactClass = compileClass(
  classSchema('Contact', {
    name: { type: 'String', required: true },
    email: { type: 'String' },
    company: { type: 'Pointer', targetClass: 'Company' },
  }),
);

export const companyClass = compileClass(
  classSchema('Company', {
    name: { type: 'String', required: true },
    industry: { type: 'String' },
  }),
);

export const activityClass = compileClass(
  classSchema('Activity', {
    subject: { type: 'String' },
    relatedTo: { type: 'Pointer', targetClasses: ['Deal', 'Contact'] },
    anything: { type: 'Pointer' },
  }),
);

export const userClass = compileClass(
  classSchema('_User', {
    username: { type: 'String' },
    email: { type: 'String' },
  }),
);

export const roleClass = compileClass(
  classSchema('_Role', {
    name: { type: 'String', required: true },
    users: { type: 'Relation', targetClass: '_User' },
  }),
);

export const allClasses: readonly CompiledClass[] = [dealClass, contactClass, companyClass, activityClass, userClass, roleClass];

const byName = new Map(allClasses.map((c) => [c.className, c]));

export const crmSchema: SchemaLookup = { get: (className) => byName.get(className) };
