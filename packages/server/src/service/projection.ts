/**
 * Which columns a read needs: `keys`/`excludeKeys` narrow them (Parse answers `keys=title` with title,
 * objectId, createdAt and updatedAt only — no ACL), include paths add the pointer columns they follow.
 * Selecting only these columns is a large part of a lean read path.
 */
import type { CompiledClass } from '../schema/compiled.js';

export interface Projection {
  columns: string[];
  /** Relation fields to show as `{"__type":"Relation","className":…}` (they have no column). */
  relations: string[];
  /** Keys requested below an included pointer (`keys=contact.name` → contact → ['name']). */
  nestedKeys: Map<string, string[]>;
}

const ALWAYS = ['objectId', 'createdAt', 'updatedAt'];

export function projectionFor(
  cls: CompiledClass,
  keys: string[] | undefined,
  excludeKeys: string[] | undefined,
  include: string[],
): Projection {
  const nestedKeys = new Map<string, string[]>();
  let columns: string[];
  if (keys && keys.length > 0) {
    const wanted = new Set<string>(ALWAYS);
    for (const key of keys) {
      const [head, ...rest] = key.split('.');
      wanted.add(head);
      if (rest.length) nestedKeys.set(head, [...(nestedKeys.get(head) ?? []), rest.join('.')]);
    }
    for (const path of include) wanted.add(path.split('.')[0]);
    columns = cls.columnFields.filter((f) => wanted.has(f));
    if (wanted.has('ACL')) columns.push('_acl');
  } else {
    columns = [...cls.columnFields, '_acl'];
  }
  let relations = keys && keys.length > 0 ? cls.relationFields.filter((f) => keys.includes(f)) : [...cls.relationFields];
  if (excludeKeys && excludeKeys.length > 0) {
    const excluded = new Set(excludeKeys.filter((k) => !ALWAYS.includes(k)));
    columns = columns.filter((c) => !excluded.has(c) && !(c === '_acl' && excluded.has('ACL')));
    relations = relations.filter((f) => !excluded.has(f));
  }
  return { columns, relations, nestedKeys };
}
