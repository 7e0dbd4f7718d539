/**
 * The CSV import behind `crm import-csv` and the `importCsv` cloud function. Rows become objects through the
 * object service with the importing user's Auth, so the CRM policy (owner, ACL), validation and duplicate
 * flags apply exactly as for a create from the app. A dry run reads, resolves and validates every row and
 * reports what would happen, writing nothing. A real run creates missing companies first, then the rows, a
 * batch per transaction; a batch that fails is retried row by row so one bad row costs only itself.
 */
import { decodeWrite } from '../codec/write-body.js';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { Auth } from '../security/auth.js';
import type { Services } from '../service/services.js';
import { DUPLICATE_KEYS, isDedupeClass } from '../duplicates/keys.js';
import { fileError, readCsv, type CsvProblem, type CsvRange, type CsvRow } from './csv-rows.js';
import { csvFields, isCsvClass, CSV_CLASSES } from './import-fields.js';
import { lookupKey, ReferenceIndex } from './references.js';

export const BATCH_ROWS = 500;

export interface ImportRequest extends CsvRange {
  className: string;
  csv: string;
  /** Column → field; empty means "columns named like fields". A field of "" ignores the column. */
  mapping?: ReadonlyMap<string, string>;
  dryRun?: boolean;
  /** Called after each batch: rows handled so far, rows in the range. */
  onProgress?: (done: number, total: number) => void;
}

export interface DuplicateNote {
  line: number;
  key: string;
  /** An existing object (that the importer can read) with the same key. */
  duplicateOf?: string;
  /** An earlier row of the same file with the same key. */
  sameAsLine?: number;
}

export interface ImportReport {
  className: string;
  dryRun: boolean;
  /** Data rows in the file, and the range this call read. */
  totalRows: number;
  from: number;
  rows: number;
  /** Objects created (a dry run: that would be created). */
  imported: number;
  columns: Array<{ column: string; field: string | null }>;
  fields: string[];
  problems: CsvProblem[];
  /** Records created because a row named them and none existed (a dry run: would be created), by class. */
  created: Record<string, string[]>;
  duplicates: DuplicateNote[];
}

/** Validation a create would apply, without creating: types and required fields. */
function validate(cls: CompiledClass, auth: Auth, row: CsvRow): string | null {
  try {
    const decoded = decodeWrite(cls, { ...row.body }, { mode: 'create', isMaster: auth.isMaster });
    for (const field of cls.requiredFields) {
      if (decoded.values[field] == null || decoded.values[field] === '') return `${field} is required`;
    }
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Placeholder id for a company this import will create: valid for validation, replaced before writing. */
const PENDING = 'pending000';

async function resolveReferences(
  rows: CsvRow[],
  refs: ReferenceIndex,
  problems: CsvProblem[],
  toCreate: Map<string, string>,
): Promise<CsvRow[]> {
  const kept: CsvRow[] = [];
  for (const row of rows) {
    let bad = false;
    for (const ref of row.refs) {
      const found = await refs.resolve(ref.target, ref.text);
      if ('objectId' in found) {
        row.body[ref.field] = { __type: 'Pointer', className: ref.target, objectId: found.objectId };
      } else if ('ambiguous' in found) {
        problems.push({
          line: row.line,
          column: ref.column,
          reason: `${found.ambiguous} ${label(ref.target)} match "${ref.text}"`,
        });
        bad = true;
      } else if (ref.target === 'Company') {
        // The first spelling in the file names the new company.
        const key = lookupKey('Company', ref.text);
        if (!toCreate.has(key)) toCreate.set(key, ref.text.trim());
        row.body[ref.field] = { __type: 'Pointer', className: 'Company', objectId: PENDING };
      } else {
        problems.push({
          line: row.line,
          column: ref.column,
          reason: `no ${label(ref.target, 1)} "${ref.text}" that you can see`,
        });
        bad = true;
      }
    }
    if (!bad) kept.push(row);
  }
  return kept;
}

const label = (target: string, n = 2) =>
  ({ Company: n === 1 ? 'company' : 'companies', Contact: n === 1 ? 'contact' : 'contacts', _User: n === 1 ? 'user' : 'users' })[
    target
  ] ?? target;

/** Rows whose key matches a readable object or an earlier row; the hooks flag them when created. */
async function findDuplicates(services: Services, auth: Auth, cls: CompiledClass, rows: CsvRow[]): Promise<DuplicateNote[]> {
  if (!isDedupeClass(cls.className)) return [];
  const { source, key: keyField, normalize } = DUPLICATE_KEYS[cls.className];
  const keyed = rows
    .map((row) => ({ row, key: normalize(row.body[source]) }))
    .filter((r): r is { row: CsvRow; key: string } => !!r.key);
  const existing = new Map<string, string>();
  const distinct = [...new Set(keyed.map((r) => r.key))];
  for (let i = 0; i < distinct.length; i += BATCH_ROWS) {
    const { results } = await services.objects.find(auth, cls.className, {
      where: { [keyField]: { $in: distinct.slice(i, i + BATCH_ROWS) } },
      keys: keyField,
      order: 'createdAt',
      limit: BATCH_ROWS * 10,
    });
    for (const object of results) {
      const key = object[keyField] as string;
      if (!existing.has(key)) existing.set(key, String(object.objectId));
    }
  }
  const firstLine = new Map<string, number>();
  const notes: DuplicateNote[] = [];
  for (const { row, key } of keyed) {
    const original = existing.get(key);
    if (original) notes.push({ line: row.line, key, duplicateOf: original });
    else if (firstLine.has(key)) notes.push({ line: row.line, key, sameAsLine: firstLine.get(key) });
    else firstLine.set(key, row.line);
  }
  return notes;
}

/** Creates rows a batch per transaction; returns how many were created. */
async function createRows(
  services: Services,
  auth: Auth,
  className: string,
  rows: CsvRow[],
  problems: CsvProblem[],
  progress: (done: number) => void,
): Promise<number> {
  let created = 0;
  const createAll = async (batch: CsvRow[]) => {
    const afterCommit: Array<() => void> = [];
    await services.storage.transaction(async (tx) => {
      for (const row of batch) await services.objects.create(auth, className, row.body, { tx, afterCommit });
    });
    for (const work of afterCommit) work();
  };
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS);
    try {
      await createAll(batch);
      created += batch.length;
    } catch {
      for (const row of batch) {
        try {
          await createAll([row]);
          created += 1;
        } catch (error) {
          problems.push({ line: row.line, reason: (error as Error).message });
        }
      }
    }
    progress(i + batch.length);
  }
  return created;
}

export async function importCsv(services: Services, auth: Auth, request: ImportRequest): Promise<ImportReport> {
  const { className } = request;
  if (!isCsvClass(className))
    throw new ParseError(ErrorCode.INVALID_VALUE, `CSV import takes ${CSV_CLASSES.join(', ')}, not "${className}"`);
  const cls = services.schema.get(className);
  if (!cls) throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `There is no class ${className}`);
  const parsed = readCsv(request.csv, cls, request.mapping ?? new Map(), request);
  const unmapped = parsed.targets.every((t) => t === null);
  // A dry run still answers (with the columns and fields), so the app can offer the mapping to fix it.
  if (unmapped && !request.dryRun) throw fileError(`No column maps to a ${className} field`);
  const problems: CsvProblem[] = unmapped
    ? [{ line: 1, reason: `No column maps to a ${className} field: choose a field for a column` }]
    : [...parsed.problems];
  if (unmapped) parsed.rows = [];
  const refs = new ReferenceIndex(services, auth);
  const toCreate = new Map<string, string>();
  const resolved = await resolveReferences(parsed.rows, refs, problems, toCreate);
  const rows = resolved.filter((row) => {
    const reason = validate(cls, auth, row);
    if (reason) problems.push({ line: row.line, reason });
    return !reason;
  });
  // Companies named by rows that turned out bad are not created.
  const needed = new Set(
    rows.flatMap((row) => row.refs.filter((r) => r.target === 'Company').map((r) => lookupKey('Company', r.text))),
  );
  for (const key of toCreate.keys()) if (!needed.has(key)) toCreate.delete(key);
  const report: ImportReport = {
    className,
    dryRun: Boolean(request.dryRun),
    totalRows: parsed.totalRows,
    from: Math.max(0, request.from ?? 0),
    rows: parsed.rows.length + parsed.problems.length,
    imported: rows.length,
    columns: parsed.header.map((column, i) => ({ column, field: parsed.targets[i] })),
    fields: csvFields(cls),
    problems,
    created: toCreate.size ? { Company: [...toCreate.values()] } : {},
    duplicates: await findDuplicates(services, auth, cls, rows),
  };
  const total = rows.length;
  if (request.dryRun) {
    problems.sort((a, b) => a.line - b.line);
    return report;
  }
  if (toCreate.size) {
    const afterCommit: Array<() => void> = [];
    await services.storage.transaction(async (tx) => {
      for (const name of toCreate.values()) {
        const company = await services.objects.create(auth, 'Company', { name }, { tx, afterCommit });
        refs.add('Company', name, company.objectId);
      }
    });
    for (const work of afterCommit) work();
    for (const row of rows) {
      for (const ref of row.refs) {
        if (ref.target !== 'Company') continue;
        const found = await refs.resolve('Company', ref.text);
        if ('objectId' in found) row.body[ref.field] = { __type: 'Pointer', className: 'Company', objectId: found.objectId };
      }
    }
  }
  report.imported = await createRows(services, auth, className, rows, problems, (done) => request.onProgress?.(done, total));
  problems.sort((a, b) => a.line - b.line);
  return report;
}
