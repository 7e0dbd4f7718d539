/**
 * CSV text → object bodies for one class: a column→field mapping, and spreadsheet-style text turned into
 * each field's wire value ("1,200.50" → 1200.5, "2025-03-01" → a Date, "yes" → true). Pointers to named
 * classes stay text here (references.ts resolves them). Every row gets a line number and, when it cannot be
 * used, the column and a reason the user can act on. Pure: no storage here.
 */
import { parse } from 'csv-parse/sync';
import type { CompiledClass } from '../schema/compiled.js';
import type { FieldDef } from '../schema/types.js';
import { OBJECT_ID_PATTERN } from '../codec/values.js';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { COMPANY_NAME, csvFields, namedTarget } from './import-fields.js';

/** A problem with the whole file or mapping: nothing is imported. */
export const fileError = (message: string) => new ParseError(ErrorCode.INVALID_VALUE, message);

/** A cell the import cannot use; the row is skipped and reported. */
class CellError extends Error {}

/** A pointer given by name in the file, resolved against what the importing user can read. */
export interface CsvReference {
  field: string;
  column: string;
  /** Company, Contact or _User. */
  target: string;
  text: string;
}

export interface CsvRow {
  line: number;
  body: Record<string, unknown>;
  refs: CsvReference[];
}

export interface CsvProblem {
  line: number;
  column?: string;
  reason: string;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "E-mail" and "email", "Full Name" and "fullname" are the same column name. */
const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Spreadsheet headings that mean a field without being named like it. */
const SYNONYMS: Record<string, string> = {
  fullname: 'name',
  contactname: 'name',
  companyname: 'company',
  employer: 'company',
  organization: 'company',
  organisation: 'company',
  account: 'company',
  phonenumber: 'phone',
  mobile: 'phone',
  telephone: 'phone',
  emailaddress: 'email',
  url: 'website',
  web: 'website',
  owner: 'assignedTo',
  assignee: 'assignedTo',
  dealname: 'title',
  value: 'amount',
  closedate: 'expectedCloseDate',
};

/**
 * Each header column's target field: the mapping's, else the field of the same name (case-insensitive).
 * `companyName` is accepted for `company`. Columns that map to nothing are returned so the caller can say
 * they were ignored.
 */
export function resolveColumns(
  cls: CompiledClass,
  header: string[],
  mapping: ReadonlyMap<string, string>,
): { targets: Array<string | null>; ignored: string[] } {
  const fields = csvFields(cls);
  const allowed = new Set(fields);
  const alias = (field: string) => (field === COMPANY_NAME && allowed.has('company') ? 'company' : field);
  for (const [column, field] of mapping) {
    if (!header.includes(column))
      throw fileError(`The mapping names column "${column}", which the file does not have (columns: ${header.join(', ')})`);
    if (field !== '' && !allowed.has(alias(field)))
      throw fileError(`${cls.className} has no field "${field}" to fill (fields: ${fields.join(', ')})`);
  }
  const byName = new Map([...fields, ...(allowed.has('company') ? [COMPANY_NAME] : [])].map((f) => [squash(f), alias(f)]));
  const guess = (column: string): string | null => {
    const name = squash(column);
    const field = byName.get(name) ?? SYNONYMS[name];
    return field && allowed.has(field) ? field : null;
  };
  const seen = new Set<string>();
  const targets = header.map((column) => {
    const mapped = mapping.get(column);
    if (mapped !== undefined && mapped !== '') {
      const field = alias(mapped);
      if (seen.has(field)) throw fileError(`Two columns fill ${field} (the second is "${column}")`);
      seen.add(field);
      return field;
    }
    if (mapped !== undefined || mapping.size) return null;
    // A guess never takes a field already filled: the first column named like it wins.
    const field = guess(column);
    if (field === null || seen.has(field)) return null;
    seen.add(field);
    return field;
  });
  return { targets, ignored: header.filter((_, i) => targets[i] === null) };
}

function parseNumber(text: string): number | null {
  const cleaned = text.replace(/^[$€£]\s*/, '').replace(/,(?=\d{3}(?:\D|$))/g, '');
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(cleaned)) return null;
  return Number(cleaned);
}

function parseBoolean(text: string): boolean | null {
  if (/^(true|yes|y|1)$/i.test(text)) return true;
  if (/^(false|no|n|0)$/i.test(text)) return false;
  return null;
}

/** Cell text → the field's wire value; throws the reason when the text cannot be one. */
export function cellValue(field: string, def: FieldDef, text: string): unknown {
  const bad = (what: string) => new CellError(`${field}: ${JSON.stringify(text)} is not ${what}`);
  switch (def.type) {
    case 'String':
      if (field === 'email' && !EMAIL_PATTERN.test(text)) throw bad('an email address');
      return text;
    case 'Number': {
      const value = parseNumber(text);
      if (value === null) throw bad('a number');
      return value;
    }
    case 'Boolean': {
      const value = parseBoolean(text);
      if (value === null) throw bad('yes/no');
      return value;
    }
    case 'Date': {
      const time = Date.parse(text);
      if (Number.isNaN(time)) throw bad('a date');
      return { __type: 'Date', iso: new Date(time).toISOString() };
    }
    case 'Pointer': {
      const [className, objectId] = def.targetClass ? [def.targetClass, text] : text.split('$');
      if (!className || !objectId || !OBJECT_ID_PATTERN.test(objectId))
        throw bad(def.targetClass ? `an objectId of ${def.targetClass}` : 'Class$objectId');
      return { __type: 'Pointer', className, objectId };
    }
    case 'Object':
    case 'Array':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw bad(`JSON (${def.type})`);
      }
    default:
      throw new CellError(`${field}: ${def.type} fields cannot be filled from CSV`);
  }
}

export interface ParsedCsv {
  header: string[];
  targets: Array<string | null>;
  rows: CsvRow[];
  problems: CsvProblem[];
  ignored: string[];
  /** Data rows in the whole file (the range read may be smaller). */
  totalRows: number;
}

export interface CsvRange {
  /** First data row to read (0-based, header excluded). */
  from?: number;
  count?: number;
}

/** The whole file: header row, then one body (or one problem) per data row in the range. */
export function readCsv(text: string, cls: CompiledClass, mapping: ReadonlyMap<string, string>, range: CsvRange = {}): ParsedCsv {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw fileError(`Unreadable CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) throw fileError('The CSV file is empty');
  const header = records[0].record;
  const { targets, ignored } = resolveColumns(cls, header, mapping);
  const from = Math.max(0, range.from ?? 0);
  const data = records.slice(1);
  const slice = data.slice(from, range.count === undefined ? undefined : from + Math.max(0, range.count));
  const parsed: ParsedCsv = { header, targets, rows: [], problems: [], ignored, totalRows: data.length };
  for (const { record, info } of slice) {
    const line = info.lines;
    if (record.length !== header.length) {
      parsed.problems.push({ line, reason: `has ${record.length} columns, the header has ${header.length}` });
      continue;
    }
    const row: CsvRow = { line, body: {}, refs: [] };
    let column = '';
    try {
      record.forEach((text, i) => {
        const field = targets[i];
        if (field === null || text === '') return;
        column = header[i];
        const target = namedTarget(cls, field);
        if (target) row.refs.push({ field, column, target, text });
        else row.body[field] = cellValue(field, cls.fields.get(field)!, text);
      });
      parsed.rows.push(row);
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      parsed.problems.push({ line, column, reason: error.message });
    }
  }
  return parsed;
}
