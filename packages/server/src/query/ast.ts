/**
 * The typed query AST. `where` JSON from REST, GraphQL inputs and LiveQuery subscriptions is parsed once into
 * this shape (query/parse-where.ts); the SQL compilers (storage/sql/) and the in-memory matcher read only this.
 * Values here are already in *storage form* (see StoredValue), so back ends never decode wire JSON.
 */
import type { FieldType } from '../schema/types.js';

/**
 * A value as stored in a column:
 * - String → string; Number → number; Boolean → boolean; Date → ISO-8601 string `YYYY-MM-DDTHH:mm:ss.sssZ`
 *   (fixed width, so text order = time order);
 * - Pointer with one targetClass → the target objectId; polymorphic Pointer → `ClassName$objectId`;
 * - Object / Array members → plain JSON values.
 */
export type StoredScalar = string | number | boolean | null;

/** The column a condition reads: a top-level field, or a dot path into an Object field. */
export interface FieldRef {
  /** Top-level field (column) name; validated against FIELD_NAME_PATTERN or one of the default fields. */
  field: string;
  /** Declared type of the top-level field. */
  type: FieldType;
  /** Keys below an Object field (`address.city` → ['city']); each validated like a field name. */
  path: string[];
}

export type ComparisonOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';

export interface SubQuery {
  className: string;
  where: Expr;
}

export type Expr =
  | { kind: 'and'; items: Expr[] }
  | { kind: 'or'; items: Expr[] }
  | { kind: 'nor'; items: Expr[] }
  /** Always true / always false, e.g. a pointer compared with an object of a class the field cannot hold. */
  | { kind: 'const'; value: boolean }
  /**
   * eq/ne with null mean "is missing"/"is present". On an Array field, eq/ne with a scalar mean
   * "contains"/"does not contain" (Parse/Mongo semantics). `ne` and `nin` match missing values.
   */
  | { kind: 'compare'; ref: FieldRef; op: ComparisonOp; value: StoredScalar }
  | { kind: 'in'; ref: FieldRef; values: StoredScalar[]; negate: boolean }
  /** Array field contains every value. */
  | { kind: 'all'; ref: FieldRef; values: StoredScalar[] }
  /** Array field's elements are all within values (an empty/missing array matches). */
  | { kind: 'containedBy'; ref: FieldRef; values: StoredScalar[] }
  | { kind: 'exists'; ref: FieldRef; exists: boolean }
  /** Pattern already translated from Parse's dialect (`\Q…\E` quoted to literals); flags ⊆ "imxs". */
  | { kind: 'regex'; ref: FieldRef; pattern: string; flags: string }
  /** Pointer field (single target) points at a row of `query` ($inQuery / $notInQuery). */
  | { kind: 'inQuery'; ref: FieldRef; query: SubQuery; negate: boolean }
  /** Field value equals `key` of some row of `query` ($select / $dontSelect). */
  | { kind: 'select'; ref: FieldRef; query: SubQuery; key: FieldRef; negate: boolean }
  /** Row is in relation `key` of object `ownerClass/ownerId` ($relatedTo). */
  | { kind: 'relatedTo'; ownerClass: string; ownerId: string; key: string }
  /** This row's Relation field `key` holds `relatedId` (`equalTo('users', user)` on a Relation field). */
  | { kind: 'relationContains'; key: string; relatedId: string }
  /**
   * Row is readable by one of these principals ('*', user ids, 'role:Name'): compiled against `_rperm`.
   * Added by the security layer, never by parse-where.
   */
  | { kind: 'readableBy'; principals: string[] };

export interface OrderKey {
  ref: FieldRef;
  descending: boolean;
}

export const TRUE: Expr = { kind: 'const', value: true };
export const FALSE: Expr = { kind: 'const', value: false };

export function and(...items: Expr[]): Expr {
  const kept = items.filter((e) => !(e.kind === 'const' && e.value));
  if (kept.some((e) => e.kind === 'const' && !e.value)) return FALSE;
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0] : { kind: 'and', items: kept };
}
