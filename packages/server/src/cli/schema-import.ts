/**
 * Carries out a schema import plan through the SchemaService, so every definition passes the same
 * validation as a POST/PUT /schemas. New classes are created first with the fields that need no other
 * new class, then every remaining field is added, so pointers between new classes resolve in any order.
 */
import type { Services } from '../service/services.js';
import type { FieldDef } from '../schema/types.js';
import type { SchemaAction } from './schema-format.js';
import { describeChange, describeField } from './schema-format.js';

const pastTense = (line: string) => line.replace(/^create /, 'created ').replace(/^add /, 'added ');

const needsAnotherClass = (className: string, def: FieldDef, exists: (c: string) => boolean) =>
  def.targetClass !== undefined && def.targetClass !== className && !exists(def.targetClass);

/** Runs the plan; returns one human-readable line per thing done or declined. */
export async function applySchemaPlan(services: Services, actions: readonly SchemaAction[]): Promise<string[]> {
  const exists = (c: string) => services.schema.has(c);
  const later = new Map<string, Record<string, FieldDef>>();
  const report: string[] = [];
  for (const action of actions) {
    if (action.kind !== 'createClass') continue;
    const now: Record<string, FieldDef> = {};
    const deferred: Record<string, FieldDef> = {};
    for (const [name, def] of Object.entries(action.fields))
      (needsAnotherClass(action.className, def, exists) ? deferred : now)[name] = def;
    const body: Record<string, unknown> = { fields: now };
    if (action.classLevelPermissions) body.classLevelPermissions = action.classLevelPermissions;
    await services.schemas.create(action.className, body);
    if (Object.keys(deferred).length) later.set(action.className, deferred);
    report.push(pastTense(describeChange(action)));
  }
  for (const action of actions) {
    if (action.kind !== 'addField') continue;
    later.set(action.className, { ...later.get(action.className), [action.field]: action.def });
    report.push(pastTense(describeChange(action)));
  }
  for (const [className, fields] of later) await services.schemas.update(className, { fields });
  // Indexes last: they may name fields added in the second pass.
  for (const action of actions) {
    if (action.kind === 'createClass' && action.indexes && Object.keys(action.indexes).length) {
      await services.schemas.update(action.className, { indexes: action.indexes });
    }
  }
  return report;
}

/** Lines for what the plan leaves alone, shown as warnings. */
export function declinedActions(actions: readonly SchemaAction[]): string[] {
  return actions.flatMap((action) => {
    if (action.kind === 'conflict') {
      return [
        `kept ${action.className}.${action.field} as ${describeField(action.live)} (the file says ${describeField(action.wanted)})`,
      ];
    }
    if (action.kind === 'skipClass') return [`skipped class ${action.className}: ${action.reason}`];
    return [];
  });
}
