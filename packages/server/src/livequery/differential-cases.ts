/**
 * Test-only: seeded random Deal-like objects and `where` clauses in Parse's JSON language, for holding the
 * LiveQuery matcher to the SQL compiler (differential.test.ts). Values come from small pools so equality,
 * ranges and prefixes hit often, and every field is sometimes missing or null.
 *
 * Where SQLite (RE2 through regexp_match, BINARY text) and PostgreSQL themselves answer a query differently,
 * the generator stays out of that area rather than the test tolerating disagreement:
 * - No cased non-ASCII letters (é/É, ß, the Kelvin sign…) anywhere. RE2 folds case and reads `\w`/`\b` the
 *   same way for every value; PostgreSQL folds only ASCII on COLLATE "C" columns, but on Array elements and
 *   Object sub-keys (text taken out of jsonb, which carries the database collation) `~*`, `\w` and `\b`
 *   follow the database's locale: `{tags: {$regex: '^\\w$'}}` matches ["é"] there and nowhere else.
 *   Non-ASCII text here is caseless (€, 🚀, ｡).
 * - No vertical tab: RE2's `\s` is [\t\n\f\r ], PostgreSQL's also matches \v.
 * - No NUL characters, which PostgreSQL text cannot hold.
 * - Regexes come from a fixed set of constructs both engines read alike.
 * - Strings ordered by `$lt`…`$gte` inside JSON (Array elements, Object sub-keys) are compared by PostgreSQL
 *   with the database's default collation, not "C"; the pools agree only because the test server's database
 *   is C.UTF-8 (code point order). On an ICU/en database `{tags: {$lt: 'a'}}` stops matching ["B"].
 */
import type { ClassSchema } from '../schema/types.js';

export type Rng = () => number;

/** mulberry32: small, fast and good enough to spread test cases; same seed, same cases. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)];
const chance = (rng: Rng, p: number) => rng() < p;
const some = <T>(rng: Rng, items: readonly T[], max: number): T[] =>
  Array.from({ length: int(rng, max + 1) }, () => pick(rng, items));

export const DIFF_CLASS: ClassSchema = {
  className: 'LqDeal',
  fields: {
    title: { type: 'String' },
    stage: { type: 'String' },
    amount: { type: 'Number' },
    won: { type: 'Boolean' },
    closeDate: { type: 'Date' },
    tags: { type: 'Array' },
    meta: { type: 'Object' },
    contact: { type: 'Pointer', targetClass: 'Contact' },
    related: { type: 'Pointer', targetClasses: ['Contact', 'Company'] },
  },
  classLevelPermissions: {},
  // Prefix regexes compile to index ranges (SQLite) and LIKE (PostgreSQL); an index keeps that path honest.
  indexes: { title: { title: 1 } },
};

// prettier-ignore
const TEXT = [
  '', 'a', 'A', 'ab', 'aB', 'abc', 'Abc', 'b', 'B', 'ba', 'won', 'Won', 'lead', 'lost', 'hot', 'cold',
  'a.c', 'abc.', 'a%b', 'a_b', '50%', 'x\ny', 'line\n', "O'Reilly", 'back\\slash', 'a b', ' space', 'tab\tx',
  '€uro', '🚀 rocket', '｡half', '10', '9', '2', '1',
];
const STAGES = ['won', 'lead', 'lost', 'Won', ''];
const NUMBERS = [-5, -1, -0.5, 0, 0.5, 1, 2, 2.5, 10, 100, 1e6];
const DATES = [
  '1999-12-31T23:59:59.999Z',
  '2024-01-01T00:00:00.000Z',
  '2024-01-15T12:00:00.000Z',
  '2024-02-29T23:59:59.999Z',
  '2025-06-30T00:00:00.000Z',
];
const ELEMENTS: readonly unknown[] = ['hot', 'cold', 'a', 'A', '1', '2', '', 'a.c', '🚀 rocket', 1, 2, 2.5, 0, -1, true, false];
/** Stored arrays also hold what no operand can be: JSON null and nested values, which no scalar equals. */
const STORED_ELEMENTS: readonly unknown[] = [...ELEMENTS, ...ELEMENTS, null, ['a'], { k: 'a' }];
const CONTACTS = ['c1', 'c2', 'c3'];
const RELATED = ['Contact$c1', 'Contact$c2', 'Company$c1', 'Company$co1'];
const PRINCIPALS = ['*', 'u1', 'u2', 'role:admin'];
const objectIds = (count: number) => Array.from({ length: count }, (_, i) => `o${String(i).padStart(3, '0')}`);
/** Operands for objectId: spread over the ids generateObjects hands out (up to 200 objects). */
const ids = objectIds(200);

/** An object with parsed values (Array/Object as JS values, booleans as booleans); undefined = not set. */
export type DiffObject = Record<string, unknown> & { objectId: string };

/** Absent most of the time it is not set, explicitly null otherwise, so both storage paths are exercised. */
function maybe(rng: Rng, value: () => unknown): unknown {
  const r = rng();
  if (r < 0.12) return undefined;
  if (r < 0.17) return null;
  return value();
}

function meta(rng: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (chance(rng, 0.7)) out.region = chance(rng, 0.15) ? null : pick(rng, TEXT);
  if (chance(rng, 0.7)) out.score = pick(rng, [...NUMBERS, '5', '10', '2', 'a', true, false] as const);
  if (chance(rng, 0.5)) out.flag = pick(rng, [true, false, null]);
  if (chance(rng, 0.5)) out.nested = pick(rng, [() => ({ x: pick(rng, [...TEXT, ...NUMBERS]) }), () => ({}), () => 'flat'])();
  if (chance(rng, 0.3)) out.list = some(rng, STORED_ELEMENTS, 3);
  return out;
}

export function generateObjects(rng: Rng, count: number): DiffObject[] {
  return objectIds(count).map((objectId) => ({
    objectId,
    createdAt: pick(rng, DATES),
    updatedAt: pick(rng, DATES),
    _rperm: some(rng, PRINCIPALS, 2),
    title: maybe(rng, () => pick(rng, TEXT)),
    stage: maybe(rng, () => pick(rng, STAGES)),
    amount: maybe(rng, () => pick(rng, NUMBERS)),
    won: maybe(rng, () => chance(rng, 0.5)),
    closeDate: maybe(rng, () => pick(rng, DATES)),
    tags: maybe(rng, () => some(rng, STORED_ELEMENTS, 4)),
    meta: maybe(rng, () => meta(rng)),
    contact: maybe(rng, () => pick(rng, CONTACTS)),
    related: maybe(rng, () => pick(rng, RELATED)),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// where clauses

type Kind =
  'text' | 'stage' | 'objectId' | 'number' | 'boolean' | 'date' | 'pointer' | 'related' | 'array' | 'path' | 'object' | 'unknown';

const FIELDS: readonly [key: string, kind: Kind][] = [
  ['title', 'text'],
  ['stage', 'stage'],
  ['objectId', 'objectId'],
  ['amount', 'number'],
  ['won', 'boolean'],
  ['closeDate', 'date'],
  ['createdAt', 'date'],
  ['contact', 'pointer'],
  ['related', 'related'],
  ['tags', 'array'],
  ['meta.region', 'path'],
  ['meta.score', 'path'],
  ['meta.flag', 'path'],
  ['meta.nested', 'path'],
  ['meta.nested.x', 'path'],
  ['meta.list', 'path'],
  ['meta', 'object'],
  ['nope', 'unknown'],
];

const OPERATORS: Record<Kind, readonly string[]> = {
  text: ['=', '$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$nin', '$exists', '$regex', '$regex'],
  stage: ['=', '$ne', '$lt', '$gte', '$in', '$nin', '$exists', '$regex'],
  objectId: ['=', '$ne', '$lt', '$gte', '$in', '$nin', '$regex'],
  number: ['=', '$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$nin', '$exists'],
  boolean: ['=', '$ne', '$in', '$nin', '$exists'],
  date: ['=', '$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$nin', '$exists'],
  pointer: ['=', '$ne', '$in', '$nin', '$exists'],
  related: ['=', '$ne', '$in', '$nin', '$exists'],
  array: ['=', '$ne', '$lt', '$gte', '$in', '$nin', '$all', '$all', '$containedBy', '$containedBy', '$exists', '$regex'],
  path: ['=', '$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$nin', '$exists', '$regex'],
  object: ['=', '$ne', '$exists'],
  unknown: ['=', '$ne', '$gt', '$in', '$nin', '$exists', '$regex'],
};

const date = (rng: Rng): unknown => {
  const iso = pick(rng, DATES);
  return pick(rng, [
    () => ({ __type: 'Date', iso }),
    () => iso,
    () => iso.slice(0, 10),
    // The same instant spelled with an offset: the parser must normalise it before comparing text.
    () => ({
      __type: 'Date',
      iso: `${iso.slice(0, 11)}${String((Number(iso.slice(11, 13)) + 1) % 24).padStart(2, '0')}${iso.slice(13, 23)}+01:00`,
    }),
  ])();
};

/** A non-null operand of the field's kind, in wire form. */
function operand(rng: Rng, kind: Kind, forRange = false): unknown {
  switch (kind) {
    case 'text':
      return pick(rng, TEXT);
    case 'objectId':
      return pick(rng, ids);
    case 'stage':
      return pick(rng, [...STAGES, 'x']);
    case 'number':
      return pick(rng, NUMBERS);
    case 'boolean':
      return chance(rng, 0.5);
    case 'date':
      return date(rng);
    case 'pointer':
      return { __type: 'Pointer', className: chance(rng, 0.9) ? 'Contact' : 'Company', objectId: pick(rng, CONTACTS) };
    case 'related':
      return {
        __type: 'Pointer',
        className: pick(rng, ['Contact', 'Company', 'Deal']),
        objectId: pick(rng, ['c1', 'c2', 'co1']),
      };
    case 'array':
    case 'path':
    case 'unknown': {
      const pool = forRange ? [...TEXT, ...NUMBERS] : [...ELEMENTS, ...TEXT.slice(0, 12), ...NUMBERS.slice(0, 6)];
      return pick(rng, pool as unknown[]);
    }
    case 'object':
      throw new Error('Object fields compare with null only');
  }
}

/** Sometimes null, where the operator accepts it. */
const operandOrNull = (rng: Rng, kind: Kind) => (kind === 'object' || chance(rng, 0.12) ? null : operand(rng, kind));

// prettier-ignore
const REGEX_PIECES = [
  'a', 'b', 'A', 'o', 'won', '.', 'a.c', '[ab]', '[^a]', '[0-9]', '\\d', '\\d+', '(a|b)', '(?:lo|co)', 'o?', 'c*',
  '\\.', '\\w', '\\s', '\\b', '%', '_', 'won|lost', '^', '$', '€', '🚀', 'x\\ny', '\\n', '\\\\', "'", 'a{1,2}', ' ',
];
const REGEX_OPTIONS = ['', '', '', 'i', 'm', 's', 'ms', 'im', 'x'];

/** `\Q…\E` quoting, as the SDK's startsWith/contains/endsWith send literals. */
const quoted = (text: string) => `\\Q${text}\\E`;

function regexOperand(rng: Rng): { $regex: string; $options?: string } {
  const text = pick(rng, TEXT);
  const part = text.slice(0, 1 + int(rng, Math.max(text.length, 1)));
  const pattern = pick(rng, [
    () => `^${quoted(part)}`,
    () => `^${part.replace(/[\\.+*?()|[\]{}^$-]/g, '\\$&')}`,
    () => quoted(part),
    () => `${quoted(part)}$`,
    () => Array.from({ length: 1 + int(rng, 3) }, () => pick(rng, REGEX_PIECES)).join(''),
  ])();
  const options = pick(rng, REGEX_OPTIONS);
  return options ? { $regex: pattern, $options: options } : { $regex: pattern };
}

function condition(rng: Rng, kind: Kind, op: string): unknown {
  switch (op) {
    case '=':
      return operandOrNull(rng, kind);
    case '$eq':
    case '$ne':
      return { [op]: operandOrNull(rng, kind) };
    case '$lt':
    case '$lte':
    case '$gt':
    case '$gte':
      return { [op]: operand(rng, kind, true) };
    case '$in':
    case '$nin':
      return { [op]: Array.from({ length: int(rng, 5) }, () => operandOrNull(rng, kind)) };
    case '$all':
      return {
        $all: Array.from({ length: int(rng, 4) }, () => (chance(rng, 0.15) ? regexOperand(rng) : operand(rng, kind))),
      };
    case '$containedBy':
      return { $containedBy: Array.from({ length: int(rng, 6) }, () => operand(rng, kind)) };
    case '$exists':
      return { $exists: chance(rng, 0.5) };
    case '$regex':
      return regexOperand(rng);
    default:
      throw new Error(`no generator for ${op}`);
  }
}

/** One or two operators on a field; two only when both are operator objects. */
function fieldCondition(rng: Rng, kind: Kind): unknown {
  const first = condition(rng, kind, pick(rng, OPERATORS[kind]));
  if (!chance(rng, 0.2) || !isOperatorObject(first)) return first;
  const second = condition(rng, kind, pick(rng, OPERATORS[kind]));
  // On a clash the first operator wins; a $options left over from the second still has a $regex to go with.
  return isOperatorObject(second) ? { ...second, ...first } : first;
}

const isOperatorObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !('__type' in value);

/** The top-level object is depth 1, so $or/$and/$nor nest up to three levels below it. */
export const MAX_DEPTH = 4;

export function generateWhere(rng: Rng, depth = 1): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  // Few keys per object: each is ANDed, and clauses that select nothing prove little.
  const keys = chance(rng, 0.35) ? 2 : 1;
  for (let i = 0; i < keys; i++) {
    if (depth < MAX_DEPTH && chance(rng, depth === 1 ? 0.45 : 0.3)) {
      // $and of several conditions is rarely true of any object; its shape is exercised less often.
      const op = pick(rng, ['$or', '$or', '$and', '$nor']);
      if (!(op in where)) where[op] = Array.from({ length: 2 + int(rng, 2) }, () => generateWhere(rng, depth + 1));
      continue;
    }
    const [key, kind] = chance(rng, 0.03) ? FIELDS[FIELDS.length - 1] : pick(rng, FIELDS.slice(0, -1));
    if (!(key in where)) where[key] = fieldCondition(rng, kind);
  }
  return where;
}

/** Principals of a reader, for readableBy conditions the security layer would add. */
export const generatePrincipals = (rng: Rng): string[] => [...new Set(some(rng, PRINCIPALS, 3))];
