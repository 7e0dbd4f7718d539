/**
 * Table layout shared by the SQL adapters: one table per class, one column per stored field, plus the
 * system columns. Column types come from a fixed map per dialect, never from request text.
 */
import type { ClassSchema, FieldDef, FieldType } from '../../schema/types.js';
import { compileClass } from '../../schema/compiled.js';
import { ident, join, keyword, sql, type DialectName, type SqlFragment } from './fragment.js';
import { internalColumns } from '../../schema/system-classes.js';
import { shortName } from './identifiers.js';

/**
 * PostgreSQL text columns use the "C" collation: strings then sort and compare by code point as in SQLite
 * (and Parse on MongoDB), whatever the database's locale, and prefix LIKE can use a plain b-tree index.
 */
type ColumnType = 'TEXT' | 'REAL' | 'INTEGER' | 'TEXT COLLATE "C"' | 'double precision' | 'boolean' | 'jsonb' | 'text[]';

const textType = (dialect: DialectName): ColumnType => (dialect === 'postgres' ? 'TEXT COLLATE "C"' : 'TEXT');

const COLUMN_TYPES: Record<DialectName, Partial<Record<FieldType, ColumnType>>> = {
  sqlite: { String: 'TEXT', Number: 'REAL', Boolean: 'INTEGER', Date: 'TEXT', Object: 'TEXT', Array: 'TEXT', Pointer: 'TEXT' },
  postgres: {
    String: 'TEXT COLLATE "C"',
    Number: 'double precision',
    Boolean: 'boolean',
    Date: 'TEXT COLLATE "C"',
    Object: 'jsonb',
    Array: 'jsonb',
    Pointer: 'TEXT COLLATE "C"',
  },
};

export function columnType(dialect: DialectName, def: FieldDef): SqlFragment {
  const type = COLUMN_TYPES[dialect][def.type];
  if (!type) throw new Error(`no column type for ${def.type}`);
  return keyword(type);
}

/** System columns every class table has, besides its fields. */
export function systemColumns(dialect: DialectName): SqlFragment[] {
  const perm = dialect === 'sqlite' ? keyword(`TEXT NOT NULL DEFAULT ',*,'`) : keyword(`text[] NOT NULL DEFAULT '{*}'`);
  const text = keyword(textType(dialect));
  return [
    sql`${ident('objectId')} ${text} PRIMARY KEY NOT NULL`,
    sql`${ident('createdAt')} ${text} NOT NULL`,
    sql`${ident('updatedAt')} ${text} NOT NULL`,
    sql`${ident('_rperm')} ${perm}`,
    sql`${ident('_wperm')} ${perm}`,
    sql`${ident('_acl')} ${text}`,
  ];
}

const DEFAULT_COLUMNS = new Set(['objectId', 'createdAt', 'updatedAt']);

function fieldColumns(schema: ClassSchema, dialect: DialectName): SqlFragment[] {
  const cls = compileClass(schema);
  const columns = cls.columnFields
    .filter((name) => !DEFAULT_COLUMNS.has(name))
    .map((name) => sql`${ident(name)} ${columnType(dialect, cls.fields.get(name)!)}`);
  for (const internal of internalColumns(schema.className)) columns.push(sql`${ident(internal)} ${keyword(textType(dialect))}`);
  return columns;
}

export function createTable(schema: ClassSchema, dialect: DialectName): SqlFragment {
  const columns = [...systemColumns(dialect), ...fieldColumns(schema, dialect)];
  return sql`CREATE TABLE IF NOT EXISTS ${ident(schema.className)} (${join(columns)})`;
}

export function createJoinTable(joinTable: string, dialect: DialectName): SqlFragment {
  const text = keyword(textType(dialect));
  return sql`CREATE TABLE IF NOT EXISTS ${ident(joinTable)} (${ident('owningId')} ${text} NOT NULL, ${ident('relatedId')} ${text} NOT NULL, PRIMARY KEY (${ident('owningId')}, ${ident('relatedId')}))`;
}

export function joinTableReverseIndex(joinTable: string): SqlFragment {
  return sql`CREATE INDEX IF NOT EXISTS ${ident(shortName(`${joinTable}:related`))} ON ${ident(joinTable)} (${ident('relatedId')})`;
}

/** SQLite knows no ADD COLUMN IF NOT EXISTS; its migrations are serialized by the single connection instead. */
export function addColumn(className: string, field: string, def: FieldDef, dialect: DialectName): SqlFragment {
  const ifNotExists = keyword(dialect === 'postgres' ? 'IF NOT EXISTS ' : '');
  return sql`ALTER TABLE ${ident(className)} ADD COLUMN ${ifNotExists}${ident(field)} ${columnType(dialect, def)}`;
}

export function dropColumn(className: string, field: string, dialect: DialectName): SqlFragment {
  const ifExists = keyword(dialect === 'postgres' ? 'IF EXISTS ' : '');
  return sql`ALTER TABLE ${ident(className)} DROP COLUMN ${ifExists}${ident(field)}`;
}

/**
 * Columns every row has (NOT NULL): indexes and ORDER BY leave their NULL placement at the default, so an
 * index written either way serves an order either way.
 */
export const NEVER_NULL: ReadonlySet<string> = new Set(['objectId', 'createdAt', 'updatedAt']);

export function indexName(className: string, name: string): string {
  return shortName(`${className}:${name}`);
}

/**
 * On SQLite every non-unique index also carries `_rperm`, so the read filter of an ACL-restricted query is
 * answered from the index (a covering scan) instead of the table — "read permissions inside the indexes".
 * PostgreSQL filters `_rperm` with its own GIN index instead.
 */
export function createIndex(
  className: string,
  name: string,
  keys: Record<string, number>,
  unique = false,
  dialect: DialectName = 'postgres',
): SqlFragment {
  // PostgreSQL's default puts NULLs last ascending; Parse sorts them first (compile-order.ts), and an index
  // whose NULL placement differs from the ORDER BY cannot deliver the order, so the pipeline page would sort
  // every matching row. SQLite's defaults already agree with Parse.
  const pg = dialect === 'postgres';
  const columns = Object.entries(keys).map(([field, direction]) => {
    const nulls = pg && !NEVER_NULL.has(field);
    return direction === -1
      ? sql`${ident(field)} DESC${keyword(nulls ? ' NULLS LAST' : '')}`
      : sql`${ident(field)}${keyword(nulls ? ' NULLS FIRST' : '')}`;
  });
  if (dialect === 'sqlite' && !unique) columns.push(sql`${ident('_rperm')}`);
  const kind = unique ? keyword('UNIQUE INDEX') : keyword('INDEX');
  return sql`CREATE ${kind} IF NOT EXISTS ${ident(indexName(className, name))} ON ${ident(className)} (${join(columns)})`;
}

export function dropIndex(className: string, name: string): SqlFragment {
  return sql`DROP INDEX IF EXISTS ${ident(indexName(className, name))}`;
}

export function dropTable(table: string): SqlFragment {
  return sql`DROP TABLE IF EXISTS ${ident(table)}`;
}
