/**
 * The CSV import and export for the app: `importCsv` ({className, csv, mapping?, dryRun?, from?, count?} →
 * the import report) and `exportCsv` ({className} → {csv, rows}). Both run with the caller's Auth through
 * the object service, so a rep imports rows they own and exports only what they can read.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { FunctionRegistry } from '../functions/function-registry.js';
import { importCsv } from './csv-import.js';
import { exportCsv } from './csv-export.js';

/** Bigger files go through `crm import-csv`; the app sends a file at most this large, a range of rows per call. */
export const MAX_CSV_CHARS = 5_000_000;
export const MAX_EXPORT_ROWS = 50_000;

const invalid = (message: string) => new ParseError(ErrorCode.INVALID_VALUE, message);

function mappingOf(value: unknown): Map<string, string> {
  if (value === undefined || value === null) return new Map();
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('mapping must be an object of column: field');
  const mapping = new Map<string, string>();
  for (const [column, field] of Object.entries(value)) {
    if (typeof field !== 'string') throw invalid(`mapping of "${column}" must be a field name`);
    mapping.set(column, field);
  }
  return mapping;
}

const optionalCount = (value: unknown, name: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw invalid(`${name} must be a whole number`);
  return value;
};

export function registerImportFunctions(functions: FunctionRegistry): void {
  functions.define(
    'importCsv',
    ({ services, auth, params }) => {
      const { className, csv } = params;
      if (typeof className !== 'string') throw invalid('className is required');
      if (typeof csv !== 'string') throw invalid('csv must be the file text');
      if (csv.length > MAX_CSV_CHARS)
        throw new ParseError(
          ErrorCode.OBJECT_TOO_LARGE,
          `The CSV is larger than ${MAX_CSV_CHARS} characters; use the crm import-csv command.`,
        );
      return importCsv(services, auth, {
        className,
        csv,
        mapping: mappingOf(params.mapping),
        dryRun: params.dryRun === true,
        from: optionalCount(params.from, 'from'),
        count: optionalCount(params.count, 'count'),
      });
    },
    { requireUser: true },
  );
  functions.define(
    'exportCsv',
    ({ services, auth, params }) => {
      if (typeof params.className !== 'string') throw invalid('className is required');
      return exportCsv(services, auth, params.className, { maxRows: MAX_EXPORT_ROWS });
    },
    { requireUser: true },
  );
}
