/** Parse's field types. File, GeoPoint, Polygon and Bytes are recognised so they can be refused clearly. */
export type FieldType =
  | 'String'
  | 'Number'
  | 'Boolean'
  | 'Date'
  | 'Object'
  | 'Array'
  | 'Pointer'
  | 'Relation'
  | 'ACL'
  | 'File'
  | 'GeoPoint'
  | 'Polygon'
  | 'Bytes';

export const SUPPORTED_FIELD_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'String',
  'Number',
  'Boolean',
  'Date',
  'Object',
  'Array',
  'Pointer',
  'Relation',
  'ACL',
]);

export const KNOWN_FIELD_TYPES: ReadonlySet<string> = new Set<string>([
  ...SUPPORTED_FIELD_TYPES,
  'File',
  'GeoPoint',
  'Polygon',
  'Bytes',
]);

export interface FieldDef {
  type: FieldType;
  /**
   * Pointer/Relation target. A Pointer declared without targetClass is polymorphic (our extension, see
   * docs/DECISIONS.md): it may point at any class listed in `targetClasses`, or any class when that is absent.
   */
  targetClass?: string;
  targetClasses?: string[];
  required?: boolean;
  defaultValue?: unknown;
  description?: string;
}

/** Class-level permissions exactly as Parse stores them (enforced by the security layer). */
export interface ClassLevelPermissions {
  find?: Record<string, boolean>;
  count?: Record<string, boolean>;
  get?: Record<string, boolean>;
  create?: Record<string, boolean>;
  update?: Record<string, boolean>;
  delete?: Record<string, boolean>;
  addField?: Record<string, boolean>;
  protectedFields?: Record<string, string[]>;
  readUserFields?: string[];
  writeUserFields?: string[];
  [key: string]: unknown;
}

export interface ClassSchema {
  className: string;
  fields: Record<string, FieldDef>;
  classLevelPermissions: ClassLevelPermissions;
  /** index name → { field: 1 | -1 } */
  indexes: Record<string, Record<string, number>>;
}

/** Fields every class has; they are never stored in the user-defined column set. */
export const DEFAULT_FIELDS: Readonly<Record<string, FieldDef>> = {
  objectId: { type: 'String' },
  createdAt: { type: 'Date' },
  updatedAt: { type: 'Date' },
  ACL: { type: 'ACL' },
};

export const CLASS_NAME_PATTERN = /^_?[A-Za-z][A-Za-z0-9_]*$/;
export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
export const SYSTEM_CLASSES = ['_User', '_Session', '_Role'] as const;
