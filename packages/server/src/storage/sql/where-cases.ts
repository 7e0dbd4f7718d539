/**
 * Test-only: where clauses with the ids they must return over the SEED data (test-db.ts), shared by the
 * SQLite and PostgreSQL behaviour tests so both back ends are held to the same answers.
 */
export interface WhereCase {
  name: string;
  className?: string;
  where: Record<string, unknown>;
  /** Principals for a readableBy node ANDed to the parsed where (the security layer's job in production). */
  readableBy?: string[];
  expect: string[];
}

const ptr = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
const date = (iso: string) => ({ __type: 'Date', iso });
const ALL_DEALS = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8'];
const except = (...ids: string[]) => ALL_DEALS.filter((id) => !ids.includes(id));

export const WHERE_CASES: WhereCase[] = [
  // equality and its negation
  { name: 'eq string', where: { stage: 'won' }, expect: ['d1', 'd5', 'd8'] },
  { name: 'eq number', where: { amount: 1000 }, expect: ['d1'] },
  { name: 'eq tiny float', where: { amount: 1e-9 }, expect: ['d7'] },
  { name: 'eq boolean true', where: { won: true }, expect: ['d1', 'd6'] },
  { name: 'eq boolean false', where: { won: false }, expect: ['d2'] },
  { name: '$eq operator', where: { stage: { $eq: 'lost' } }, expect: ['d7'] },
  { name: 'eq null = missing', where: { stage: null }, expect: ['d4'] },
  { name: '$ne includes missing', where: { stage: { $ne: 'won' } }, expect: ['d2', 'd3', 'd4', 'd6', 'd7'] },
  { name: '$ne boolean includes missing', where: { won: { $ne: true } }, expect: except('d1', 'd6') },
  { name: '$ne null = present', where: { amount: { $ne: null } }, expect: except('d4') },
  { name: 'eq Date', where: { expectedCloseDate: date('2024-01-15T00:00:00.000Z') }, expect: ['d1'] },
  {
    name: 'eq Date, other spelling of the same instant',
    where: { expectedCloseDate: date('2024-01-15T01:00:00+01:00') },
    expect: ['d1'],
  },
  { name: 'eq objectId', where: { objectId: 'd3' }, expect: ['d3'] },
  { name: 'eq pointer', where: { contact: ptr('Contact', 'c1') }, expect: ['d1', 'd5'] },
  { name: 'eq pointer of the wrong class', where: { contact: ptr('Company', 'c1') }, expect: [] },
  { name: '$ne pointer of the wrong class', where: { contact: { $ne: ptr('Company', 'c1') } }, expect: ALL_DEALS },

  // ranges
  { name: '$gt number', where: { amount: { $gt: 100 } }, expect: ['d1', 'd2', 'd6'] },
  { name: '$gte/$lt number', where: { amount: { $gte: 0, $lt: 100 } }, expect: ['d3', 'd7', 'd8'] },
  { name: '$lte negative', where: { amount: { $lte: 0 } }, expect: ['d3', 'd5'] },
  { name: '$gte Date', where: { expectedCloseDate: { $gte: date('2024-02-01T00:00:00.000Z') } }, expect: ['d2', 'd6'] },
  { name: '$lt Date-only string', where: { expectedCloseDate: { $lt: '2024-02-01' } }, expect: ['d1'] },
  { name: '$lt string (binary order)', where: { title: { $lt: 'B' } }, expect: ['d1'] },
  { name: 'createdAt range', where: { createdAt: { $gt: date('2023-12-31T23:59:59.999Z') } }, expect: ALL_DEALS },

  // lists
  { name: '$in strings', where: { stage: { $in: ['lead', 'lost'] } }, expect: ['d2', 'd3', 'd7'] },
  { name: '$in with null', where: { stage: { $in: ['lost', null] } }, expect: ['d4', 'd7'] },
  { name: '$nin includes missing', where: { stage: { $nin: ['won', 'lead'] } }, expect: ['d4', 'd6', 'd7'] },
  { name: '$nin with null excludes missing', where: { stage: { $nin: ['won', null] } }, expect: ['d2', 'd3', 'd6', 'd7'] },
  {
    name: '$in pointers, one of another class',
    where: { company: { $in: [ptr('Company', 'co1'), ptr('Contact', 'co2')] } },
    expect: ['d1', 'd5'],
  },
  { name: '$in booleans', where: { won: { $in: [false] } }, expect: ['d2'] },
  { name: '$in numbers', where: { amount: { $in: [42, 0, 7] } }, expect: ['d3', 'd8'] },
  { name: '$in empty', where: { stage: { $in: [] } }, expect: [] },
  { name: '$nin empty', where: { stage: { $nin: [] } }, expect: ALL_DEALS },
  {
    name: 'huge $in (10,000 values)',
    where: { stage: { $in: [...Array.from({ length: 9_999 }, (_, i) => `s${i}`), 'won'] } },
    expect: ['d1', 'd5', 'd8'],
  },

  // $exists
  { name: '$exists false', where: { amount: { $exists: false } }, expect: ['d4'] },
  { name: '$exists true on Object', where: { meta: { $exists: true } }, expect: ['d1', 'd2', 'd3', 'd5', 'd6', 'd7'] },

  // Array fields
  { name: 'Array contains string', where: { tags: 'hot' }, expect: ['d1', 'd6'] },
  { name: 'Array contains number 1, not true', where: { tags: 1 }, expect: ['d7'] },
  { name: 'Array contains true, not 1', where: { tags: true }, expect: ['d5'] },
  { name: 'Array contains number 2, not "2"', where: { tags: 2 }, expect: ['d5'] },
  { name: 'Array contains "2", not 2', where: { tags: '2' }, expect: ['d6'] },
  { name: 'Array contains with LIKE metacharacters', where: { tags: 'a%b' }, expect: ['d7'] },
  { name: 'Array $ne = does not contain', where: { tags: { $ne: 'hot' } }, expect: except('d1', 'd6') },
  { name: 'Array $in = overlap', where: { tags: { $in: ['cold', 1] } }, expect: ['d2', 'd7'] },
  { name: 'Array $in with null', where: { tags: { $in: ['cold', null] } }, expect: ['d2', 'd4', 'd8'] },
  { name: 'Array $nin', where: { tags: { $nin: ['hot', 'cold'] } }, expect: ['d3', 'd4', 'd5', 'd7', 'd8'] },
  { name: 'Array $all', where: { tags: { $all: ['hot', 'enterprise'] } }, expect: ['d1'] },
  {
    name: 'Array $all of regexes (containsAllStartingWith)',
    where: { tags: { $all: [{ $regex: '^\\Qho\\E' }, { $regex: '^\\Qent\\E' }] } },
    expect: ['d1'],
  },
  {
    name: 'Array $containedBy (empty and missing match)',
    where: { tags: { $containedBy: ['hot', 'enterprise', 'cold'] } },
    expect: ['d1', 'd2', 'd3', 'd4', 'd8'],
  },
  { name: 'Array element range', where: { tags: { $gt: 1 } }, expect: ['d5'] },
  { name: 'Array element regex', where: { tags: { $regex: '^h', $options: 'i' } }, expect: ['d1', 'd6'] },
  { name: 'Array eq null = missing', where: { tags: null }, expect: ['d4', 'd8'] },

  // Object sub-keys
  { name: 'Object path eq string', where: { 'meta.region': 'emea' }, expect: ['d1', 'd3'] },
  { name: 'Object path eq number, not the string "5"', where: { 'meta.score': 5 }, expect: ['d1'] },
  { name: 'Object path eq string "5", not the number', where: { 'meta.score': '5' }, expect: ['d3'] },
  { name: 'Object path numeric range skips strings', where: { 'meta.score': { $gt: 6 } }, expect: ['d2', 'd6'] },
  { name: 'Object path string range skips numbers', where: { 'meta.score': { $gte: '0' } }, expect: ['d3'] },
  { name: 'Object path boolean true', where: { 'meta.flag': true }, expect: ['d1'] },
  { name: 'Object path boolean false', where: { 'meta.flag': false }, expect: ['d6'] },
  { name: 'Object path eq null = missing or null', where: { 'meta.region': null }, expect: ['d4', 'd5', 'd6', 'd7', 'd8'] },
  { name: 'Object path $exists counts JSON null', where: { 'meta.region': { $exists: true } }, expect: ['d1', 'd2', 'd3', 'd5'] },
  { name: 'Object path $ne includes missing', where: { 'meta.region': { $ne: 'emea' } }, expect: except('d1', 'd3') },
  { name: 'Object path $in mixed types', where: { 'meta.score': { $in: [10, '5'] } }, expect: ['d2', 'd3'] },
  { name: 'Object path $nin', where: { 'meta.score': { $nin: [10, '5'] } }, expect: except('d2', 'd3') },
  {
    name: 'Object path $in with null',
    where: { 'meta.region': { $in: ['amer', null] } },
    expect: ['d2', 'd4', 'd5', 'd6', 'd7', 'd8'],
  },
  { name: 'Object nested path', where: { 'meta.nested.x': 'y' }, expect: ['d1'] },
  { name: 'Object path regex', where: { 'meta.region': { $regex: '^am' } }, expect: ['d2'] },
  { name: 'Object path regex ignores numbers', where: { 'meta.score': { $regex: '5' } }, expect: ['d3'] },

  // regex
  { name: 'regex contains (SDK \\Q…\\E)', where: { title: { $regex: '\\Qdeal\\E' } }, expect: ['d1', 'd2', 'd5'] },
  { name: 'regex startsWith (prefix range)', where: { title: { $regex: '^\\QAlpha\\E' } }, expect: ['d1'] },
  {
    name: 'regex startsWith with quote and LIKE wildcards',
    where: { title: { $regex: '^\\QO\'Reilly "quoted" %_\\E' } },
    expect: ['d5'],
  },
  { name: 'regex startsWith % is literal', where: { title: { $regex: '^\\Q%\\E' } }, expect: [] },
  { name: 'regex startsWith _ is literal', where: { title: { $regex: '^\\Q_\\E' } }, expect: [] },
  { name: 'regex startsWith non-ASCII', where: { title: { $regex: '^\\QÉps\\E' } }, expect: ['d7'] },
  { name: 'regex bare ^ matches every string', where: { title: { $regex: '^' } }, expect: ALL_DEALS },
  { name: 'regex endsWith', where: { title: { $regex: '\\Qdeal\\E$' } }, expect: ['d1', 'd2', 'd5'] },
  { name: 'regex case-insensitive', where: { title: { $regex: '^alpha', $options: 'i' } }, expect: ['d1', 'd3'] },
  { name: 'regex literal backslash and wildcards', where: { title: { $regex: '\\Q%_\\\\E' } }, expect: ['d5'] },
  { name: 'regex ^ without m anchors at the start only', where: { title: { $regex: '^multiline' } }, expect: [] },
  { name: 'regex m flag anchors at lines', where: { title: { $regex: '^multiline$', $options: 'm' } }, expect: ['d6'] },
  { name: 'regex dot does not cross newline', where: { title: { $regex: 'Delta.multiline' } }, expect: [] },
  { name: 'regex s flag: dot crosses newline', where: { title: { $regex: 'Delta.multiline', $options: 's' } }, expect: ['d6'] },
  { name: 'regex x flag', where: { title: { $regex: 'Al pha\\ # the word\n deal', $options: 'x' } }, expect: ['d1'] },
  { name: 'regex unicode', where: { title: { $regex: 'ünï' } }, expect: ['d7'] },
  { name: 'regex word boundary', where: { title: { $regex: '\\bdeal\\b' } }, expect: ['d1', 'd2', 'd5'] },
  { name: 'regex class with escapes', where: { title: { $regex: '[%\\]]_' } }, expect: ['d5'] },
  { name: 'regex inline (?i) flag', where: { title: { $regex: '(?i)GAMMA' } }, expect: ['d4'] },
  { name: 'regex hex escape', where: { title: { $regex: '\\x47amma' } }, expect: ['d4'] },
  { name: 'regex (a+)+$ runs in linear time', where: { title: { $regex: '(a+)+$' } }, expect: ['d4'] },
  { name: 'regex (a|aa)*b', where: { title: { $regex: '^(a|aa)*b$' } }, expect: ['d8'] },

  // logic
  { name: '$or', where: { $or: [{ stage: 'lost' }, { amount: { $gt: 5000 } }] }, expect: ['d6', 'd7'] },
  { name: '$and', where: { $and: [{ stage: 'won' }, { amount: { $gt: 0 } }] }, expect: ['d1', 'd8'] },
  {
    name: '$nor keeps rows where a condition is unknown (NULL)',
    where: { $nor: [{ stage: 'won' }, { amount: { $lt: 1 } }] },
    expect: ['d2', 'd4', 'd6'],
  },
  {
    name: 'nested $or inside $and',
    where: { $and: [{ $or: [{ won: true }, { won: false }] }, { amount: { $gt: 500 } }] },
    expect: ['d1', 'd6'],
  },
  { name: 'two operators on one field', where: { amount: { $gt: 0, $ne: 1000 } }, expect: ['d2', 'd6', 'd7', 'd8'] },

  // unknown fields read as missing
  { name: 'unknown field eq value', where: { nope: 'x' }, expect: [] },
  { name: 'unknown field eq null', where: { nope: null }, expect: ALL_DEALS },
  { name: 'unknown field $ne', where: { nope: { $ne: 1 } }, expect: ALL_DEALS },
  { name: 'unknown field $exists', where: { nope: { $exists: true } }, expect: [] },

  // sub-queries
  { name: '$inQuery', where: { contact: { $inQuery: { className: 'Contact', where: { name: 'Ann' } } } }, expect: ['d1', 'd5'] },
  {
    name: '$notInQuery includes missing',
    where: { contact: { $notInQuery: { className: 'Contact', where: { name: 'Ann' } } } },
    expect: ['d2', 'd3', 'd4', 'd6', 'd7', 'd8'],
  },
  {
    name: 'nested $inQuery',
    where: {
      contact: {
        $inQuery: {
          className: 'Contact',
          where: { company: { $inQuery: { className: 'Company', where: { industry: 'retail' } } } },
        },
      },
    },
    expect: ['d2'],
  },
  {
    name: 'self $inQuery on another alias',
    className: 'Contact',
    where: { company: { $inQuery: { className: 'Company', where: { objectId: 'co1' } } } },
    expect: ['c1'],
  },
  { name: '$inQuery of an unknown class', where: { contact: { $inQuery: { className: 'Nope', where: {} } } }, expect: [] },
  {
    name: '$select',
    where: { company: { $select: { query: { className: 'Contact', where: { name: 'Bob' } }, key: 'company' } } },
    expect: ['d2'],
  },
  {
    name: '$dontSelect with NULL keys in the set',
    where: { company: { $dontSelect: { query: { className: 'Contact', where: {} }, key: 'company' } } },
    expect: ['d3', 'd4', 'd6', 'd7', 'd8'],
  },

  // polymorphic pointers
  { name: 'polymorphic eq', className: 'Activity', where: { relatedTo: ptr('Deal', 'd1') }, expect: ['a1'] },
  {
    name: 'polymorphic eq, class outside targetClasses',
    className: 'Activity',
    where: { relatedTo: ptr('Company', 'co1') },
    expect: [],
  },
  {
    name: 'polymorphic without targetClasses',
    className: 'Activity',
    where: { anything: ptr('Company', 'co1') },
    expect: ['a2'],
  },
  {
    name: 'polymorphic $inQuery',
    className: 'Activity',
    where: { relatedTo: { $inQuery: { className: 'Deal', where: { stage: 'won' } } } },
    expect: ['a1'],
  },
  {
    name: 'polymorphic $notInQuery',
    className: 'Activity',
    where: { relatedTo: { $notInQuery: { className: 'Deal', where: { stage: 'won' } } } },
    expect: ['a2', 'a3', 'a4'],
  },
  {
    name: 'polymorphic $in',
    className: 'Activity',
    where: { relatedTo: { $in: [ptr('Contact', 'c1'), ptr('Deal', 'd2')] } },
    expect: ['a2', 'a3'],
  },

  // relations
  {
    name: '$relatedTo',
    className: '_User',
    where: { $relatedTo: { object: ptr('_Role', 'r1'), key: 'users' } },
    expect: ['u1', 'u2'],
  },
  { name: 'relation contains', className: '_Role', where: { users: ptr('_User', 'u2') }, expect: ['r1', 'r2'] },
  { name: 'relation $ne', className: '_Role', where: { users: { $ne: ptr('_User', 'u1') } }, expect: ['r2'] },
  {
    name: 'relation $all',
    className: '_Role',
    where: { users: { $all: [ptr('_User', 'u1'), ptr('_User', 'u2')] } },
    expect: ['r1'],
  },
  { name: 'relation eq pointer of another class', className: '_Role', where: { users: ptr('Deal', 'u1') }, expect: [] },

  // ACL
  { name: 'readableBy public', where: {}, readableBy: ['*'], expect: except('d2', 'd3', 'd4') },
  { name: 'readableBy user and role', where: {}, readableBy: ['*', 'u1', 'role:managers'], expect: except('d4') },
  { name: 'readableBy with a where', where: { stage: 'lead' }, readableBy: ['*', 'u1'], expect: ['d2'] },
  { name: 'readableBy nobody', where: {}, readableBy: [], expect: [] },

  // hostile values
  { name: 'SQL in a value', where: { title: '\'; DROP TABLE "Deal"; --' }, expect: [] },
  { name: 'SQL in an $in value', where: { stage: { $in: ["won' OR '1'='1"] } }, expect: [] },
  { name: 'SQL in a regex', where: { title: { $regex: "'; DROP TABLE x; --" } }, expect: [] },
  {
    name: 'SQL in a sub-query value',
    where: { contact: { $inQuery: { className: 'Contact', where: { name: "x') OR 1=1 --" } } } },
    expect: [],
  },
];
