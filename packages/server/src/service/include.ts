/**
 * `include` resolution: one batched query per class per level (never one per object), each filtered by
 * the caller's read permissions. A pointer whose target the caller cannot read stays a bare pointer.
 */
import type { CompiledClass } from '../schema/compiled.js';
import type { ParseObjectJson } from '../codec/row-codec.js';
import { encodeRow } from '../codec/row-codec.js';
import { pointerFromJson } from '../codec/values.js';
import { and } from '../query/ast.js';
import type { ReadContext } from './read-context.js';
import { projectionFor } from './projection.js';

interface IncludeTree {
  children: Map<string, IncludeTree>;
  keys?: string[];
}

function buildTree(paths: string[], nestedKeys: Map<string, string[]>): IncludeTree {
  const root: IncludeTree = { children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path.split('.')) {
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
  }
  for (const [field, keys] of nestedKeys) {
    const child = root.children.get(field);
    if (child) child.keys = keys;
  }
  return root;
}

type Slot = { holder: Record<string, unknown> | unknown[]; key: string | number; className: string; objectId: string };

/** Pointers under `field` of each object, including pointers inside arrays. */
function collectSlots(objects: ParseObjectJson[], field: string): Slot[] {
  const slots: Slot[] = [];
  for (const object of objects) {
    const value = object[field];
    const pointer = pointerFromJson(value);
    if (pointer && (value as { __type: string }).__type === 'Pointer') {
      slots.push({ holder: object, key: field, ...pointer });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const p = pointerFromJson(item);
        if (p && (item as { __type: string }).__type === 'Pointer') slots.push({ holder: value, key: i, ...p });
      });
    }
  }
  return slots;
}

export async function resolveIncludes(
  ctx: ReadContext,
  objects: ParseObjectJson[],
  paths: string[],
  nestedKeys: Map<string, string[]> = new Map(),
): Promise<void> {
  if (paths.length === 0 || objects.length === 0) return;
  await resolveLevel(ctx, objects, buildTree(paths, nestedKeys));
}

async function resolveLevel(ctx: ReadContext, objects: ParseObjectJson[], tree: IncludeTree): Promise<void> {
  for (const [field, subtree] of tree.children) {
    const slots = collectSlots(objects, field);
    const byClass = new Map<string, Slot[]>();
    for (const slot of slots) byClass.set(slot.className, [...(byClass.get(slot.className) ?? []), slot]);
    for (const [className, classSlots] of byClass) {
      const cls = ctx.schema.get(className);
      if (!cls || !ctx.canReadClass(cls)) continue;
      const fetched = await fetchByIds(ctx, cls, [...new Set(classSlots.map((s) => s.objectId))], subtree);
      await resolveLevel(ctx, [...fetched.values()], subtree);
      for (const slot of classSlots) {
        const object = fetched.get(slot.objectId);
        if (!object) continue;
        const included = { __type: 'Object', className, ...object };
        if (Array.isArray(slot.holder)) slot.holder[slot.key as number] = included;
        else slot.holder[slot.key as string] = included;
      }
    }
  }
}

async function fetchByIds(
  ctx: ReadContext,
  cls: CompiledClass,
  ids: string[],
  tree: IncludeTree,
): Promise<Map<string, ParseObjectJson>> {
  const projection = projectionFor(cls, tree.keys, undefined, [...tree.children.keys()]);
  const rows = await ctx.storage.find({
    cls,
    where: and(
      { kind: 'in', ref: { field: 'objectId', type: 'String', path: [] }, values: ids, negate: false },
      ctx.readFilter(cls),
    ),
    order: [],
    limit: ids.length,
    skip: 0,
    columns: projection.columns,
  });
  const out = new Map<string, ParseObjectJson>();
  for (const row of rows) out.set(row.objectId as string, ctx.present(cls, encodeRow(cls, row, projection.relations)));
  return out;
}
