/**
 * A class as CSV, read with the exporting user's permissions (the same find as REST, a page at a time by
 * objectId): one column per importable field, pointers written as the names the import reads back (company
 * name, contact email or name, username), so export → import round-trips. A pointer whose target the user
 * cannot read is left empty.
 */
import { stringify } from 'csv-stringify/sync';
import type { ParseObjectJson } from '../codec/row-codec.js';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Auth } from '../security/auth.js';
import type { Services } from '../service/services.js';
import { csvFields, isCsvClass, namedTarget, CSV_CLASSES } from './import-fields.js';

const PAGE = 1000;

export interface ExportOptions {
  /** Refuse (116) rather than build a file with more rows than this. */
  maxRows?: number;
  onProgress?: (done: number) => void;
}

function nameOf(target: string, value: unknown): string {
  const object = value as ParseObjectJson | undefined;
  if (!object || object.__type !== 'Object') return '';
  const pick = (...keys: string[]) => keys.map((k) => object[k]).find((v) => typeof v === 'string' && v !== '') ?? '';
  if (target === 'Company') return String(pick('name'));
  if (target === 'Contact') return String(pick('email', 'name'));
  return String(pick('username'));
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const typed = value as { __type?: string; iso?: string; className?: string; objectId?: string };
  if (typed.__type === 'Date') return typed.iso ?? '';
  if (typed.__type === 'Pointer') return `${typed.className}$${typed.objectId}`;
  return JSON.stringify(value);
}

export async function exportCsv(
  services: Services,
  auth: Auth,
  className: string,
  options: ExportOptions = {},
): Promise<{ csv: string; rows: number }> {
  if (!isCsvClass(className))
    throw new ParseError(ErrorCode.INVALID_VALUE, `CSV export takes ${CSV_CLASSES.join(', ')}, not "${className}"`);
  const cls = services.schema.get(className);
  if (!cls) throw new ParseError(ErrorCode.INVALID_CLASS_NAME, `There is no class ${className}`);
  const fields = csvFields(cls);
  const named = fields.filter((f) => namedTarget(cls, f));
  const records: string[][] = [fields];
  for (let after = ''; ;) {
    const { results } = await services.objects.find(auth, className, {
      where: { objectId: { $gt: after } },
      order: 'objectId',
      limit: PAGE,
      ...(named.length ? { include: named.join(',') } : {}),
    });
    for (const object of results) {
      records.push(
        fields.map((field) => {
          const target = namedTarget(cls, field);
          // A Pointer (not an included Object) means the target is hidden from this user: leave it empty.
          return target ? nameOf(target, object[field]) : cellText(object[field]);
        }),
      );
    }
    if (options.maxRows !== undefined && records.length - 1 > options.maxRows)
      throw new ParseError(
        ErrorCode.OBJECT_TOO_LARGE,
        `More than ${options.maxRows} ${className} rows to export; use the crm export-csv command.`,
      );
    options.onProgress?.(records.length - 1);
    if (results.length < PAGE) break;
    after = String(results[results.length - 1].objectId);
  }
  return { csv: stringify(records), rows: records.length - 1 };
}
