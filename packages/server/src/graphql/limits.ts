/**
 * Static checks on an operation before it runs: introspection (master key only), nesting depth, an estimated
 * cost, and which root fields it calls (log-in and sign-up are rate-limited and one per request).
 */
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/** `__schema` / `__type` anywhere (`__typename` is not introspection of the schema). */
export function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (found) return;
      if (selection.kind === Kind.FIELD && (selection.name.value === '__schema' || selection.name.value === '__type'))
        found = true;
      else if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
      visit(definition.selectionSet);
  }
  return found;
}

const isIntrospectionField = (name: string): boolean => name.startsWith('__');

/** Fields nested inside each other; fragments add no level. Validation has already ruled out fragment cycles. */
export function depthOf(operation: OperationDefinitionNode, fragments: Fragments): number {
  const walk = (set: SelectionSetNode, level: number): number => {
    let deepest = level - 1;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (isIntrospectionField(selection.name.value)) continue;
        deepest = Math.max(deepest, selection.selectionSet ? walk(selection.selectionSet, level + 1) : level);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, walk(selection.selectionSet, level));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) deepest = Math.max(deepest, walk(fragment.selectionSet, level));
      }
    }
    return deepest;
  };
  return walk(operation.selectionSet, 1);
}

/** Root field names of the operation, through fragments (for the account-mutation rules). */
export function rootFields(operation: OperationDefinitionNode, fragments: Fragments): string[] {
  const names: string[] = [];
  const walk = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

export interface CostInput {
  schema: GraphQLSchema;
  fragments: Fragments;
  variables: Record<string, unknown>;
  defaultLimit: number;
  maxLimit: number;
}

function intArgument(value: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const raw = variables[value.name.value];
    return typeof raw === 'number' ? raw : undefined;
  }
  return undefined;
}

const isConnection = (field: GraphQLField<unknown, unknown>): boolean =>
  getNamedType(field.type).name.endsWith('Connection') && field.args.some((a) => a.name === 'first');

/**
 * Objects an operation may touch: every field counts 1, and what is selected under a connection counts once per
 * row it may return (`first`/`last`, else the default page size).
 */
export function costOf(operation: OperationDefinitionNode, input: CostInput): number {
  const rootType = input.schema.getRootType(operation.operation);
  if (!rootType) return 0;
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (isIntrospectionField(name)) continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        total += 1;
        if (!field || !selection.selectionSet) continue;
        const named = getNamedType(field.type);
        if (!isCompositeType(named)) continue;
        let rows = 1;
        if (isConnection(field)) {
          const arg = (n: string) => intArgument(selection.arguments?.find((a) => a.name.value === n)?.value, input.variables);
          rows = Math.min(Math.max(arg('first') ?? arg('last') ?? input.defaultLimit, 0), input.maxLimit);
        }
        total += rows * walk(selection.selectionSet, named);
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : input.fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition = fragment.typeCondition ? input.schema.getType(fragment.typeCondition.name.value) : parent;
        total += walk(fragment.selectionSet, condition && isCompositeType(condition) ? condition : parent);
      }
    }
    return total;
  };
  return walk(operation.selectionSet, rootType);
}
