/**
 * CSV text → object bodies for one class: a column→field mapping, and spreadsheet-style text turned into
 * each field's wire value ("1,200.50" → 1200.5, "2025-03-01" → a Date, "yes" → true). Every row gets a
 * line number and, when it cannot be used, a reason the user can act on. Pure: no storage here.
 */
import { parse } from 'csv-parse/sync';
import type { CompiledClass } from '../schema/compiled.js';
import type { FieldDef } from '../schema/types.js';
import { DEFAULT_FIELDS } from '../schema/types.js';
import { OBJECT_ID_PATTERN } from '../codec/values.js';
import { CliError } from './errors.js';

/** Not a field: a Contact's company named in the file, looked up (or created) by name. */
export const COMPANY_NAME = 'companyName';

export interface CsvRow {
  line: number;
  body: Record<string, unknown>;
  /** Set for Contacts mapped with company=companyName. */
  companyName?: string;
}

export interface CsvProblem {
  line: number;
  reason: string;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `--map "E-mail=email,Company=companyName"` → column → field. */
export function parseMapping(spec: string | undefined): Map<string, string> {
  const mapping = new Map<string, string>();
  for (const pair of (spec ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new CliError(`--map takes column=field pairs, got "${pair.trim()}"`);
    mapping.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return mapping;
}

const writableFields = (cls: CompiledClass): string[] =>
  [...cls.fields].filter(([name, def]) => !Object.hasOwn(DEFAULT_FIELDS, name) && def.type !== 'Relation').map(([name]) => name);

/**
 * Each header column's target field: the mapping's, else the field of the same name (case-insensitive).
 * Columns that map to nothing are returned so the command can say they were ignored.
 */
export function resolveColumns(
  cls: CompiledClass,
  header: string[],
  mapping: Map<string, string>,
): { targets: Array<string | null>; ignored: string[] } {
  const fields = writableFields(cls);
  const allowed = new Set(cls.className === 'Contact' ? [...fields, COMPANY_NAME] : fields);
  for (const [column, field] of mapping) {
    if (!header.includes(column))
      throw new CliError(`--map names column "${column}", which the file does not have (columns: ${header.join(', ')})`);
    if (!allowed.has(field))
      throw new CliError(`${cls.className} has no field "${field}" to fill (fields: ${[...allowed].join(', ')})`);
  }
  const byLowerName = new Map([...allowed].map((f) => [f.toLowerCase(), f]));
  const targets = header.map(
    (column) => mapping.get(column) ?? (mapping.size ? null : (byLowerName.get(column.toLowerCase()) ?? null)),
  );
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
  const bad = (what: string) => new CliError(`${field}: ${JSON.stringify(text)} is not ${what}`);
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
      throw new CliError(`${field}: ${def.type} fields cannot be filled from CSV`);
  }
}

export interface ParsedCsv {
  rows: CsvRow[];
  problems: CsvProblem[];
  ignored: string[];
}

/** The whole file: header row, then one body (or one problem) per data row. */
export function readCsv(text: string, cls: CompiledClass, mapping: Map<string, string>): ParsedCsv {
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
    throw new CliError(`unreadable CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new CliError('the CSV file is empty');
  const header = records[0].record;
  const { targets, ignored } = resolveColumns(cls, header, mapping);
  if (targets.every((t) => t === null)) throw new CliError(`no column maps to a ${cls.className} field (use --map column=field)`);
  const parsed: ParsedCsv = { rows: [], problems: [], ignored };
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length !== header.length) {
      parsed.problems.push({ line, reason: `has ${record.length} columns, the header has ${header.length}` });
      continue;
    }
    try {
      const row: CsvRow = { line, body: {} };
      record.forEach((text, i) => {
        const field = targets[i];
        if (field === null || text === '') return;
        if (field === COMPANY_NAME) row.companyName = text;
        else row.body[field] = cellValue(field, cls.fields.get(field)!, text);
      });
      parsed.rows.push(row);
    } catch (error) {
      parsed.problems.push({ line, reason: (error as Error).message });
    }
  }
  return parsed;
}
