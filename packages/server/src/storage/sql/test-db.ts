/**
 * Test-only: the storage layout the compilers target, created from the fixture schema on either dialect,
 * plus a seed data set chosen to separate the semantics under test (JSON types that compare equal in SQL,
 * NULLs under negation, LIKE/regex metacharacters in values, multi-line and non-ASCII text).
 */
import { encodePermissionList } from './permission-list.js';
import { allClasses } from '../../query/test-fixtures.js';
import { joinTableName } from '../../schema/compiled.js';
import type { FieldDef } from '../../schema/types.js';
import { ident, join, keyword, sql, type DialectName, type SqlFragment } from './fragment.js';

type Seed = Record<string, unknown> & { objectId: string };

const iso = (text: string) => new Date(text).toISOString();
const T0 = '2024-01-01T00:00:00.000Z';

export const SEED: Record<string, Seed[]> = {
  Deal: [
    {
      objectId: 'd1',
      title: 'Alpha deal',
      amount: 1000,
      stage: 'won',
      contact: 'c1',
      company: 'co1',
      expectedCloseDate: iso('2024-01-15'),
      assignedTo: 'u1',
      tags: ['hot', 'enterprise'],
      meta: { region: 'emea', score: 5, flag: true, nested: { x: 'y' } },
      won: true,
    },
    {
      objectId: 'd2',
      title: 'Beta deal',
      amount: 250.5,
      stage: 'lead',
      contact: 'c2',
      company: 'co2',
      expectedCloseDate: iso('2024-03-01'),
      assignedTo: 'u2',
      tags: ['cold'],
      meta: { region: 'amer', score: 10 },
      won: false,
      _rperm: ['u1'],
    },
    {
      objectId: 'd3',
      title: 'alpha lowercase',
      amount: 0,
      stage: 'lead',
      tags: [],
      meta: { region: 'emea', score: '5' },
      _rperm: ['role:managers'],
    },
    { objectId: 'd4', title: 'Gamma', _rperm: ['u2', 'role:sales'] },
    {
      objectId: 'd5',
      title: 'O\'Reilly "quoted" %_\\ deal',
      amount: -3,
      stage: 'won',
      contact: 'c1',
      company: 'co1',
      tags: [2, true],
      meta: { region: null },
    },
    {
      objectId: 'd6',
      title: 'Delta\nmultiline',
      amount: 99999,
      stage: 'negotiation',
      expectedCloseDate: '2025-12-31T23:59:59.999Z',
      tags: ['hot', 'Hot', '2'],
      meta: { score: 7.5, flag: false },
      won: true,
    },
    { objectId: 'd7', title: 'Épsilon ünïcode 🚀', amount: 1e-9, stage: 'lost', tags: ['a%b', 1], meta: { arr: [1, 2] } },
    { objectId: 'd8', title: `${'a'.repeat(40)}b`, amount: 42, stage: 'won' },
  ],
  Contact: [
    { objectId: 'c1', name: 'Ann', email: 'ann@example.com', company: 'co1' },
    { objectId: 'c2', name: 'Bob', company: 'co2' },
    { objectId: 'c3', name: 'Cy' },
  ],
  Company: [
    { objectId: 'co1', name: 'Acme', industry: 'tech' },
    { objectId: 'co2', name: 'Globex', industry: 'retail' },
  ],
  Activity: [
    { objectId: 'a1', subject: 'call', relatedTo: 'Deal$d1' },
    { objectId: 'a2', subject: 'mail', relatedTo: 'Contact$c1', anything: 'Company$co1' },
    { objectId: 'a3', subject: 'meet', relatedTo: 'Deal$d2' },
    { objectId: 'a4', subject: 'note' },
  ],
  _User: [
    { objectId: 'u1', username: 'alice' },
    { objectId: 'u2', username: 'bob' },
    { objectId: 'u3', username: 'carol' },
  ],
  _Role: [
    { objectId: 'r1', name: 'managers' },
    { objectId: 'r2', name: 'sales' },
  ],
};

export const RELATIONS: { table: string; rows: [owning: string, related: string][] }[] = [
  {
    table: joinTableName('_Role', 'users'),
    rows: [
      ['r1', 'u1'],
      ['r1', 'u2'],
      ['r2', 'u2'],
    ],
  },
];

const COLUMN_TYPES: Record<DialectName, Record<string, string>> = {
  sqlite: { String: 'TEXT', Number: 'REAL', Boolean: 'INTEGER', Date: 'TEXT', Object: 'TEXT', Array: 'TEXT', Pointer: 'TEXT' },
  postgres: {
    String: 'text',
    Number: 'double precision',
    Boolean: 'boolean',
    Date: 'text',
    Object: 'jsonb',
    Array: 'jsonb',
    Pointer: 'text',
  },
};

export function createStatements(dialect: DialectName): SqlFragment[] {
  const perm = keyword(dialect === 'sqlite' ? 'TEXT NOT NULL' : 'text[] NOT NULL');
  const statements = allClasses.map((cls) => {
    const columns = [
      sql`${ident('objectId')} TEXT PRIMARY KEY`,
      sql`${ident('_rperm')} ${perm}`,
      sql`${ident('_wperm')} ${perm}`,
      sql`${ident('_acl')} TEXT`,
      ...cls.columnFields
        .filter((name) => name !== 'objectId')
        .map((name) => sql`${ident(name)} ${keyword(COLUMN_TYPES[dialect][cls.fields.get(name)!.type])}`),
    ];
    return sql`CREATE TABLE ${ident(cls.className)} (${join(columns)})`;
  });
  for (const { table } of RELATIONS) {
    statements.push(sql`CREATE TABLE ${ident(table)} (${ident('owningId')} TEXT NOT NULL, ${ident('relatedId')} TEXT NOT NULL)`);
  }
  return statements;
}

function storedValue(value: unknown, def: FieldDef | undefined, dialect: DialectName): unknown {
  if (value === undefined || value === null) return null;
  if (def?.type === 'Object' || def?.type === 'Array') return JSON.stringify(value);
  if (typeof value === 'boolean' && dialect === 'sqlite') return value ? 1 : 0;
  return value;
}

export function seedStatements(dialect: DialectName): SqlFragment[] {
  const statements: SqlFragment[] = [];
  for (const cls of allClasses) {
    for (const seed of SEED[cls.className] ?? []) {
      const rperm = (seed._rperm as string[] | undefined) ?? ['*'];
      const row: Record<string, unknown> = {
        _rperm: dialect === 'sqlite' ? encodePermissionList(rperm) : rperm,
        _wperm: dialect === 'sqlite' ? '[]' : [],
        createdAt: T0,
        updatedAt: T0,
      };
      for (const name of cls.columnFields) {
        if (name in seed) row[name] = storedValue(seed[name], cls.fields.get(name), dialect);
      }
      const names = Object.keys(row);
      statements.push(
        sql`INSERT INTO ${ident(cls.className)} (${join(names.map((n) => sql`${ident(n)}`))}) VALUES (${join(names.map((n) => sql`${row[n]}`))})`,
      );
    }
  }
  for (const { table, rows } of RELATIONS) {
    for (const [owning, related] of rows) {
      statements.push(
        sql`INSERT INTO ${ident(table)} (${ident('owningId')}, ${ident('relatedId')}) VALUES (${owning}, ${related})`,
      );
    }
  }
  return statements;
}
