/**
 * What a field's selection asks for, through fragments: lets a connection skip its count query when `count`
 * is not selected, and a mutation skip re-reading an object when only its id is wanted.
 */
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

function collect(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, into: Set<string>): void {
  if (!set) return;
  for (const selection of set.selections) {
    if (selection.kind === 'Field') into.add(selection.name.value);
    else if (selection.kind === 'InlineFragment') collect(selection.selectionSet, info, into);
    else collect(info.fragments[selection.name.value]?.selectionSet, info, into);
  }
}

/** Field names selected directly under the current field (aliases resolved to names; @skip/@include ignored). */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  for (const node of info.fieldNodes) collect(node.selectionSet, info, names);
  return names;
}

/** Field names selected under `child` of the current field (e.g. the `deal` of a mutation payload). */
export function selectedFieldsOf(info: GraphQLResolveInfo, child: string): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): void => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === 'Field') {
        if (selection.name.value === child) collect(selection.selectionSet, info, names);
      } else if (selection.kind === 'InlineFragment') visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}
